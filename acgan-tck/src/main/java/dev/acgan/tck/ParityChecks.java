package dev.acgan.tck;

import static dev.acgan.tck.ParityTolerances.FINITE_DIFFERENCE_ERROR;
import static dev.acgan.tck.ParityTolerances.FINITE_DIFFERENCE_STEP;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.model.DiscriminatorBatch;
import dev.acgan.api.model.DiscriminatorLosses;
import dev.acgan.api.model.DiscriminatorOutput;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.GeneratorBatch;
import dev.acgan.api.model.GeneratorLosses;
import dev.acgan.api.model.Precision;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.spi.Capability;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import dev.acgan.api.train.DropoutMasks;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.tck.oracle.Arithmetic;
import dev.acgan.tck.oracle.ReferenceBackend;
import dev.acgan.tck.oracle.ReferenceModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;

/**
 * The numerical half of the TCK: a backend compared value by value with the double-precision oracle
 * ({@link ReferenceModel}) from identical state and inputs. Each check returns a {@link ParityReport}
 * when every value lies within its tolerance ({@link ParityTolerances}) and otherwise throws a
 * {@link ParityFailure} listing each offending value with spec, batch, quantity, backend value, oracle
 * value and tolerance. {@link GanBackendParityTck} runs these checks against a backend; the TCK's own
 * sensitivity tests run the very same methods against deliberately broken oracles and require them to
 * fail.
 *
 * <p>State: {@link TckFixtures#weights} (seeded, BatchNorm statistics perturbed), the generator's Adam
 * {@link #GENERATOR_ADAM} and the discriminator's {@link #DISCRIMINATOR_ADAM} (deliberately different,
 * so that swapped optimizers show). Inputs: {@link TckFixtures} images (real MNIST digits for
 * 28x28x1 specs), noise, labels and dropout masks from explicit seeds, so that a failure is reproducible
 * from the spec name, seed and batch size in its message.
 */
public final class ParityChecks {

    /** Adam of the generator in every check: the ACGAN defaults (lr 2e-4, beta1 0.5, beta2 0.999, eps 1e-7). */
    public static final AdamConfig GENERATOR_ADAM = AdamConfig.acganDefaults();
    /** Adam of the discriminator: lr 3e-4, beta1 0.6, beta2 0.995, eps 1e-7 (unlike the generator's on purpose). */
    public static final AdamConfig DISCRIMINATOR_ADAM = new AdamConfig(3e-4, 0.6, 0.995, 1e-7);

    /** Targets and weights of the loss batches. */
    public enum Setting {
        /**
         * What {@link TrainingConfig#defaults()} trains with: real target 0.95 (one-sided label smoothing),
         * fake target 0, auxiliary weights 1, generator target 0.95; as many fakes as real images.
         */
        STANDARD("standard: targets 0.95/0, aux weights 1/1, generator 0.95/1", 0.95f, 0f, 1f, 1f, 0.95f, 1f, 0),
        /**
         * Unusual values that expose hard-coded constants and swapped weights: real target 0.9, fake
         * target 0.1, auxiliary weights 0.8 (real) and 0.4 (fake), generator target 0.85 and auxiliary
         * weight 0.6; one more fake than real images.
         */
        VARIED(
                "varied: targets 0.9/0.1, aux weights 0.8/0.4, generator 0.85/0.6, one extra fake",
                0.9f,
                0.1f,
                0.8f,
                0.4f,
                0.85f,
                0.6f,
                1);

        private final String description;
        private final float realTarget;
        private final float fakeTarget;
        private final float auxWeightReal;
        private final float auxWeightFake;
        private final float generatorTarget;
        private final float generatorAuxWeight;
        private final int extraFakes;

        Setting(
                String description,
                float realTarget,
                float fakeTarget,
                float auxWeightReal,
                float auxWeightFake,
                float generatorTarget,
                float generatorAuxWeight,
                int extraFakes) {
            this.description = description;
            this.realTarget = realTarget;
            this.fakeTarget = fakeTarget;
            this.auxWeightReal = auxWeightReal;
            this.auxWeightFake = auxWeightFake;
            this.generatorTarget = generatorTarget;
            this.generatorAuxWeight = generatorAuxWeight;
            this.extraFakes = extraFakes;
        }

        /** Human-readable targets and weights. */
        public String description() {
            return description;
        }

        /** {@code n} real images and {@code n} (or n+1) fakes with seeded dropout masks. */
        public DiscriminatorBatch discriminatorBatch(ModelSpec spec, int n, long seed) {
            return TckFixtures.discriminatorBatch(
                    spec, n, n + extraFakes, seed, realTarget, fakeTarget, auxWeightReal, auxWeightFake);
        }

        /** {@code n} seeded noise rows, labels and dropout masks. */
        public GeneratorBatch generatorBatch(ModelSpec spec, int n, long seed) {
            return TckFixtures.generatorBatch(spec, n, seed, generatorTarget, generatorAuxWeight);
        }
    }

    private final GanBackend backend;
    private final Precision precision;
    private final ParityTolerances.Profile tolerances;

    /** Checks of the given backend in fp32 against the float64 oracle. */
    public ParityChecks(GanBackend backend) {
        this(backend, Precision.FP32);
    }

