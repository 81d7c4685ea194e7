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

    private ParityTolerances() {}

    /**
     * One set of tolerances: the {@link #FP32} profile (the constants of this class) or the {@link #BF16}
     * profile. Each field has the meaning of the constant of the same name.
     *
     * @param name                  {@code fp32} or {@code bf16}
     * @param lossRtol              see {@link #LOSS_RTOL}
     * @param lossAtol              see {@link #LOSS_ATOL}
     * @param lossFlip              bf16: a loss may also differ by {@code lossFlip*max(|loss|, 1)/n} over a batch of
     *                              {@code n} examples (one flipped rounding of a logit); 0 in fp32
     * @param outputRtol            see {@link #OUTPUT_RTOL}
     * @param outputAtol            see {@link #OUTPUT_ATOL}
     * @param trainingOutputAtol    the same for generated images in training mode (BatchNorm on batch statistics)
     * @param gradientRtol          see {@link #GRADIENT_RTOL}
     * @param gradientFloor         see {@link #GRADIENT_FLOOR}
     * @param spotRtol              see {@link #SPOT_RTOL}
     * @param parameterStepFraction see {@link #PARAMETER_STEP_FRACTION}
     * @param parameterRtol         see {@link #PARAMETER_RTOL}
     * @param statisticRtol         see {@link #STATISTIC_RTOL}
     * @param statisticAtol         see {@link #STATISTIC_ATOL}
     */
    public record Profile(
            String name,
            double lossRtol,
            double lossAtol,
            double lossFlip,
            double outputRtol,
            double outputAtol,
            double trainingOutputAtol,
            double gradientRtol,
            double gradientFloor,
            double spotRtol,
            double parameterStepFraction,
            double parameterRtol,
            double statisticRtol,
            double statisticAtol) {}

    /** The float32 profile: a float32 backend against the float64 oracle (the constants of this class). */
    public static final Profile FP32 = new Profile(
            "fp32",
            ParityTolerances.LOSS_RTOL,
            ParityTolerances.LOSS_ATOL,
            0,
            ParityTolerances.OUTPUT_RTOL,
            ParityTolerances.OUTPUT_ATOL,
            ParityTolerances.OUTPUT_ATOL,
            ParityTolerances.GRADIENT_RTOL,
            ParityTolerances.GRADIENT_FLOOR,
            ParityTolerances.SPOT_RTOL,
            ParityTolerances.PARAMETER_STEP_FRACTION,
            ParityTolerances.PARAMETER_RTOL,
            ParityTolerances.STATISTIC_RTOL,
            ParityTolerances.STATISTIC_ATOL);

    /**
     * The bf16 profile: a {@link dev.acgan.api.model.Precision#BF16} backend against the oracle that makes the
     * same bfloat16 roundings ({@link dev.acgan.tck.oracle.Arithmetic#BF16}). Both round the same operands and
     * the same results, so they differ only where a backend's float32 sum, or a float32 value it rounds, lies
     * on the other side of a bfloat16 rounding boundary than the oracle's exact one: a <em>flip</em>, which
     * moves that element by one bfloat16 unit in the last place, at most {@code 2^-7} of it (bfloat16 keeps 8
     * significant bits, unit roundoff {@code u = 2^-8}). Measured on the TensorFlow backend (AMX), a single
     * convolution or matrix product flips 4e-5 to 7e-4 of its outputs (K = 128 to 8,192 terms), never by more
     * than one unit. Each tolerance is the fp32 one plus the effect of flips where they matter:
     * <ul>
     *   <li>losses: one flipped logit in the batch, {@link #BF16_LOSS_FLIP}{@code *max(|loss|, 1)/n} for a
     *       mean over {@code n} examples (a logit {@code z} moves by at most {@code 2^-7|z|}, a log-loss by at
     *       most {@code |z dloss/dz| <= max(loss, 1)} times that);</li>
     *   <li>outputs: {@link #BF16_OUTPUT_ATOL} = {@code 2^-8} absolute: one flip in the last product moves a
     *       pre-activation by {@code 2^-7|z|} and a tanh, sigmoid or softmax output by at most
     *       {@code 2^-7 max|z f'(z)| < 2^-8}; {@link #BF16_TRAINING_OUTPUT_ATOL} = {@code 2^-7}, twice that, for
     *       images generated in training mode, where BatchNorm's division by a small batch's standard deviation
     *       magnifies flips (measured up to 3.2e-3 on acgan-mnist at batch 3);</li>
     *   <li>gradients: {@link #BF16_GRADIENT_RTOL} = {@code 2^-7} relative by norm (every element one unit
     *       off), and per element for the Adam band; the floor {@link #BF16_GRADIENT_FLOOR} = {@code 2^-7} of
     *       the network's gradient scale, one flip in a term as large as the largest gradient element, for
     *       elements that sum to nearly 0;</li>
     *   <li>BatchNorm moving statistics: {@link #BF16_STATISTIC_RTOL} = {@code 2^-10} relative (one flipped
     *       element among the batch's values, weighted by {@code 1 - momentum <= 0.1} and more);</li>
     *   <li>Adam's own float32 arithmetic and float32 storage as in fp32.</li>
     * </ul>
     * The finite-difference spot check is fp32 only (a central difference differentiates the exact loss).
     */
    public static final Profile BF16 = new Profile(
            "bf16",
            ParityTolerances.LOSS_RTOL,
            ParityTolerances.LOSS_ATOL,
            ParityTolerances.BF16_LOSS_FLIP,
            ParityTolerances.OUTPUT_RTOL,
            ParityTolerances.BF16_OUTPUT_ATOL,
            ParityTolerances.BF16_TRAINING_OUTPUT_ATOL,
            ParityTolerances.BF16_GRADIENT_RTOL,
            ParityTolerances.BF16_GRADIENT_FLOOR,
            ParityTolerances.SPOT_RTOL,
            ParityTolerances.PARAMETER_STEP_FRACTION,
            ParityTolerances.PARAMETER_RTOL,
            ParityTolerances.BF16_STATISTIC_RTOL,
            ParityTolerances.STATISTIC_ATOL);

    /** bf16: one bfloat16 unit in the last place of a logit, relative ({@code 2^-7}), per batch (see {@link #BF16}). */
    public static final double BF16_LOSS_FLIP = 0x1p-7;
    /** bf16: outputs within {@value} absolute (see {@link #BF16}). */
    public static final double BF16_OUTPUT_ATOL = 0x1p-8;
    /** bf16: images generated in training mode within {@value} absolute (see {@link #BF16}). */
    public static final double BF16_TRAINING_OUTPUT_ATOL = 0x1p-7;
    /** bf16: gradients within {@value} relative (see {@link #BF16}). */
    public static final double BF16_GRADIENT_RTOL = 0x1p-7;
    /** bf16: gradient floor, {@value} of the network's gradient scale (see {@link #BF16}). */
    public static final double BF16_GRADIENT_FLOOR = 0x1p-7;
    /** bf16: BatchNorm moving statistics within {@value} relative (see {@link #BF16}). */
    public static final double BF16_STATISTIC_RTOL = 0x1p-10;

    /** The profile of a backend computing in {@code precision} (FP32 or BF16). */
    public static Profile of(dev.acgan.api.model.Precision precision) {
        return precision.requireConcrete() == dev.acgan.api.model.Precision.BF16 ? BF16 : FP32;
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
