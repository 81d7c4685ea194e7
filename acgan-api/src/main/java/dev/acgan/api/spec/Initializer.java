package dev.acgan.api.spec;

/**
 * How a parameter is initialised. Initial values are drawn in plain Java from the training seed
 * ({@link ParameterInitializer}), so every backend starts from the same weights.
 *
 * <p>Fans follow Keras: for a kernel of shape {@code [..., a, b]} the receptive field is the product
 * of the leading dimensions, fan-in is {@code field*a} and fan-out {@code field*b}.
 */
public enum Initializer {
    /** U[-l, l] with l = sqrt(6 / (fanIn + fanOut)). */
    GLOROT_UNIFORM,
    /** U[-l, l] with l = sqrt(6 / fanIn), for layers followed by a ReLU (Keras' he_uniform). */
    HE_UNIFORM,
    /** Normal truncated at two standard deviations, variance 2 / (fanIn + fanOut). */
    GLOROT_NORMAL,
    /** Normal truncated at two standard deviations, variance 2 / fanIn. */
    HE_NORMAL,
    /** N(0, 0.02^2), the DCGAN convention. */
    NORMAL_0_02,
    /** All zeros. */
    ZEROS,
    /** All ones. */
    ONES
}