    /**
     * Checks of the given backend computing in {@code precision}: {@link Precision#FP32} against the float64
     * oracle with {@link ParityTolerances#FP32}, {@link Precision#BF16} against the oracle with the bf16
     * roundings ({@link Arithmetic#BF16}) with {@link ParityTolerances#BF16}. Each check is skipped (a JUnit
     * assumption, with the backend's reason) when the backend cannot compute in {@code precision} here.
     */
    public ParityChecks(GanBackend backend, Precision precision) {
        this.backend = java.util.Objects.requireNonNull(backend, "backend");
        this.precision = java.util.Objects.requireNonNull(precision, "precision");
        this.tolerances = ParityTolerances.of(precision);
    }

    /** The backend under test. */
    public GanBackend backend() {
        return backend;
    }

    /** The precision the backend is checked in. */
    public Precision precision() {
        return precision;
    }

    /** Skips (JUnit assumption) when the backend cannot compute in the checked precision here. */
    private void requirePrecision() {
        java.util.Optional<String> why = backend.precisionUnavailable(precision);
        Assumptions.assumeTrue(
                why.isEmpty(),
                () -> backend.name() + " cannot compute in " + precision.label() + " here: " + why.orElse(""));
    }

    private Tally tally(String check, ModelSpec spec) {
        requirePrecision();
        return new Tally(
                precision == Precision.FP32 ? check : check + ", " + tolerances.name() + " profile", spec, tolerances);
    }

    private GanModel candidate(ModelSpec spec, NamedTensors state) {
        GanModel m = backend.createModel(spec, GENERATOR_ADAM, DISCRIMINATOR_ADAM, state, precision);
        if (m.precision() != precision || m.generator().precision() != precision) {
            m.close();
            throw new AssertionError(backend.name() + " was asked for a " + precision.label()
                    + " model and reports " + m.precision().label() + " (its generator "
                    + m.generator().precision().label() + ")");
        }
        return m;
    }

    /** The backend's standalone generator in the profile's precision, which it must report. */
    private Generator standalone(ModelSpec spec, NamedTensors generatorWeights) {
        Generator g = backend.loadGenerator(spec, generatorWeights, precision);
        if (g.precision() != precision) {
            g.close();
            throw new AssertionError(backend.name() + " was asked for a " + precision.label()
                    + " generator and reports " + g.precision().label());
        }
        return g;
    }

    private ReferenceModel oracle(ModelSpec spec, NamedTensors state) {
        return new ReferenceModel(spec, GENERATOR_ADAM, DISCRIMINATOR_ADAM, state, Arithmetic.referenceOf(precision));
    }

    private static String discriminatorContext(DiscriminatorBatch b, Setting s) {
        return b.real().count() + " real + " + b.fake().count() + " fake, "
                + s.name().toLowerCase(Locale.ROOT) + " setting";
    }

    // ------------------------------------------------------------------------------ loss parity

    /**
     * Loss parity: for each batch size {@code n} and setting, the discriminator loss of {@code n} real
     * images and as many fakes (total and the four terms) and the generator loss of {@code n} samples
     * (total, adversarial and auxiliary terms), within {@link ParityTolerances#LOSS_RTOL} relative and
     * {@link ParityTolerances#LOSS_ATOL} absolute.
     */
    public ParityReport lossParity(ModelSpec spec, long seed, List<Setting> settings, int... batchSizes) {
        Tally t = tally("loss parity", spec);
        NamedTensors weights = TckFixtures.weights(spec, seed);
        try (GanModel cand = candidate(spec, weights);
                ReferenceModel oracle = oracle(spec, weights)) {
            for (int n : batchSizes) {
                for (Setting s : settings) {
                    long batchSeed = seed * 1_000 + n * 10L + s.ordinal();
                    DiscriminatorBatch db = s.discriminatorBatch(spec, n, batchSeed);
                    t.context(discriminatorContext(db, s));
                    compare(
                            t,
                            "discriminator loss",
                            cand.discriminatorLoss(db),
                            oracle.discriminatorLoss(db),
                            db.count());
                    GeneratorBatch gb = s.generatorBatch(spec, n, batchSeed + 500);
                    t.context(n + " generated, " + s.name().toLowerCase(Locale.ROOT) + " setting");
                    compare(t, "generator loss", cand.generatorLoss(gb), oracle.generatorLoss(gb), n);
                }
            }
        }
        return t.finish(backend.name());
    }

    /** Loss parity in both settings. */
    public ParityReport lossParity(ModelSpec spec, long seed, int... batchSizes) {
        return lossParity(spec, seed, List.of(Setting.values()), batchSizes);
    }

    /** The discriminator losses of a batch of {@code n} images (real and fake). */
    private static void compare(Tally t, String what, DiscriminatorLosses b, DiscriminatorLosses o, int n) {
        t.loss(what + " total", b.total(), o.total(), n);
        t.loss(what + " realAdversarial", b.realAdversarial(), o.realAdversarial(), n);
        t.loss(what + " fakeAdversarial", b.fakeAdversarial(), o.fakeAdversarial(), n);
        t.loss(what + " realAuxiliary", b.realAuxiliary(), o.realAuxiliary(), n);
        t.loss(what + " fakeAuxiliary", b.fakeAuxiliary(), o.fakeAuxiliary(), n);
    }

    /** The generator losses of a batch of {@code n} samples. */
    private static void compare(Tally t, String what, GeneratorLosses b, GeneratorLosses o, int n) {
        t.loss(what + " total", b.total(), o.total(), n);
        t.loss(what + " adversarial", b.adversarial(), o.adversarial(), n);
        t.loss(what + " auxiliary", b.auxiliary(), o.auxiliary(), n);
    }

