package dev.acgan.tck;

/**
 * The tolerances of {@link ParityChecks}: how far a float32 backend may lie from the float64 oracle.
 *
 * <p>Both sides start from the same float32 weights and inputs (the oracle widens them to double
 * exactly), so every difference is rounding of the backend's float32 arithmetic (unit roundoff
 * {@code u = 2^-24 ~ 6e-8}) plus its different summation order. A dot product of {@code K} terms
 * carries a relative error of about {@code sqrt(K)*u} typically and {@code K*u} at worst; the largest
 * sums of the presets have {@code K ~ 1e4} (a 7x7x256 flatten into a Dense, a 5x5x384 transposed
 * convolution), so a single pre-activation is typically good to {@code ~1e-5} relative and a loss (a
 * mean of logarithms, whose absolute error is the absolute error of the logits) to a few
 * {@code 1e-6}. The tolerances below sit well above what float32 backends show (the measured
 * margins are printed by every run, see {@link ParityReport}) and at least 10x below the effect of
 * the mistakes the TCK must catch (a 1% loss term, label smoothing ignored, a wrong LeakyReLU slope
 * ...; the sensitivity self-tests require every planted mistake to exceed its tolerance 10x).
 * Measured on the TensorFlow and ND4J backends (CPU, float32): losses within 0.4% of their tolerance
 * (relative errors ~4e-7), gradients within 1.6%, network outputs within 26%, states after an update
 * within 20%.
 *
 * <p>Scalars and elements pass when {@code |backend - oracle| <= rtol*|oracle| + atol}; tensors compared
 * "by norm" pass when {@code ||backend - oracle||_2 <= rtol*||oracle||_2 + atol*sqrt(size)}.
 */
public final class ParityTolerances {

    private ParityTolerances() {
    }

    /**
     * Losses and each of their components: relative {@value}. A loss is O(0.1-10); float32 losses
     * differ from the double oracle by 1e-7 to 1e-6 relative. A term off by 1% is 100x beyond.
     */
    public static final double LOSS_RTOL = 1e-4;
    /**
     * Absolute floor of losses, {@value}: for components that are exactly 0 in the oracle (the auxiliary
     * terms of a CGAN or GAN) and for tiny terms (a weight times the cross-entropy of a confident
     * classifier), where float32 leaves ~1e-7 of absolute noise.
     */
    public static final double LOSS_ATOL = 1e-6;

    /**
     * Network outputs (generated pixels in [-1, 1], validity and class probabilities in [0, 1]),
     * element by element: relative {@value}, the loss tolerance, as the same float32 forward pass
     * produces them.
     */
    public static final double OUTPUT_RTOL = 1e-4;
    /**
     * Absolute floor of outputs, {@value}: pixels and probabilities are O(1) quantities whose float32
     * error is absolute rather than relative near 0; measured up to ~2.6e-6 on acgan-mnist in training
     * mode (BatchNorm over 3 images after a 5x5x384 transposed convolution). A flipped kernel, an
     * ignored embedding or a changed BatchNorm epsilon moves pixels by 1e-3 to 1.
     */
    public static final double OUTPUT_ATOL = 1e-5;

    /**
     * Gradients, tensor by tensor, by norm: relative {@value}. A float32 backward pass doubles the depth
     * of the forward pass, and training-mode BatchNorm subtracts means of the incoming gradient (mild
     * cancellation), so gradients are held to 5x the loss tolerance; measured float32 errors are
     * below 1e-6 relative by norm. A norm test is used because individual elements that cancel to nearly 0
     * have no meaningful relative accuracy in float32.
     */
    public static final double GRADIENT_RTOL = 5e-4;
    /**
     * Absolute floor of gradients, {@value} times the network's gradient scale (the largest absolute
     * element of the oracle's gradient over all of that network's parameters) per element, i.e.
     * {@code GRADIENT_FLOOR * scale * sqrt(size)} by norm. It covers gradients that are exactly 0 in the
     * oracle but float32 noise in a backend: e.g. the bias of a layer feeding a training-mode BatchNorm,
     * whose gradient is the sum of values that cancel exactly, measured at ~1e-7 of the scale in
     * float32 (a sum of tens to hundreds of rounded terms). It is relative to the scale because the
     * gradients of a mean loss scale with it.
     */
    public static final double GRADIENT_FLOOR = 1e-5;

    /**
     * Finite-difference spot checks, element by element: relative {@value} of the central difference.
     * One element of a float32 gradient is less accurate than the norm of the tensor; the floor is
     * {@link #GRADIENT_FLOOR} times the network's gradient scale plus the central difference's own
     * error {@link #FINITE_DIFFERENCE_ERROR}.
     */
    public static final double SPOT_RTOL = 2e-3;
    /** Step of the central differences of the oracle's loss, {@value} (as the oracle's own gradient tests). */
    public static final double FINITE_DIFFERENCE_STEP = 1e-5;
    /**
     * Accuracy of a double-precision central difference with step {@link #FINITE_DIFFERENCE_STEP}:
     * {@value} times {@code max(1, |derivative|)} (truncation O(h^2) ~ 1e-10, round-off ~ 1e-11). The
     * oracle's exact gradient must agree with it to this (else the oracle itself is reported).
     */
    public static final double FINITE_DIFFERENCE_ERROR = 1e-6;

    /**
     * Trainable parameters after an Adam step, element by element. Adam normalises the gradient, so a
     * parameter moves by about the learning rate {@code lr} whatever the gradient's size, and where the
     * gradient is near 0 (below {@code eps/sqrt(1-beta2)}, ~3e-6 with the Keras epsilon) the update is
     * {@code ~lr * g * sqrt(1-beta2)/eps}: float32 noise in such a gradient (an exact 0 computed as
     * 1e-7, e.g. the bias of a layer feeding a training-mode BatchNorm) moves the parameter by a sizeable
     * fraction of {@code lr}. So the tolerance of each element is propagated from the gradient's: the
     * largest change of the oracle's own update when the element's gradient moves across its band
     * {@code GRADIENT_RTOL*|g| + GRADIENT_FLOOR*scale}, plus this fraction ({@value}) of {@code lr} for
     * float32 Adam arithmetic, plus {@link #PARAMETER_RTOL} of the parameter for float32 storage. Where
     * the gradient is well determined the band adds almost nothing and the tolerance is ~1% of
     * {@code lr}: a parameter updated with the wrong sign, twice, not at all or with the other
     * network's optimizer is off by ~lr, 100x beyond.
     */
    public static final double PARAMETER_STEP_FRACTION = 1e-2;
    /** Relative part of the parameter tolerance, {@value}: the parameter is stored as float32 (ulp/2 = 6e-8 relative). */
    public static final double PARAMETER_RTOL = 5e-7;

    /**
     * BatchNorm moving statistics after a step, element by element: relative {@value}, as losses (they
     * are means and variances of a float32 forward pass). A momentum of 0.9 instead of 0.99 moves a
     * statistic by 9% of its distance to the batch statistic, far beyond.
     */
    public static final double STATISTIC_RTOL = 1e-4;
    /** Absolute floor of moving statistics, {@value}. */
    public static final double STATISTIC_ATOL = 1e-6;
}
