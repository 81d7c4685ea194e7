package dev.acgan.api.tensor;

/** Memory order of a batch of images. The canonical layout of the API and checkpoints is NHWC. */
public enum Layout {
    /** batch, height, width, channels (canonical; also Keras and TensorFlow.js). */
    NHWC,
    /** batch, channels, height, width (ND4J and cuDNN's preference). */
    NCHW
}
