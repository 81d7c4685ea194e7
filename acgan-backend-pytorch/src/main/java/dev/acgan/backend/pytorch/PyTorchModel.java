package dev.acgan.backend.pytorch;

import dev.acgan.api.model.Discriminator;
import dev.acgan.api.model.DiscriminatorBatch;
import dev.acgan.api.model.DiscriminatorLosses;
import dev.acgan.api.model.DiscriminatorOutput;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.GeneratorBatch;
import dev.acgan.api.model.GeneratorLosses;
import dev.acgan.api.model.ModelInputs;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.spi.ResourceGuard;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Both networks of a spec on libtorch, computed eagerly with autograd over one set of state tensors
 * ({@link Parameters}): a discriminator step, a generator step, inference passes and state assignment. Every call
 * runs in its own {@link PointerScope}, so the tensors of a step are freed when it returns; loss-only and inference
 * calls run without autograd ({@link NoGradGuard}). Gradients come from {@code torch::autograd::grad} with respect to
 * the stepped network's parameters only, so nothing accumulates between calls.
 */
final class PyTorchModel implements GanModel {

    private static final float CLIP = 1e-7f;

    private final ModelSpec spec;
    private final InferredModel inferred;
    private final AdamConfig generatorOptimizer;
    private final AdamConfig discriminatorOptimizer;
    private final ResourceGuard guard;
    private final Parameters state;
    private final NetworkCompiler g;
    private final NetworkCompiler d;
    private final PyTorchGenerator generatorView;
    private final Discriminator discriminatorView;
    private long generatorIterations;
    private long discriminatorIterations;

    /** @param bf16 compute the convolutions and matrix products on bfloat16 operands (fp32 master weights) */
    PyTorchModel(
            ModelSpec spec,
            AdamConfig generatorOptimizer,
            AdamConfig discriminatorOptimizer,
            NamedTensors initial,
            boolean bf16) {
        this.spec = spec;
        this.inferred = spec.validate();
        this.generatorOptimizer = generatorOptimizer;
        this.discriminatorOptimizer = discriminatorOptimizer;
        this.guard = new ResourceGuard("this PyTorch model of " + spec.name());
        NamedTensors full = StateNames.completeAndCheck(inferred, initial);
        Set<String> trainable = new HashSet<>();
        inferred.generator().trainableParameters().forEach(p -> trainable.add(p.name()));
        inferred.discriminator().trainableParameters().forEach(p -> trainable.add(p.name()));
        PyTorchBackend.loadNatives();
        this.state = new Parameters(full, trainable);
        this.g = new NetworkCompiler(inferred.generator(), state.asMap(), bf16);
        this.d = new NetworkCompiler(inferred.discriminator(), state.asMap(), bf16);
        setIterations(full);
        this.generatorView = new PyTorchGenerator(spec, g, this::readLocked, null);
        this.discriminatorView = new Discriminator() {
            @Override
            public ModelSpec spec() {
                return spec;
            }

            @Override
            public DiscriminatorOutput discriminate(ImageBatch images) {
                return readLocked(() -> judge(images));
            }

            @Override
            public void close() {}
        };
    }

    private <T> T readLocked(Supplier<T> work) {
        return guard.shared(work);
    }

