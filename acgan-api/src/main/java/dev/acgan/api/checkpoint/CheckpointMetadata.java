package dev.acgan.api.checkpoint;

import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.train.EpochResult;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.api.train.TrainingPosition;
import java.util.List;
import java.util.Objects;

/**
 * The JSON half of a checkpoint ({@value Checkpoint#METADATA_FILE}). It carries the spec, so a
 * checkpoint describes itself, and the checksum of the tensor file, so damage is detected.
 *
 * @param formatVersion {@value Checkpoint#FORMAT_VERSION} for this release
 * @param type          training state or generator export
 * @param spec          the model
 * @param config        the training configuration (seed included)
 * @param position      step, epoch and batch reached
 * @param backend       name of the backend that wrote it
 * @param dataset       name of the dataset trained on
 * @param createdAt     ISO-8601 instant of writing
 * @param history       per-epoch mean losses so far
 * @param tensorsSha256 hex SHA-256 of {@value Checkpoint#TENSORS_FILE}; filled in when written
 * @param tensorsBytes  size of that file; filled in when written
 */
public record CheckpointMetadata(
        int formatVersion,
        CheckpointType type,
        ModelSpec spec,
        TrainingConfig config,
        TrainingPosition position,
        String backend,
        String dataset,
        String createdAt,
        List<EpochResult> history,
        String tensorsSha256,
        long tensorsBytes) {

    /** Checks required fields and copies the history. */
    public CheckpointMetadata {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(position, "position");
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** The same metadata with the tensor file's checksum and size. */
    public CheckpointMetadata withTensorFile(String sha256, long bytes) {
        return new CheckpointMetadata(
                formatVersion, type, spec, config, position, backend, dataset, createdAt, history, sha256, bytes);
    }
}