    // -------------------------------------------------------------------------- gradient parity

    private void requireGradients() {
        Assumptions.assumeTrue(
                backend.capabilities().contains(Capability.GRADIENTS),
                () -> backend.name() + " does not declare " + Capability.GRADIENTS);
    }

    /**
     * Gradient parity: the backend's gradients of the discriminator and generator losses (varied
     * setting, so every target and weight matters) against the oracle's exact double-precision
     * gradients, tensor by tensor, by norm ({@link ParityTolerances#GRADIENT_RTOL},
     * {@link ParityTolerances#GRADIENT_FLOOR}). The names must be exactly the network's trainable
     * parameters. Skipped (JUnit assumption) when the backend lacks {@link Capability#GRADIENTS}.
     */
    public ParityReport gradientParity(ModelSpec spec, long seed, int... batchSizes) {
        requireGradients();
        Tally t = tally("gradient parity", spec);
        NamedTensors weights = TckFixtures.weights(spec, seed);
        InferredModel inferred = spec.validate();
        try (GanModel cand = candidate(spec, weights);
                ReferenceModel oracle = oracle(spec, weights)) {
            for (int n : batchSizes) {
                long batchSeed = seed * 1_000 + n * 10L + 7;
                DiscriminatorBatch db = Setting.VARIED.discriminatorBatch(spec, n, batchSeed);
                t.context(discriminatorContext(db, Setting.VARIED));
                compareGradients(
                        t,
                        inferred.discriminator(),
                        cand.discriminatorGradients(db),
                        oracle.discriminatorGradientsExact(db));
                GeneratorBatch gb = Setting.VARIED.generatorBatch(spec, n, batchSeed + 500);
                t.context(n + " generated, varied setting");
                compareGradients(
                        t, inferred.generator(), cand.generatorGradients(gb), oracle.generatorGradientsExact(gb));
            }
        }
        return t.finish(backend.name());
    }

    /** The largest absolute element over all gradient tensors: the scale of the absolute floor. */
    static double gradientScale(Map<String, double[]> exact) {
        double s = 0;
        for (double[] g : exact.values()) {
            for (double v : g) {
                s = Math.max(s, Math.abs(v));
            }
        }
        return s > 0 ? s : 1e-30;
    }

    static void compareGradients(Tally t, InferredNetwork net, NamedTensors b, Map<String, double[]> o) {
        Set<String> expected = new TreeSet<>();
        net.trainableParameters().forEach(p -> expected.add(p.name()));
        t.names("gradients of " + net.role(), b.names(), expected);
        double scale = gradientScale(o);
        for (ParameterSpec p : net.trainableParameters()) {
            if (b.contains(p.name())) {
                t.norm(
                        "gradient " + p.name(),
                        b.get(p.name()),
                        p.shape(),
                        o.get(p.name()),
                        t.tol.gradientRtol(),
                        t.tol.gradientFloor() * scale);
            }
        }
    }

    /**
     * Finite-difference spot check: for every trainable tensor of both networks, its largest-gradient
     * element and one seeded random element, the backend's gradient is compared directly with a central
     * difference of the oracle's loss ({@link ParityTolerances#FINITE_DIFFERENCE_STEP}), within
     * {@link ParityTolerances#SPOT_RTOL}. The oracle's exact gradient must agree with the same central
     * difference to {@link ParityTolerances#FINITE_DIFFERENCE_ERROR} (reported as an oracle fault if not).
     * Each probe costs two oracle loss evaluations: meant for tiny specs.
     */
    public ParityReport finiteDifferenceSpotCheck(ModelSpec spec, long seed, int batchSize) {
        Assumptions.assumeTrue(
                precision == Precision.FP32,
                "the finite-difference spot check is for fp32: a central "
                        + "difference differentiates the exact loss, which bf16 gradients follow only to their rounding (the "
                        + "bf16 profile checks them against the oracle's bf16 backward in gradient parity, and the fp32 "
                        + "profile checks the same graph's derivative)");
        requireGradients();
        Tally t = tally("finite-difference spot check", spec);
        NamedTensors weights = TckFixtures.weights(spec, seed);
        InferredModel inferred = spec.validate();
        try (GanModel cand = candidate(spec, weights);
                ReferenceModel oracle = oracle(spec, weights)) {
            long batchSeed = seed * 1_000 + batchSize * 10L + 9;
            DiscriminatorBatch db = Setting.VARIED.discriminatorBatch(spec, batchSize, batchSeed);
            t.context(discriminatorContext(db, Setting.VARIED));
            spotCheck(
                    t,
                    oracle::value,
                    oracle::setValue,
                    inferred.discriminator(),
                    cand.discriminatorGradients(db),
                    oracle.discriminatorGradientsExact(db),
                    () -> oracle.discriminatorLoss(db).total(),
                    seed);
            GeneratorBatch gb = Setting.VARIED.generatorBatch(spec, batchSize, batchSeed + 500);
            t.context(batchSize + " generated, varied setting");
            spotCheck(
                    t,
                    oracle::value,
                    oracle::setValue,
                    inferred.generator(),
                    cand.generatorGradients(gb),
                    oracle.generatorGradientsExact(gb),
                    () -> oracle.generatorLoss(gb).total(),
                    seed);
        }
        return t.finish(backend.name());
    }

