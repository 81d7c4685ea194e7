package dev.acgan.api.checkpoint;

/** What a checkpoint holds. */
public enum CheckpointType {
    /** Both networks, BatchNorm statistics and Adam state: enough to resume training exactly. */
    TRAINING,
    /** The generator's parameters and statistics only: enough to generate. */
    GENERATOR
}