    private <T> T writeLocked(Supplier<T> work) {
        return guard.exclusive(work);
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public dev.acgan.api.model.Precision precision() {
        return g.precision();
    }

    @Override
    public String backendName() {
        return PyTorchBackend.NAME;
    }

    @Override
    public Generator generator() {
        return generatorView;
    }

    @Override
    public Discriminator discriminator() {
        return discriminatorView;
    }

    @Override
    public ImageBatch generate(Tensor noise, int[] labels, boolean training, Map<String, float[]> masks) {
        return readLocked(() -> PyTorchGenerator.run(spec, g, noise, labels, training, training ? masks : null));
    }

    @Override
    public DiscriminatorLosses discriminatorLoss(DiscriminatorBatch batch) {
        return readLocked(() -> discriminatorStep(batch, Mode.LOSS, 0).losses());
    }

    @Override
    public NamedTensors discriminatorGradients(DiscriminatorBatch batch) {
        return readLocked(() -> discriminatorStep(batch, Mode.GRADIENTS, 0).gradients());
    }

    @Override
    public DiscriminatorLosses trainDiscriminator(DiscriminatorBatch batch) {
        return writeLocked(() -> {
            DiscriminatorLosses l = discriminatorStep(batch, Mode.UPDATE, discriminatorIterations + 1)
                    .losses();
            discriminatorIterations++;
            return l;
        });
    }

    @Override
    public GeneratorLosses generatorLoss(GeneratorBatch batch) {
        return readLocked(() -> generatorStep(batch, Mode.LOSS, 0).losses());
    }

    @Override
    public NamedTensors generatorGradients(GeneratorBatch batch) {
        return readLocked(() -> generatorStep(batch, Mode.GRADIENTS, 0).gradients());
    }

    @Override
    public GeneratorLosses trainGenerator(GeneratorBatch batch) {
        return writeLocked(() -> {
            GeneratorLosses l =
                    generatorStep(batch, Mode.UPDATE, generatorIterations + 1).losses();
            generatorIterations++;
            return l;
        });
    }

    @Override
    public NamedTensors state() {
        return readLocked(() -> {
            Map<String, Tensor> out = new LinkedHashMap<>(state.read());
            out.put(StateNames.ITERATIONS_GENERATOR, new Tensor(new int[0], new float[] {generatorIterations}));
            out.put(StateNames.ITERATIONS_DISCRIMINATOR, new Tensor(new int[0], new float[] {discriminatorIterations}));
            return new NamedTensors(out);
        });
    }

    @Override
    public void loadState(NamedTensors newState) {
        NamedTensors full = StateNames.completeAndCheck(inferred, newState);
        writeLocked(() -> {
            state.write(full);
            setIterations(full);
            return null;
        });
    }

    private void setIterations(NamedTensors full) {
        generatorIterations = (long) full.get(StateNames.ITERATIONS_GENERATOR).data()[0];
        discriminatorIterations =
                (long) full.get(StateNames.ITERATIONS_DISCRIMINATOR).data()[0];
    }

    @Override
    public void close() {
        guard.close(state::close);
    }

    /** What a step computes. */
    enum Mode {
        LOSS,
        GRADIENTS,
        UPDATE
    }

    /** What a step returns. */
    record StepOutput<L>(L losses, NamedTensors gradients) {}

    private DiscriminatorOutput judge(ImageBatch batch) {
        ModelInputs.checkImages(spec, batch, "images");
        boolean conditional = spec.kind().conditionalDiscriminator();
        ModelInputs.checkLabels(spec, batch.labels(), batch.count(), conditional);
        try (NoGradGuard noGrad = new NoGradGuard();
                PointerScope scope = new PointerScope()) {
            Map<String, org.bytedeco.pytorch.Tensor> in = new LinkedHashMap<>();
            in.put(NetworkSpec.IMAGE, Feed.floats(batch.pixels(), imageDims(batch.count())));
            if (conditional) {
                in.put(NetworkSpec.LABEL, Feed.labels(batch.labels()));
            }
            InferredNetwork net = inferred.discriminator();
            Map<String, org.bytedeco.pytorch.Tensor> out = d.forward(in, batch.count(), false, false, null);
            float[] validity =
                    Feed.read(out.get(net.output(NetworkSpec.OUT_VALIDITY).name()));
            float[] classes = spec.kind().auxiliaryClassifier()
                    ? Feed.read(out.get(net.output(NetworkSpec.OUT_CLASS).name()))
                    : null;
            return new DiscriminatorOutput(validity, classes, spec.numClasses());
        }
    }

    long[] imageDims(int n) {
        return new long[] {
            n, spec.image().height(), spec.image().width(), spec.image().channels()
        };
    }

    /** Probabilities clipped to [1e-7, 1 - 1e-7] as Keras does (float32 bounds, as the other backends). */
    static org.bytedeco.pytorch.Tensor clip(org.bytedeco.pytorch.Tensor p) {
        return p.clamp_min(Feed.scalar(CLIP)).clamp_max(Feed.scalar(1f - CLIP));
    }

    /** Per-example binary cross-entropy of clipped probabilities against per-example targets: shape [n]. */
    static org.bytedeco.pytorch.Tensor bce(
            org.bytedeco.pytorch.Tensor probability,
            org.bytedeco.pytorch.Tensor target,
            org.bytedeco.pytorch.Tensor oneMinusTarget) {
        org.bytedeco.pytorch.Tensor p = clip(probability.reshape(-1));
        org.bytedeco.pytorch.Tensor oneMinusP = p.neg().add(Feed.scalar(1f));
        return target.mul(p.log()).add(oneMinusTarget.mul(oneMinusP.log())).neg();
    }

    /** Per-example sparse categorical cross-entropy of clipped probabilities: shape [n]. */
    static org.bytedeco.pytorch.Tensor sparseCe(
            org.bytedeco.pytorch.Tensor probabilities, org.bytedeco.pytorch.Tensor labels) {
        return clip(probabilities)
                .gather(1, labels.unsqueeze(1))
                .reshape(-1)
                .log()
                .neg();
    }

    private StepOutput<DiscriminatorLosses> discriminatorStep(DiscriminatorBatch b, Mode mode, long t) {
        ImageBatch real = b.real();
        ImageBatch fake = b.fake();
        ModelInputs.checkImages(spec, real, "real images");
        ModelInputs.checkImages(spec, fake, "fake images");
        boolean needLabels =
                spec.kind().conditionalDiscriminator() || spec.kind().auxiliaryClassifier();
        ModelInputs.checkLabels(spec, real.labels(), real.count(), needLabels);
        ModelInputs.checkLabels(spec, fake.labels(), fake.count(), needLabels);
        int nr = real.count();
        int n = b.count();
        float[] px = new float[n * real.imageSize()];
        System.arraycopy(real.pixels(), 0, px, 0, real.pixels().length);
        System.arraycopy(fake.pixels(), 0, px, real.pixels().length, fake.pixels().length);
        float[] tg = new float[n];
        float[] oneMinusTg = new float[n];
        float[] rAdv = new float[n];
        float[] fAdv = new float[n];
        float[] rAux = new float[n];
        float[] fAux = new float[n];
        for (int k = 0; k < n; k++) {
            boolean isReal = k < nr;
            tg[k] = isReal ? b.realTarget() : b.fakeTarget();
            oneMinusTg[k] = 1f - tg[k];
            rAdv[k] = isReal ? 1f / n : 0f;
            fAdv[k] = isReal ? 0f : 1f / n;
            rAux[k] = isReal ? b.auxWeightReal() / n : 0f;
            fAux[k] = isReal ? 0f : b.auxWeightFake() / n;
        }
        NoGradGuard noGrad = mode == Mode.LOSS ? new NoGradGuard() : null;
        try (PointerScope scope = new PointerScope()) {
            InferredNetwork net = inferred.discriminator();
            Map<String, org.bytedeco.pytorch.Tensor> in = new LinkedHashMap<>();
            in.put(NetworkSpec.IMAGE, Feed.floats(px, imageDims(n)));
            org.bytedeco.pytorch.Tensor labels = null;
            if (needLabels) {
                int[] lb = new int[n];
                System.arraycopy(real.labels(), 0, lb, 0, nr);
                System.arraycopy(fake.labels(), 0, lb, nr, n - nr);
                labels = Feed.labels(lb);
                if (spec.kind().conditionalDiscriminator()) {
                    in.put(NetworkSpec.LABEL, labels);
                }
            }
            Map<String, org.bytedeco.pytorch.Tensor> out =
                    d.forward(in, n, true, mode == Mode.UPDATE, b.dropoutMasks());
            org.bytedeco.pytorch.Tensor bce = bce(
                    out.get(net.output(NetworkSpec.OUT_VALIDITY).name()),
                    Feed.floats(tg, n),
                    Feed.floats(oneMinusTg, n));
            org.bytedeco.pytorch.Tensor realAdv = bce.mul(Feed.floats(rAdv, n)).sum();
            org.bytedeco.pytorch.Tensor fakeAdv = bce.mul(Feed.floats(fAdv, n)).sum();
            org.bytedeco.pytorch.Tensor total = realAdv.add(fakeAdv);
            double realAux = 0;
            double fakeAux = 0;
            if (spec.kind().auxiliaryClassifier()) {
                org.bytedeco.pytorch.Tensor ce =
                        sparseCe(out.get(net.output(NetworkSpec.OUT_CLASS).name()), labels);
                org.bytedeco.pytorch.Tensor ra = ce.mul(Feed.floats(rAux, n)).sum();
                org.bytedeco.pytorch.Tensor fa = ce.mul(Feed.floats(fAux, n)).sum();
                total = total.add(ra).add(fa);
                realAux = Feed.scalarValue(ra);
                fakeAux = Feed.scalarValue(fa);
            }
            DiscriminatorLosses losses =
                    DiscriminatorLosses.of(Feed.scalarValue(realAdv), Feed.scalarValue(fakeAdv), realAux, fakeAux);
            NamedTensors gradients = null;
            if (mode != Mode.LOSS) {
                List<ParameterSpec> params = net.trainableParameters();
                TensorVector grads = torch.grad(new TensorVector(total), state.vector(params));
                if (mode == Mode.GRADIENTS) {
                    gradients = Parameters.gradients(params, grads);
                } else {
                    state.adam(params, grads, discriminatorOptimizer, discriminatorOptimizer.learningRate(), t);
                }
            }
            return new StepOutput<>(losses, gradients);
        } finally {
            if (noGrad != null) {
                noGrad.close();
            }
        }
    }

    private StepOutput<GeneratorLosses> generatorStep(GeneratorBatch b, Mode mode, long t) {
        int n = ModelInputs.checkNoise(spec, b.noise());
        boolean conditional = spec.kind().conditionalGenerator();
        ModelInputs.checkLabels(spec, b.labels(), n, conditional);
        NoGradGuard noGrad = mode == Mode.LOSS ? new NoGradGuard() : null;
        try (PointerScope scope = new PointerScope()) {
            Map<String, org.bytedeco.pytorch.Tensor> gin = new LinkedHashMap<>();
            gin.put(NetworkSpec.NOISE, Feed.floats(b.noise().data(), n, spec.latentDim()));
            org.bytedeco.pytorch.Tensor labels = conditional ? Feed.labels(b.labels()) : null;
            if (conditional) {
                gin.put(NetworkSpec.LABEL, labels);
            }
            InferredNetwork gn = inferred.generator();
            InferredNetwork dn = inferred.discriminator();
            Map<String, org.bytedeco.pytorch.Tensor> gout =
                    g.forward(gin, n, true, mode == Mode.UPDATE, b.generatorMasks());
            Map<String, org.bytedeco.pytorch.Tensor> din = new LinkedHashMap<>();
            din.put(NetworkSpec.IMAGE, gout.get(gn.output(NetworkSpec.OUT_IMAGE).name()));
            if (spec.kind().conditionalDiscriminator()) {
                din.put(NetworkSpec.LABEL, labels);
            }
            Map<String, org.bytedeco.pytorch.Tensor> dout = d.forward(din, n, true, false, b.discriminatorMasks());
            float[] target = new float[n];
            float[] oneMinus = new float[n];
            java.util.Arrays.fill(target, b.target());
            java.util.Arrays.fill(oneMinus, 1f - b.target());
            org.bytedeco.pytorch.Tensor adversarial = bce(
                            dout.get(dn.output(NetworkSpec.OUT_VALIDITY).name()),
                            Feed.floats(target, n),
                            Feed.floats(oneMinus, n))
                    .mean();
            org.bytedeco.pytorch.Tensor total = adversarial;
            double aux = 0;
            if (spec.kind().auxiliaryClassifier()) {
                org.bytedeco.pytorch.Tensor auxiliary = sparseCe(
                                dout.get(dn.output(NetworkSpec.OUT_CLASS).name()), labels)
                        .mean()
                        .mul(Feed.scalar(b.auxWeight()));
                total = total.add(auxiliary);
                aux = Feed.scalarValue(auxiliary);
            }
            GeneratorLosses losses = GeneratorLosses.of(Feed.scalarValue(adversarial), aux);
            NamedTensors gradients = null;
            if (mode != Mode.LOSS) {
                List<ParameterSpec> params = gn.trainableParameters();
                TensorVector grads = torch.grad(new TensorVector(total), state.vector(params));
                if (mode == Mode.GRADIENTS) {
                    gradients = Parameters.gradients(params, grads);
                } else {
                    state.adam(params, grads, generatorOptimizer, generatorOptimizer.learningRate(), t);
                }
            }
            return new StepOutput<>(losses, gradients);
        } finally {
            if (noGrad != null) {
                noGrad.close();
            }
        }
    }
}
