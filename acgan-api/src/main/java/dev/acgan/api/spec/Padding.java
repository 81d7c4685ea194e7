package dev.acgan.api.spec;

/** Convolution padding, with TensorFlow's output-size rules. */
public enum Padding {
    /** Output size ceil(in / stride) for convolutions, in * stride for transposed convolutions. */
    SAME,
    /** No padding: ceil((in - kernel + 1) / stride), or (in - 1) * stride + kernel when transposed. */
    VALID
}