    /**
     * The spot checks of one network: {@code value} and {@code setValue} read and replace a state value of
     * the oracle in double precision, {@code loss} evaluates the oracle's loss.
     */
    static void spotCheck(
            Tally t,
            Function<String, double[]> value,
            BiConsumer<String, double[]> setValue,
            InferredNetwork net,
            NamedTensors b,
            Map<String, double[]> exact,
            DoubleSupplier loss,
            long seed) {
        double scale = gradientScale(exact);
        for (ParameterSpec p : net.trainableParameters()) {
            double[] g = exact.get(p.name());
            if (!b.contains(p.name()) || b.get(p.name()).data().length != g.length) {
                t.mismatch(
                        "gradient " + p.name(),
                        "missing or misshapen",
                        "shape " + Arrays.toString(p.shape()),
                        Double.NaN,
                        0,
                        "present with the parameter's shape");
                continue;
            }
            float[] bg = b.get(p.name()).data();
            int largest = 0;
            for (int i = 1; i < g.length; i++) {
                if (Math.abs(g[i]) > Math.abs(g[largest])) {
                    largest = i;
                }
            }
            int random = new SplittableRandom(seed * 31 + p.name().hashCode()).nextInt(g.length);
            for (int i : largest == random ? new int[] {largest} : new int[] {largest, random}) {
                double fd = centralDifference(value, setValue, p.name(), i, loss);
                String q = "gradient " + p.name() + "[" + i + "]";
                double fdError = FINITE_DIFFERENCE_ERROR * Math.max(1, Math.abs(fd));
                t.scalarWithTolerance(
                        "oracle self-check (exact vs central difference) " + q,
                        g[i],
                        fd,
                        fdError,
                        String.format(Locale.ROOT, "%.3e (finite-difference accuracy)", fdError));
                double tol = t.tol.spotRtol() * Math.abs(fd) + t.tol.gradientFloor() * scale + fdError;
                t.scalarWithTolerance(
                        q + " vs central difference",
                        bg[i],
                        fd,
                        tol,
                        String.format(
                                Locale.ROOT,
                                "%.3e (%.0e*|fd| + %.0e*scale %.3e + fd accuracy)",
                                tol,
                                t.tol.spotRtol(),
                                t.tol.gradientFloor(),
                                scale));
            }
        }
    }

    private static double centralDifference(
            Function<String, double[]> value,
            BiConsumer<String, double[]> setValue,
            String name,
            int i,
            DoubleSupplier loss) {
        double[] x = value.apply(name);
        double saved = x[i];
        try {
            x[i] = saved + FINITE_DIFFERENCE_STEP;
            setValue.accept(name, x);
            double plus = loss.getAsDouble();
            x[i] = saved - FINITE_DIFFERENCE_STEP;
            setValue.accept(name, x);
            double minus = loss.getAsDouble();
            return (plus - minus) / (2 * FINITE_DIFFERENCE_STEP);
        } finally {
            x[i] = saved;
            setValue.accept(name, x);
        }
    }

    // ---------------------------------------------------------------------------- update parity

    /**
     * Update parity: from identical state, {@code steps} rounds of one discriminator step
     * ({@code batchSize} real + as many fake) and one generator step ({@code batchSize} samples), with
     * the same batches and dropout masks, on the backend and on the oracle. After every step the whole
     * state is compared: the stepped network's parameters (within a fraction of the learning rate, see
     * {@link ParityTolerances#PARAMETER_STEP_FRACTION}), BatchNorm moving statistics, Adam first moments
     * and square roots of second moments (bounded by the gradient tolerance, as one step moves them by
     * {@code (1-beta1)*dg} and at most {@code sqrt(1-beta2)*dg}), the update counters (exactly); the other
     * network's tensors must not change at all. The returned losses are compared as in loss parity.
     * Before each step both sides are reset to the oracle's state rounded to float32, so each step is
     * compared from identical state.
     */
    public ParityReport updateParity(ModelSpec spec, long seed, int batchSize, int steps) {
        Tally t = tally("update parity", spec);
        InferredModel inferred = spec.validate();
        NamedTensors weights = TckFixtures.weights(spec, seed);
        try (GanModel cand = candidate(spec, weights);
                ReferenceModel oracle = oracle(spec, weights)) {
            NamedTensors before = oracle.state();
            for (int s = 1; s <= steps; s++) {
                long batchSeed = seed * 1_000 + batchSize * 10L + 100L * s;
                DiscriminatorBatch db = Setting.STANDARD.discriminatorBatch(spec, batchSize, batchSeed);
                t.context("discriminator step " + s + ", " + discriminatorContext(db, Setting.STANDARD));
                Map<String, double[]> gD = oracle.discriminatorGradientsExact(db);
                compare(
                        t,
                        "returned discriminator loss",
                        cand.trainDiscriminator(db),
                        oracle.trainDiscriminator(db),
                        db.count());
                compareState(
                        t, inferred, cand.state(), oracle, before, inferred.discriminator(), gD, DISCRIMINATOR_ADAM);
                before = resync(cand, oracle);

                GeneratorBatch gb = Setting.STANDARD.generatorBatch(spec, batchSize, batchSeed + 50);
                t.context("generator step " + s + ", " + batchSize + " generated, standard setting");
                Map<String, double[]> gG = oracle.generatorGradientsExact(gb);
                compare(t, "returned generator loss", cand.trainGenerator(gb), oracle.trainGenerator(gb), batchSize);
                compareState(t, inferred, cand.state(), oracle, before, inferred.generator(), gG, GENERATOR_ADAM);
                before = resync(cand, oracle);
            }
        }
        return t.finish(backend.name());
    }

