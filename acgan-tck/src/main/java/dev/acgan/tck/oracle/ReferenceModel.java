package dev.acgan.tck.oracle;

import dev.acgan.api.model.Discriminator;
import dev.acgan.api.model.DiscriminatorBatch;
import dev.acgan.api.model.DiscriminatorLosses;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.GeneratorBatch;
import dev.acgan.api.model.GeneratorLosses;
import dev.acgan.api.model.Precision;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The reference {@link GanModel}: both networks, their BatchNorm statistics and the Adam state held in
 * double precision and computed with {@link GraphExecutor}. It defines what every backend must compute.
 *
 * <ul>
 *   <li>Discriminator step: real images then fakes in one forward pass of {@code N} images, in training
 *       mode (the batch's dropout masks, BatchNorm on batch statistics), the loss of
 *       {@link DiscriminatorBatch}, one Adam step on every trainable discriminator parameter, then the
 *       discriminator's BatchNorm moving statistics (if any) are updated from that pass.</li>
 *   <li>Generator step: the generator in training mode (its masks, batch statistics), its images judged
 *       by the discriminator in training mode (the batch's discriminator masks, batch statistics), the
 *       loss of {@link GeneratorBatch}, one Adam step on every trainable generator parameter, then the
 *       generator's moving statistics are updated from that pass. No discriminator value changes.</li>
 *   <li>For a CGAN the discriminator's {@code label} input is the images' labels (the generator batch's
 *       labels in the generator step); for a vanilla GAN labels are ignored.</li>
 * </ul>
 *
 * <p>Besides the {@link GanModel} contract it exposes double-precision accessors
 * ({@link #value}, {@link #setValue}, {@link #discriminatorGradientsExact}, {@link #generatorGradientsExact})
 * for TCK tests that must not lose precision to float32.
 */
public final class ReferenceModel implements GanModel {

    private final ModelSpec spec;
    private final Arithmetic arithmetic;
    private final InferredModel inferred;
    private final AdamConfig generatorOptimizer;
    private final AdamConfig discriminatorOptimizer;
    private final GraphExecutor generatorExecutor;
    private final GraphExecutor discriminatorExecutor;
    /** Parameters, statistics and Adam moments by state name; the map's key set never changes. */
    private final Map<String, double[]> values = new HashMap<>();

    private long generatorIterations;
    private long discriminatorIterations;
    private volatile boolean closed;

    /**
     * Compiles a model.
     *
     * @param spec                   the model
     * @param generatorOptimizer     Adam settings of the generator
     * @param discriminatorOptimizer Adam settings of the discriminator
     * @param state                  every parameter and statistic, Adam entries optional
     * @throws dev.acgan.api.spec.SpecException for an invalid spec
     * @throws IllegalArgumentException         for a missing, unknown or misshapen state tensor
     */
    public ReferenceModel(
            ModelSpec spec, AdamConfig generatorOptimizer, AdamConfig discriminatorOptimizer, NamedTensors state) {
        this(spec, generatorOptimizer, discriminatorOptimizer, state, Arithmetic.FLOAT64);
    }

    /**
     * Compiles a model whose convolutions and matrix products follow {@code arithmetic} (everything else,
     * the weights and Adam stay float64).
     *
     * @throws dev.acgan.api.spec.SpecException for an invalid spec
     * @throws IllegalArgumentException         for a missing, unknown or misshapen state tensor
     */
    public ReferenceModel(
            ModelSpec spec,
            AdamConfig generatorOptimizer,
            AdamConfig discriminatorOptimizer,
            NamedTensors state,
            Arithmetic arithmetic) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.arithmetic = Objects.requireNonNull(arithmetic, "arithmetic");
        this.inferred = spec.validate();
        this.generatorOptimizer = Objects.requireNonNull(generatorOptimizer, "generatorOptimizer");
        this.discriminatorOptimizer = Objects.requireNonNull(discriminatorOptimizer, "discriminatorOptimizer");
        this.generatorExecutor = new GraphExecutor(inferred.generator(), arithmetic);
        this.discriminatorExecutor = new GraphExecutor(inferred.discriminator(), arithmetic);
        for (Map.Entry<String, int[]> e : StateNames.fullStateShapes(inferred).entrySet()) {
            if (!isIterationCounter(e.getKey())) {
                values.put(e.getKey(), new double[DoubleTensor.sizeOf(e.getValue())]);
            }
        }
        loadState(Objects.requireNonNull(state, "state"));
    }

    private static boolean isIterationCounter(String name) {
        return name.equals(StateNames.ITERATIONS_GENERATOR) || name.equals(StateNames.ITERATIONS_DISCRIMINATOR);
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    /** The validated spec with all shapes and parameters resolved. */
    public InferredModel inferred() {
        return inferred;
    }

    @Override
    public String backendName() {
        return ReferenceBackend.NAME;
    }

    @Override
    public Precision precision() {
        return arithmetic.bf16() ? Precision.BF16 : Precision.FP32;
    }

    /** The arithmetic of the products. */
    public Arithmetic arithmetic() {
        return arithmetic;
    }

    @Override
    public Generator generator() {
        checkOpen();
        return new ReferenceGenerator(spec, inferred, arithmetic, values, () -> closed, false);
    }

    @Override
    public Discriminator discriminator() {
        checkOpen();
        return new ReferenceDiscriminator(spec, inferred, arithmetic, values, () -> closed);
    }

    @Override
    public ImageBatch generate(Tensor noise, int[] labels, boolean training, Map<String, float[]> masks) {
        checkOpen();
        DoubleTensor images = ReferenceGenerator.run(spec, generatorExecutor, values, noise, labels, training, masks);
        return ReferenceGenerator.toImages(spec, images, labels);
    }

    // ------------------------------------------------------------------------- discriminator

    @Override
    public DiscriminatorLosses discriminatorLoss(DiscriminatorBatch batch) {
        checkOpen();
        return evaluateDiscriminator(batch).losses;
    }

    @Override
    public NamedTensors discriminatorGradients(DiscriminatorBatch batch) {
        return toNamedTensors(discriminatorGradientsExact(batch), inferred.discriminator());
    }

    /** Gradients of the total discriminator loss in double precision, by trainable parameter name. */
    public Map<String, double[]> discriminatorGradientsExact(DiscriminatorBatch batch) {
        checkOpen();
        DiscriminatorEvaluation e = evaluateDiscriminator(batch);
        return discriminatorExecutor.backward(e.pass, e.outputGradients).parameters();
    }

    @Override
    public DiscriminatorLosses trainDiscriminator(DiscriminatorBatch batch) {
        checkOpen();
        DiscriminatorEvaluation e = evaluateDiscriminator(batch);
        GraphExecutor.Gradients g = discriminatorExecutor.backward(e.pass, e.outputGradients);
        discriminatorIterations++;
        applyAdam(discriminatorOptimizer, discriminatorIterations, g.parameters());
        discriminatorExecutor.updateMovingStatistics(e.pass, values);
        return e.losses;
    }

    /** A discriminator forward pass in training mode with its losses and the loss gradient of its outputs. */
    private record DiscriminatorEvaluation(
            DiscriminatorLosses losses, GraphExecutor.ForwardPass pass, Map<String, DoubleTensor> outputGradients) {}

    private DiscriminatorEvaluation evaluateDiscriminator(DiscriminatorBatch batch) {
        Objects.requireNonNull(batch, "batch");
        ImageBatch real = batch.real();
        ImageBatch fake = batch.fake();
        float[] realPx = InputChecks.nhwcPixels(spec, real, "real images");
        float[] fakePx = InputChecks.nhwcPixels(spec, fake, "fake images");
        int nReal = real.count();
        int n = batch.count();
        if (n == 0) {
            throw new IllegalArgumentException("discriminator batch has no images");
        }
        int[] labels = null;
        if (spec.kind().conditionalGenerator()) {
            InputChecks.labels(real.labels(), nReal, spec.numClasses(), "real images");
            InputChecks.labels(fake.labels(), fake.count(), spec.numClasses(), "fake images");
            labels = new int[n];
            System.arraycopy(real.labels(), 0, labels, 0, nReal);
            System.arraycopy(fake.labels(), 0, labels, nReal, fake.count());
        }
        double[] pixels = new double[realPx.length + fakePx.length];
        for (int i = 0; i < realPx.length; i++) {
            pixels[i] = realPx[i];
        }
        for (int i = 0; i < fakePx.length; i++) {
            pixels[realPx.length + i] = fakePx[i];
        }
        DoubleTensor x = DoubleTensor.batch(n, imageShape(), pixels);
        GraphExecutor.ForwardPass pass = discriminatorExecutor.forward(
                Map.of(NetworkSpec.IMAGE, x),
                spec.kind().conditionalDiscriminator() ? labels : null,
                values,
                true,
                batch.dropoutMasks());

        double[] p = pass.output(NetworkSpec.OUT_VALIDITY).data();
        double[] dp = new double[p.length];
        double realAdv = 0;
        double fakeAdv = 0;
        for (int i = 0; i < n; i++) {
            double target = i < nReal ? batch.realTarget() : batch.fakeTarget();
            double l = Losses.binaryCrossEntropy(p[i], target) / n;
            if (i < nReal) {
                realAdv += l;
            } else {
                fakeAdv += l;
            }
            dp[i] = Losses.binaryCrossEntropyGradient(p[i], target) / n;
        }
        Map<String, DoubleTensor> outputGradients = new LinkedHashMap<>();
        addGradient(outputGradients, NetworkSpec.OUT_VALIDITY, new DoubleTensor(new int[] {n, 1}, dp));
        double realAux = 0;
        double fakeAux = 0;
        if (spec.kind().auxiliaryClassifier()) {
            int k = spec.numClasses();
            double[] q = pass.output(NetworkSpec.OUT_CLASS).data();
            double[] dq = new double[q.length];
            for (int i = 0; i < n; i++) {
                double w = (i < nReal ? batch.auxWeightReal() : batch.auxWeightFake()) / (double) n;
                double l = w * Losses.sparseCategoricalCrossEntropy(q, i, k, labels[i]);
                if (i < nReal) {
                    realAux += l;
                } else {
                    fakeAux += l;
                }
                Losses.addSparseCategoricalCrossEntropyGradient(q, i, k, labels[i], w, dq);
            }
            addGradient(outputGradients, NetworkSpec.OUT_CLASS, new DoubleTensor(new int[] {n, k}, dq));
        }
        return new DiscriminatorEvaluation(
                DiscriminatorLosses.of(realAdv, fakeAdv, realAux, fakeAux), pass, outputGradients);
    }

    /** Adds the gradient of an output role to the gradient of its node (two roles may share a node). */
    private void addGradient(Map<String, DoubleTensor> grads, String role, DoubleTensor g) {
        String node = inferred.discriminator().output(role).name();
        DoubleTensor prev = grads.get(node);
        if (prev == null) {
            grads.put(node, g);
        } else {
            prev.addInPlace(g);
        }
    }

    // ----------------------------------------------------------------------------- generator

    @Override
    public GeneratorLosses generatorLoss(GeneratorBatch batch) {
        checkOpen();
        return evaluateGenerator(batch).losses;
    }

    @Override
    public NamedTensors generatorGradients(GeneratorBatch batch) {
        return toNamedTensors(generatorGradientsExact(batch), inferred.generator());
    }

    /** Gradients of the total generator loss in double precision, by trainable parameter name. */
    public Map<String, double[]> generatorGradientsExact(GeneratorBatch batch) {
        checkOpen();
        return generatorBackward(evaluateGenerator(batch));
    }

    @Override
    public GeneratorLosses trainGenerator(GeneratorBatch batch) {
        checkOpen();
        GeneratorEvaluation e = evaluateGenerator(batch);
        Map<String, double[]> grads = generatorBackward(e);
        generatorIterations++;
        applyAdam(generatorOptimizer, generatorIterations, grads);
        generatorExecutor.updateMovingStatistics(e.generatorPass, values);
        return e.losses;
    }

    /** Both training-mode passes of a generator step, the losses and the gradient of the judge's outputs. */
    private record GeneratorEvaluation(
            GeneratorLosses losses,
            GraphExecutor.ForwardPass generatorPass,
            GraphExecutor.ForwardPass discriminatorPass,
            Map<String, DoubleTensor> outputGradients) {}

    private GeneratorEvaluation evaluateGenerator(GeneratorBatch batch) {
        Objects.requireNonNull(batch, "batch");
        DoubleTensor z = InputChecks.noise(spec, batch.noise());
        int n = z.batch();
        if (n == 0) {
            throw new IllegalArgumentException("generator batch has no noise rows");
        }
        int[] labels = null;
        if (spec.kind().conditionalGenerator()) {
            InputChecks.labels(batch.labels(), n, spec.numClasses(), "generator batch");
            labels = batch.labels();
        }
        GraphExecutor.ForwardPass gPass =
                generatorExecutor.forward(Map.of(NetworkSpec.NOISE, z), labels, values, true, batch.generatorMasks());
        DoubleTensor images = gPass.output(NetworkSpec.OUT_IMAGE);
        GraphExecutor.ForwardPass dPass = discriminatorExecutor.forward(
                Map.of(NetworkSpec.IMAGE, images),
                spec.kind().conditionalDiscriminator() ? labels : null,
                values,
                true,
                batch.discriminatorMasks());

        double[] p = dPass.output(NetworkSpec.OUT_VALIDITY).data();
        double[] dp = new double[n];
        double adversarial = 0;
        for (int i = 0; i < n; i++) {
            adversarial += Losses.binaryCrossEntropy(p[i], batch.target()) / n;
            dp[i] = Losses.binaryCrossEntropyGradient(p[i], batch.target()) / n;
        }
        Map<String, DoubleTensor> outputGradients = new LinkedHashMap<>();
        addGradient(outputGradients, NetworkSpec.OUT_VALIDITY, new DoubleTensor(new int[] {n, 1}, dp));
        double auxiliary = 0;
        if (spec.kind().auxiliaryClassifier()) {
            int k = spec.numClasses();
            double[] q = dPass.output(NetworkSpec.OUT_CLASS).data();
            double[] dq = new double[q.length];
            double w = batch.auxWeight() / (double) n;
            for (int i = 0; i < n; i++) {
                auxiliary += w * Losses.sparseCategoricalCrossEntropy(q, i, k, labels[i]);
                Losses.addSparseCategoricalCrossEntropyGradient(q, i, k, labels[i], w, dq);
            }
            addGradient(outputGradients, NetworkSpec.OUT_CLASS, new DoubleTensor(new int[] {n, k}, dq));
        }
        return new GeneratorEvaluation(GeneratorLosses.of(adversarial, auxiliary), gPass, dPass, outputGradients);
    }

    private Map<String, double[]> generatorBackward(GeneratorEvaluation e) {
        GraphExecutor.Gradients dGrads = discriminatorExecutor.backward(e.discriminatorPass, e.outputGradients);
        DoubleTensor dImages = dGrads.inputs().get(NetworkSpec.IMAGE);
        String imageNode = inferred.generator().output(NetworkSpec.OUT_IMAGE).name();
        return generatorExecutor
                .backward(e.generatorPass, Map.of(imageNode, dImages))
                .parameters();
    }

    // --------------------------------------------------------------------------------- state

    private void applyAdam(AdamConfig config, long t, Map<String, double[]> grads) {
        for (Map.Entry<String, double[]> g : grads.entrySet()) {
            String name = g.getKey();
            Adam.update(
                    config,
                    t,
                    values.get(name),
                    g.getValue(),
                    values.get(StateNames.ADAM_M + name),
                    values.get(StateNames.ADAM_V + name));
        }
    }

    @Override
    public NamedTensors state() {
        checkOpen();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : StateNames.fullStateShapes(inferred).entrySet()) {
            String name = e.getKey();
            if (name.equals(StateNames.ITERATIONS_GENERATOR)) {
                out.put(name, new Tensor(new int[0], new float[] {generatorIterations}));
            } else if (name.equals(StateNames.ITERATIONS_DISCRIMINATOR)) {
                out.put(name, new Tensor(new int[0], new float[] {discriminatorIterations}));
            } else {
                out.put(name, new Tensor(e.getValue().clone(), DoubleTensor.toFloats(values.get(name))));
            }
        }
        return new NamedTensors(out);
    }

    @Override
    public void loadState(NamedTensors state) {
        checkOpen();
        NamedTensors full = StateNames.completeAndCheck(inferred, state);
        long gIt = counter(full, StateNames.ITERATIONS_GENERATOR);
        long dIt = counter(full, StateNames.ITERATIONS_DISCRIMINATOR);
        for (Map.Entry<String, Tensor> e : full.asMap().entrySet()) {
            if (isIterationCounter(e.getKey())) {
                continue;
            }
            double[] target = values.get(e.getKey());
            float[] src = e.getValue().data();
            for (int i = 0; i < src.length; i++) {
                target[i] = src[i];
            }
        }
        generatorIterations = gIt;
        discriminatorIterations = dIt;
    }

    static long counter(NamedTensors state, String name) {
        float v = state.get(name).data()[0];
        if (!(v >= 0) || v != Math.rint(v)) {
            throw new IllegalArgumentException(
                    "state tensor '" + name + "' must be a non-negative whole number, got " + v);
        }
        return (long) v;
    }

    /** The Adam update count of the generator. */
    public long generatorIterations() {
        checkOpen();
        return generatorIterations;
    }

    /** The Adam update count of the discriminator. */
    public long discriminatorIterations() {
        checkOpen();
        return discriminatorIterations;
    }

    /**
     * A copy of one state value in double precision: a parameter or statistic ({@code generator/...},
     * {@code discriminator/...}) or an Adam moment ({@code adam/m/...}, {@code adam/v/...}).
     */
    public double[] value(String name) {
        checkOpen();
        return named(values, name).clone();
    }

    /** The state value of that name, or an error naming it. */
    static double[] named(Map<String, double[]> values, String name) {
        double[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no state value named '" + name + "'");
        }
        return v;
    }

    /** Replaces a state value with one of the same length. */
    static void replace(Map<String, double[]> values, String name, double[] newValues) {
        double[] v = named(values, name);
        if (newValues.length != v.length) {
            throw new IllegalArgumentException("'" + name + "' has " + v.length + " values, got " + newValues.length);
        }
        System.arraycopy(newValues, 0, v, 0, v.length);
    }

    /** Replaces one state value (see {@link #value}) with double-precision values of the same length. */
    public void setValue(String name, double[] newValues) {
        checkOpen();
        replace(values, name, newValues);
    }

    /** The names of every parameter, statistic and Adam moment held (not the iteration counters). */
    public java.util.Set<String> valueNames() {
        return Collections.unmodifiableSet(values.keySet());
    }

    private static NamedTensors toNamedTensors(Map<String, double[]> grads, InferredNetwork net) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ParameterSpec p : net.trainableParameters()) {
            out.put(p.name(), new Tensor(p.shape().clone(), DoubleTensor.toFloats(grads.get(p.name()))));
        }
        return new NamedTensors(out);
    }

    private int[] imageShape() {
        return new int[] {
            spec.image().height(), spec.image().width(), spec.image().channels()
        };
    }

    private void checkOpen() {
        InputChecks.open(closed, "reference model " + spec.name());
    }

    /** Marks the model closed; later calls (and calls on its views) throw {@link IllegalStateException}. */
    @Override
    public void close() {
        closed = true;
    }
}