    /** Loads the oracle's state, rounded to float32, into both; returns it. */
    private static NamedTensors resync(GanModel cand, ReferenceModel oracle) {
        NamedTensors s = oracle.state();
        oracle.loadState(s);
        cand.loadState(s);
        return s;
    }

    private static boolean belongsTo(String stateName, String role) {
        String prefix = role + "/";
        return stateName.startsWith(prefix)
                || stateName.startsWith(StateNames.ADAM_M + prefix)
                || stateName.startsWith(StateNames.ADAM_V + prefix)
                || stateName.equals("adam/iterations/" + role);
    }

    private static void compareState(
            Tally t,
            InferredModel inferred,
            NamedTensors b,
            ReferenceModel oracle,
            NamedTensors before,
            InferredNetwork stepped,
            Map<String, double[]> gradient,
            AdamConfig adam) {
        Map<String, int[]> shapes = StateNames.fullStateShapes(inferred);
        t.names("state", b.names(), shapes.keySet());
        Map<String, ParameterSpec> params = new java.util.HashMap<>();
        inferred.parameters().forEach(p -> params.put(p.name(), p));
        double scale = gradientScale(gradient);
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            String name = e.getKey();
            if (!b.contains(name)) {
                continue;
            }
            Tensor bt = b.get(name);
            if (!Arrays.equals(bt.shape(), e.getValue())) {
                t.mismatch(
                        "state " + name,
                        "shape " + Arrays.toString(bt.shape()),
                        "shape " + Arrays.toString(e.getValue()),
                        Double.NaN,
                        0,
                        "the canonical shape");
                continue;
            }
            if (!belongsTo(name, stepped.role())) {
                t.unchanged(
                        "state " + name + " (" + stepped.role() + " step must not change it)", bt, before.get(name));
            } else if (name.equals(StateNames.ITERATIONS_GENERATOR)) {
                t.exact("state " + name, bt.data()[0], oracle.generatorIterations());
            } else if (name.equals(StateNames.ITERATIONS_DISCRIMINATOR)) {
                t.exact("state " + name, bt.data()[0], oracle.discriminatorIterations());
            } else {
                long steps = stepped.role().equals("generator")
                        ? oracle.generatorIterations()
                        : oracle.discriminatorIterations();
                compareStepped(t, name, bt, e.getValue(), oracle::value, before, params, gradient, adam, steps, scale);
            }
        }
    }

    /**
     * One tensor of the stepped network after an Adam step ({@code steps} updates so far): an Adam moment,
     * a trainable parameter (within its {@link #adamBand}) or a moving statistic.
     */
    static void compareStepped(
            Tally t,
            String name,
            Tensor bt,
            int[] shape,
            Function<String, double[]> oracle,
            NamedTensors before,
            Map<String, ParameterSpec> params,
            Map<String, double[]> gradient,
            AdamConfig adam,
            long steps,
            double scale) {
        if (name.startsWith(StateNames.ADAM_M)) {
            double[] g = gradient.get(name.substring(StateNames.ADAM_M.length()));
            t.norm(
                    "state " + name,
                    bt,
                    shape,
                    oracle.apply(name),
                    0,
                    (1 - adam.beta1())
                            * (t.tol.gradientRtol() * norm(g) / Math.sqrt(g.length) + t.tol.gradientFloor() * scale));
        } else if (name.startsWith(StateNames.ADAM_V)) {
            double[] g = gradient.get(name.substring(StateNames.ADAM_V.length()));
            t.norm(
                    "state sqrt(" + name + ")",
                    sqrt(bt),
                    shape,
                    sqrt(oracle.apply(name)),
                    0,
                    Math.sqrt(1 - adam.beta2())
                            * (t.tol.gradientRtol() * norm(g) / Math.sqrt(g.length) + t.tol.gradientFloor() * scale));
        } else if (params.get(name).trainable()) {
            double[] band = adamBand(t.tol, adam, steps, name, before, gradient.get(name), scale);
            t.parameters(
                    "state " + name, bt, oracle.apply(name), before.get(name).data(), band);
        } else {
            t.elements(
                    "state " + name,
                    bt,
                    oracle.apply(name),
                    t.tol.statisticRtol(),
                    t.tol.statisticAtol(),
                    before.get(name).data());
        }
    }

    /**
     * Per element, the tolerance of a parameter after an Adam step: how far the update can move when the
     * gradient moves within its element-wise tolerance band {@code GRADIENT_RTOL*|g| + GRADIENT_FLOOR*scale}
     * (the largest change of the oracle's own update over five gradients across the band), plus
     * {@link ParityTolerances#PARAMETER_STEP_FRACTION} of the learning rate for float32 Adam arithmetic
     * and {@link ParityTolerances#PARAMETER_RTOL} of the parameter for float32 storage.
     */
    private static double[] adamBand(
            ParityTolerances.Profile tolerances,
            AdamConfig adam,
            long t,
            String name,
            NamedTensors before,
            double[] g,
            double scale) {
        float[] p0 = before.get(name).data();
        float[] m0 = before.get(StateNames.ADAM_M + name).data();
        float[] v0 = before.get(StateNames.ADAM_V + name).data();
        double[] tol = new double[g.length];
        double[] p = new double[1];
        double[] m = new double[1];
        double[] v = new double[1];
        for (int i = 0; i < g.length; i++) {
            double band = tolerances.gradientRtol() * Math.abs(g[i]) + tolerances.gradientFloor() * scale;
            double exact = adamStep(adam, t, p0[i], m0[i], v0[i], g[i], p, m, v);
            double spread = 0;
            for (double f : new double[] {-1, -0.5, 0.5, 1}) {
                spread = Math.max(
                        spread, Math.abs(adamStep(adam, t, p0[i], m0[i], v0[i], g[i] + f * band, p, m, v) - exact));
            }
            tol[i] = spread
                    + tolerances.parameterStepFraction() * adam.learningRate()
                    + tolerances.parameterRtol() * Math.abs(exact);
        }
        return tol;
    }

    private static double adamStep(
            AdamConfig adam, long t, double p0, double m0, double v0, double g, double[] p, double[] m, double[] v) {
        p[0] = p0;
        m[0] = m0;
        v[0] = v0;
        dev.acgan.tck.oracle.Adam.update(adam, t, p, new double[] {g}, m, v);
        return p[0];
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static Tensor sqrt(Tensor t) {
        float[] out = new float[t.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.sqrt(Math.max(0, t.data()[i]));
        }
        return new Tensor(t.shape(), out);
    }

    private static double[] sqrt(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.sqrt(Math.max(0, v[i]));
        }
        return out;
    }

    // ------------------------------------------------------------------------- inference parity

    /**
     * Forward parity of the networks' outputs, element by element ({@link ParityTolerances#OUTPUT_RTOL},
     * {@link ParityTolerances#OUTPUT_ATOL}): generated images in inference mode (the model's view and a
     * standalone {@link GanBackend#loadGenerator}, moving BatchNorm statistics) and in training mode
     * (batch statistics, generator dropout masks), and the discriminator's validity and class
     * probabilities in inference mode on real images.
     */
    public ParityReport inferenceParity(ModelSpec spec, long seed, int batchSize) {
        Tally t = tally("inference parity", spec);
        InferredModel inferred = spec.validate();
        NamedTensors weights = TckFixtures.weights(spec, seed);
        Tensor z = TckFixtures.noise(spec, batchSize, seed + 1);
        int[] labels = TckFixtures.labels(spec, batchSize, seed + 2);
        Map<String, float[]> masks = DropoutMasks.draw(inferred.generator(), batchSize, new SplittableRandom(seed + 3));
        try (GanModel cand = candidate(spec, weights);
                ReferenceModel oracle = oracle(spec, weights);
                Generator standalone = standalone(spec, weights.withPrefix("generator/"))) {
            t.context(batchSize + " generated, inference mode");
            ImageBatch expected = oracle.generator().generate(z, labels);
            t.images("generated image (model view)", cand.generator().generate(z, labels), expected);
            t.images("generated image (standalone loadGenerator)", standalone.generate(z, labels), expected);
            t.context(batchSize + " generated, training mode with dropout masks");
            t.images(
                    "generated image (training mode)",
                    cand.generate(z, labels, true, masks),
                    oracle.generate(z, labels, true, masks),
                    true);
            ImageBatch real = TckFixtures.realImages(spec, batchSize, seed + 4);
            if (!spec.kind().conditionalGenerator()) {
                real = real.withLabels(null);
            }
            t.context(batchSize + " real images, inference mode");
            DiscriminatorOutput bo = cand.discriminator().discriminate(real);
            DiscriminatorOutput oo = oracle.discriminator().discriminate(real);
            t.outputs("discriminator validity", bo.validity(), oo.validity());
            if (spec.kind().auxiliaryClassifier()) {
                t.outputs("discriminator class probabilities", bo.classProbabilities(), oo.classProbabilities());
            }
        }
        return t.finish(backend.name());
    }

    // --------------------------------------------------------------------- checkpoint portability

    /**
     * Checkpoint portability to the oracle: three training steps with {@link GanTrainer} on the backend
     * (batch 6), the checkpoint written (full and generator-only) to {@code dir} and read back, then
     * loaded by the backend's {@link GanBackend#loadGenerator} and the oracle's: the images for the same
     * noise and labels agree within the output tolerance, and equal the trained model's own images.
     */
    public ParityReport checkpointPortability(ModelSpec spec, long seed, Path dir) {
        Tally t = tally("checkpoint portability", spec);
        TrainingConfig cfg = TrainingConfig.defaults()
                .withBatchSize(6)
                .withMaxSteps(3)
                .withSeed(seed)
                .withPrecision(precision);
        Tensor z = TckFixtures.noise(spec, 7, seed + 11);
        int[] labels = TckFixtures.labels(spec, 7, seed + 12);
        try (GanTrainer trainer = GanTrainer.create(backend, spec, cfg, TckFixtures.dataset(spec, 24, seed))) {
            trainer.run();
            Checkpoint cp = trainer.checkpoint();
            cp.write(dir.resolve("full"));
            cp.generatorOnly().write(dir.resolve("generator"));
            ImageBatch trained = trainer.model().generator().generate(z, labels);
            for (String which : List.of("full", "generator")) {
                Checkpoint read = Checkpoint.read(dir.resolve(which));
                t.context("7 generated after 3 training steps, " + which + " checkpoint");
                try (Generator ref = new ReferenceBackend()
                                .loadGenerator(read.metadata().spec(), read.tensors(), precision);
                        Generator own = standalone(read.metadata().spec(), read.tensors())) {
                    ImageBatch expected = ref.generate(z, labels);
                    t.images("generated image (backend loading the checkpoint)", own.generate(z, labels), expected);
                    t.images("generated image (backend's trained model)", trained, expected);
                }
            }
        }
        return t.finish(backend.name());
    }

    // ------------------------------------------------------------------------------ comparisons

    /** Accumulates comparisons of one check; {@link #finish} throws when any value was out of tolerance. */
    static final class Tally {
        private final String check;
        private final String spec;
        final ParityTolerances.Profile tol;
        private String context = "";
        private final List<ParityFailure.Mismatch> mismatches = new ArrayList<>();
        private int comparisons;
        private double worstRatio;
        private String worstQuantity = "-";

        Tally(String check, ModelSpec spec, ParityTolerances.Profile tol) {
            this(check, spec.name(), tol);
        }

        Tally(String check, String spec) {
            this(check, spec, ParityTolerances.FP32);
        }

        Tally(String check, String spec, ParityTolerances.Profile tol) {
            this.check = check;
            this.spec = spec;
            this.tol = tol;
        }

        void context(String c) {
            context = c;
        }

        private void record(String quantity, double ratio) {
            comparisons++;
            if (ratio > worstRatio || Double.isNaN(ratio)) {
                worstRatio = Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio;
                worstQuantity = quantity + " (" + context + ")";
            }
        }

        void mismatch(String quantity, String backend, String oracle, double error, double limit, String tolerance) {
            mismatches.add(new ParityFailure.Mismatch(
                    check, spec, context, quantity, backend, oracle, error, limit, tolerance));
        }

        private static String fmt(double v) {
            return String.format(Locale.ROOT, "%.9g", v);
        }

        void scalar(String quantity, double b, double o, double rtol, double atol) {
            double tol = rtol * Math.abs(o) + atol;
            scalarWithTolerance(
                    quantity, b, o, tol, String.format(Locale.ROOT, "%.3e (%.0e*|oracle| + %.0e)", tol, rtol, atol));
        }

        /**
         * A loss (a mean over {@code n} examples): {@code |b - o| <= lossRtol*|o| + lossAtol}, plus in bf16 the
         * effect of one flipped rounding of a head's logit in the batch, {@code lossFlip*max(|o|, 1)/n}.
         */
        void loss(String quantity, double b, double o, int n) {
            double flip = tol.lossFlip() * Math.max(Math.abs(o), 1) / n;
            double limit = tol.lossRtol() * Math.abs(o) + tol.lossAtol() + flip;
            scalarWithTolerance(
                    quantity,
                    b,
                    o,
                    limit,
                    flip == 0
                            ? String.format(
                                    Locale.ROOT, "%.3e (%.0e*|oracle| + %.0e)", limit, tol.lossRtol(), tol.lossAtol())
                            : String.format(
                                    Locale.ROOT,
                                    "%.3e (%.0e*|oracle| + %.0e + %.3g*max(|oracle|, 1)/%d examples)",
                                    limit,
                                    tol.lossRtol(),
                                    tol.lossAtol(),
                                    tol.lossFlip(),
                                    n));
        }

        void scalarWithTolerance(String quantity, double b, double o, double tol, String tolText) {
            double err = Math.abs(b - o);
            record(quantity, err / tol);
            if (!(err <= tol)) {
                mismatch(quantity, fmt(b), fmt(o), err, tol, tolText);
            }
        }

        void exact(String quantity, double b, double o) {
            record(quantity, b == o ? 0 : Double.POSITIVE_INFINITY);
            if (b != o) {
                mismatch(quantity, fmt(b), fmt(o), Math.abs(b - o), 0, "0 (must be exact)");
            }
        }

        void names(String what, Set<String> actual, Set<String> expected) {
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(actual);
            Set<String> unknown = new TreeSet<>(actual);
            unknown.removeAll(expected);
            comparisons++;
            if (!missing.isEmpty() || !unknown.isEmpty()) {
                mismatch(
                        "names of the " + what,
                        "missing " + missing + ", unexpected " + unknown,
                        expected.size() + " expected names",
                        Double.NaN,
                        0,
                        "the same names");
            }
        }

        private boolean sameSize(String quantity, Tensor b, int[] shape, int oracleSize) {
            if (!Arrays.equals(b.shape(), shape) || b.data().length != oracleSize) {
                mismatch(
                        quantity,
                        "shape " + Arrays.toString(b.shape()),
                        "shape " + Arrays.toString(shape),
                        Double.NaN,
                        0,
                        "the same shape");
                return false;
            }
            return true;
        }

        /** Element-wise: {@code |b - o| <= rtol*|o| + atol}; reports the worst element and the count outside. */
        void elements(String quantity, Tensor b, double[] o, double rtol, double atol, float[] before) {
            if (sameSize(quantity, b, b.shape(), o.length)) {
                elements(quantity, b.data(), o, rtol, atol, before);
            }
        }

        void elements(String quantity, float[] b, double[] o, double rtol, double atol) {
            elements(quantity, b, o, rtol, atol, null);
        }

        void elements(String quantity, float[] b, double[] o, double rtol, double atol, float[] before) {
            double[] tols = new double[o.length];
            for (int i = 0; i < o.length; i++) {
                tols[i] = rtol * Math.abs(o[i]) + atol;
            }
            elements(quantity, b, o, tols, before, String.format(Locale.ROOT, "(%.0e*|oracle| + %.1e)", rtol, atol));
        }

        /** Parameters after an Adam step, with per-element tolerances (see {@code adamBand}). */
        void parameters(String quantity, Tensor b, double[] o, float[] before, double[] tols) {
            if (sameSize(quantity, b, b.shape(), o.length)) {
                elements(
                        quantity,
                        b.data(),
                        o,
                        tols,
                        before,
                        "(Adam step with the gradient in its tolerance band" + " + " + tol.parameterStepFraction()
                                + "*lr + " + tol.parameterRtol() + "*|oracle|)");
            }
        }

        private void elements(String quantity, float[] b, double[] o, double[] tols, float[] before, String formula) {
            if (b == null || b.length != o.length) {
                mismatch(
                        quantity,
                        b == null ? "null" : b.length + " values",
                        o.length + " values",
                        Double.NaN,
                        0,
                        "the same size");
                return;
            }
            int worst = -1;
            double worstRatioHere = -1;
            int outside = 0;
            for (int i = 0; i < o.length; i++) {
                double tol = tols[i];
                double r = Math.abs(b[i] - o[i]) / tol;
                if (Double.isNaN(r)) {
                    r = Double.POSITIVE_INFINITY;
                }
                if (r > 1) {
                    outside++;
                }
                if (r > worstRatioHere) {
                    worstRatioHere = r;
                    worst = i;
                }
            }
            if (worst < 0) {
                return;
            }
            record(quantity, worstRatioHere);
            if (outside > 0) {
                String prior = before == null ? "" : " (before the step: " + fmt(before[worst]) + ")";
                mismatch(
                        quantity + "[" + worst + "] (" + outside + " of " + o.length + " elements outside)",
                        fmt(b[worst]) + prior,
                        fmt(o[worst]),
                        Math.abs(b[worst] - o[worst]),
                        tols[worst],
                        String.format(Locale.ROOT, "%.3e ", tols[worst]) + formula);
            }
        }

        void outputs(String quantity, float[] b, float[] o) {
            outputs(quantity, b, o, tol.outputAtol());
        }

        private void outputs(String quantity, float[] b, float[] o, double atol) {
            double[] od = new double[o.length];
            for (int i = 0; i < o.length; i++) {
                od[i] = o[i];
            }
            elements(quantity, b, od, tol.outputRtol(), atol);
        }

        void images(String quantity, ImageBatch b, ImageBatch o) {
            images(quantity, b, o, false);
        }

        /** Generated images; in training mode (batch statistics) with {@code trainingOutputAtol}. */
        void images(String quantity, ImageBatch b, ImageBatch o, boolean trainingMode) {
            if (b.count() != o.count()
                    || b.height() != o.height()
                    || b.width() != o.width()
                    || b.channels() != o.channels()) {
                mismatch(quantity, b.toString(), o.toString(), Double.NaN, 0, "the same image shape");
                return;
            }
            outputs(
                    quantity,
                    b.toLayout(dev.acgan.api.tensor.Layout.NHWC).pixels(),
                    o.toLayout(dev.acgan.api.tensor.Layout.NHWC).pixels(),
                    trainingMode ? tol.trainingOutputAtol() : tol.outputAtol());
        }

        /** By norm: {@code ||b - o|| <= rtol*||o|| + atol*sqrt(size)}; reports the norms and the worst element. */
        void norm(String quantity, Tensor b, int[] shape, double[] o, double rtol, double atol) {
            if (!sameSize(quantity, b, shape, o.length)) {
                return;
            }
            float[] bd = b.data();
            double diff = 0;
            double on = 0;
            double bn = 0;
            int worst = 0;
            for (int i = 0; i < o.length; i++) {
                double d = bd[i] - o[i];
                diff += d * d;
                on += o[i] * o[i];
                bn += (double) bd[i] * bd[i];
                if (!(Math.abs(d) <= Math.abs(bd[worst] - o[worst]))) {
                    worst = i;
                }
            }
            diff = Math.sqrt(diff);
            on = Math.sqrt(on);
            bn = Math.sqrt(bn);
            double tol = rtol * on + atol * Math.sqrt(o.length);
            record(quantity, diff / tol);
            if (!(diff <= tol)) {
                mismatch(
                        quantity + " (by norm; largest difference at [" + worst + "]: backend " + fmt(bd[worst])
                                + ", oracle " + fmt(o[worst]) + ")",
                        "norm " + fmt(bn),
                        "norm " + fmt(on),
                        diff,
                        tol,
                        String.format(
                                Locale.ROOT, "%.3e (%.0e*||oracle|| + %.3e*sqrt(%d))", tol, rtol, atol, o.length));
            }
        }

        /** Bit-identical to the state before the step. */
        void unchanged(String quantity, Tensor b, Tensor before) {
            comparisons++;
            if (!b.equals(before)) {
                double d = Arrays.equals(b.shape(), before.shape()) ? b.maxAbsDifference(before) : Double.NaN;
                record(quantity, Double.POSITIVE_INFINITY);
                mismatch(quantity, "changed by up to " + fmt(d), "unchanged", d, 0, "0 (must not change)");
            }
        }

        ParityReport finish(String backendName) {
            if (!mismatches.isEmpty()) {
                throw new ParityFailure(backendName, mismatches);
            }
            return new ParityReport(check, spec, comparisons, worstRatio, worstQuantity);
        }
    }
}
