package dev.acgan.backend.nd4j;

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
import dev.acgan.api.spec.LayerSpec.BatchNorm;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.spi.ResourceGuard;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Both networks of a spec compiled into three SameDiff graphs over one set of shared parameter arrays:
 * an inference graph (generator and discriminator in inference mode), a discriminator-step graph and a
 * generator-step graph. The arrays live in this object (canonical names and layout); every graph
 * binds the same array objects, so an update made in place is seen by all of them. Adam and the
 * BatchNorm moving averages are applied here, in place, with the exact formulas of
 * {@link AdamConfig} and {@link BatchNorm}.
 *
 * <p>Memory: every array a call creates or receives from SameDiff is freed or handed back to the model's
 * {@link BufferPool} for the next call when the call returns ({@link ArrayScope}); the C heap is trimmed
 * now and then ({@link HeapTrimmer}); {@link #close()} frees the shared arrays, the graph constants, the
 * pool and SameDiff's per-thread sessions ({@link Sessions}).
 */
final class Nd4jModel implements GanModel {

    private static final float CLIP = 1e-7f;

    private final ModelSpec spec;
    private final InferredModel inferred;
    private final AdamConfig generatorOptimizer;
    private final AdamConfig discriminatorOptimizer;
    private final ResourceGuard guard;
    private long generatorIterations;
    private long discriminatorIterations;

    /** The graphs and their native arrays, freed together on close. */
    private final GraphMemory memory = new GraphMemory();
    /** Every state tensor but the two step counters: parameters, statistics, Adam moments. */
    private final Map<String, INDArray> arrays = memory.arrays;
    /** Constants created for the graphs. */
    private final List<INDArray> constants = memory.constants;
    /** The temporaries of every SameDiff call of this model, recycled between calls. */
    private final BufferPool pool = memory.pool;

    private final GeneratorPass inference;
    private final DiscriminatorInference judge;
    private final DiscriminatorStep dStep;
    private final GeneratorStep gStep;
    private final Nd4jGenerator generatorView;
    private final Discriminator discriminatorView;

    Nd4jModel(ModelSpec spec, AdamConfig generatorOptimizer, AdamConfig discriminatorOptimizer, NamedTensors initial) {
        this.spec = spec;
        this.guard = new ResourceGuard("this ND4J model of " + spec.name());
        this.inferred = spec.validate();
        this.generatorOptimizer = generatorOptimizer;
        this.discriminatorOptimizer = discriminatorOptimizer;
        NamedTensors full = StateNames.completeAndCheck(inferred, initial);
        NativeRuntime.ensureStarted();
        boolean ok = false;
        try {
            for (Map.Entry<String, Tensor> e : full.asMap().entrySet()) {
                if (!e.getKey().startsWith("adam/iterations/")) {
                    arrays.put(e.getKey(), Layouts.toArray(e.getValue()));
                }
            }
            InferredNetwork gNet = inferred.generator();
            InferredNetwork dNet = inferred.discriminator();

            SameDiff inf = graph();
            Map<String, SDVariable> infVars = bind(inf, arrays, inferred.parameters(), p -> false);
            inference = GeneratorPass.build(inf, "generate", spec, gNet, compiler(inf, gNet, infVars), false);
            judge = new DiscriminatorInference(inf, spec, dNet, compiler(inf, dNet, infVars));

            SameDiff ds = graph();
            Map<String, SDVariable> dVars = bind(ds, arrays, dNet.parameters(), ParameterSpec::trainable);
            dStep = new DiscriminatorStep(
                    ds, spec, inferred, compiler(ds, dNet, dVars), dVars, arrays, discriminatorOptimizer);

            SameDiff gs = graph();
            Map<String, SDVariable> gVars = bind(gs, arrays, gNet.parameters(), ParameterSpec::trainable);
            gVars.putAll(bind(gs, arrays, dNet.parameters(), p -> false));
            gStep = new GeneratorStep(
                    gs,
                    spec,
                    inferred,
                    compiler(gs, gNet, gVars),
                    compiler(gs, dNet, gVars),
                    gVars,
                    arrays,
                    generatorOptimizer);
            ok = true;
        } finally {
            if (!ok) {
                release();
            }
        }
        loadState(full);
        this.generatorView = new Nd4jGenerator(spec, inference, this::readLocked, null, this::scope);
        this.discriminatorView = new Discriminator() {
            @Override
            public ModelSpec spec() {
                return spec;
            }

            @Override
            public DiscriminatorOutput discriminate(ImageBatch images) {
                return readLocked(() -> judge.run(images, Nd4jModel.this.scope()));
            }

            @Override
            public void close() {}
        };
    }

    /** The SameDiff instances, for diagnostics (listeners) in tests. */
    List<SameDiff> graphs() {
        return memory.graphs();
    }

    private SameDiff graph() {
        return memory.newGraph();
    }

    private NetworkCompiler compiler(SameDiff sd, InferredNetwork net, Map<String, SDVariable> vars) {
        return new NetworkCompiler(sd, net, vars, constants::add);
    }

    /** SameDiff names may not hold every character of a canonical name. */
    static String safeName(String name) {
        return name.replaceAll("[^A-Za-z0-9_\\-/]", "_").replace('/', '.');
    }

    /**
     * Binds the given parameters of the shared arrays into a SameDiff instance: trainable ones (per the
     * predicate) as variables, the others as constants. Both keep the array object itself, so in-place
     * updates are seen by every graph.
     */
    static Map<String, SDVariable> bind(
            SameDiff sd,
            Map<String, INDArray> arrays,
            Collection<ParameterSpec> params,
            Predicate<ParameterSpec> asVariable) {
        Map<String, SDVariable> out = new LinkedHashMap<>();
        for (ParameterSpec p : params) {
            INDArray a = arrays.get(p.name());
            SDVariable v = asVariable.test(p) ? sd.var(safeName(p.name()), a) : sd.constant(safeName(p.name()), a);
            if (sd.getArrForVarName(v.name()) != a) {
                throw new IllegalStateException("SameDiff copied the array of " + p.name());
            }
            out.put(p.name(), v);
        }
        return out;
    }

    /** The pool of SameDiff temporaries, for tests. */
    BufferPool pool() {
        return pool;
    }

    /** A scope for one call that never frees the shared arrays. */
    ArrayScope scope() {
        return new ArrayScope(arrays.values(), pool);
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
    public String backendName() {
        return Nd4jBackend.NAME;
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
        if (!training) {
            return readLocked(() -> inference.run(noise, labels, null, scope()));
        }
        return readLocked(() -> gStep.generator.run(noise, labels, masks, scope()));
    }

    @Override
    public DiscriminatorLosses discriminatorLoss(DiscriminatorBatch batch) {
        return readLocked(() -> dStep.run(batch, Mode.LOSS, 0, scope()).losses);
    }

    @Override
    public NamedTensors discriminatorGradients(DiscriminatorBatch batch) {
        return readLocked(() -> dStep.run(batch, Mode.GRADIENTS, 0, scope()).gradients);
    }

    @Override
    public DiscriminatorLosses trainDiscriminator(DiscriminatorBatch batch) {
        HeapTrimmer.betweenCalls();
        return writeLocked(() -> {
            DiscriminatorLosses l = dStep.run(batch, Mode.UPDATE, discriminatorIterations + 1, scope()).losses;
            discriminatorIterations++;
            return l;
        });
    }

    @Override
    public GeneratorLosses generatorLoss(GeneratorBatch batch) {
        return readLocked(() -> gStep.run(batch, Mode.LOSS, 0, scope()).losses);
    }

    @Override
    public NamedTensors generatorGradients(GeneratorBatch batch) {
        return readLocked(() -> gStep.run(batch, Mode.GRADIENTS, 0, scope()).gradients);
    }

    @Override
    public GeneratorLosses trainGenerator(GeneratorBatch batch) {
        HeapTrimmer.betweenCalls();
        return writeLocked(() -> {
            GeneratorLosses l = gStep.run(batch, Mode.UPDATE, generatorIterations + 1, scope()).losses;
            generatorIterations++;
            return l;
        });
    }

    @Override
    public NamedTensors state() {
        return readLocked(() -> {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
                out.put(
                        e.getKey(),
                        Layouts.toTensor(e.getValue(), toInt(e.getValue().shape())));
            }
            out.put(StateNames.ITERATIONS_GENERATOR, new Tensor(new int[0], new float[] {generatorIterations}));
            out.put(StateNames.ITERATIONS_DISCRIMINATOR, new Tensor(new int[0], new float[] {discriminatorIterations}));
            return new NamedTensors(out);
        });
    }

    @Override
    public void loadState(NamedTensors newState) {
        NamedTensors full = StateNames.completeAndCheck(inferred, newState);
        writeLocked(() -> {
            try (ArrayScope scope = scope()) {
                for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
                    e.getValue().assign(scope.track(Layouts.toArray(full.get(e.getKey()))));
                }
            }
            generatorIterations =
                    (long) full.get(StateNames.ITERATIONS_GENERATOR).data()[0];
            discriminatorIterations =
                    (long) full.get(StateNames.ITERATIONS_DISCRIMINATOR).data()[0];
            return null;
        });
    }

    @Override
    public void close() {
        guard.close(this::release);
    }

    private void release() {
        if (dStep != null) {
            dStep.opt.close();
        }
        if (gStep != null) {
            gStep.opt.close();
        }
        memory.release();
    }

    static int[] toInt(long[] shape) {
        int[] out = new int[shape.length];
        for (int k = 0; k < shape.length; k++) {
            out[k] = Math.toIntExact(shape[k]);
        }
        return out;
    }

    /** What a step run computes. */
    enum Mode {
        LOSS,
        GRADIENTS,
        UPDATE
    }

    /** What a step run returns. */
    record StepOutput<L>(L losses, NamedTensors gradients) {}

    /** A generator pass fed by noise and one-hot label placeholders. */
    static final class GeneratorPass {
        final SameDiff sd;
        final SDVariable noise;
        final SDVariable labels;
        final NetworkCompiler.Pass pass;
        final SDVariable images;
        final ModelSpec spec;
        final boolean conditional;

        private GeneratorPass(
                SameDiff sd,
                SDVariable noise,
                SDVariable labels,
                NetworkCompiler.Pass pass,
                SDVariable images,
                ModelSpec spec) {
            this.sd = sd;
            this.noise = noise;
            this.labels = labels;
            this.pass = pass;
            this.images = images;
            this.spec = spec;
            this.conditional = spec.kind().conditionalGenerator();
        }

        static GeneratorPass build(
                SameDiff sd,
                String scope,
                ModelSpec spec,
                InferredNetwork net,
                NetworkCompiler compiler,
                boolean training) {
            SDVariable noise = sd.placeHolder(scope + ".noise", DataType.FLOAT, -1, spec.latentDim());
            Map<String, SDVariable> in = new LinkedHashMap<>();
            in.put(NetworkSpec.NOISE, noise);
            SDVariable labels = null;
            if (spec.kind().conditionalGenerator()) {
                labels = sd.placeHolder(scope + ".labels", DataType.FLOAT, -1, spec.numClasses());
                in.put(NetworkSpec.LABEL, labels);
            }
            NetworkCompiler.Pass pass = compiler.build(scope, in, training);
            return new GeneratorPass(sd, noise, labels, pass, pass.output(net, NetworkSpec.OUT_IMAGE), spec);
        }

        /** Checks the inputs and feeds them; returns the batch size. */
        int feed(Feed feed, Tensor z, int[] labelValues, Map<String, float[]> masks) {
            int n = ModelInputs.checkNoise(spec, z);
            ModelInputs.checkLabels(spec, labelValues, n, conditional);
            feed.floats(noise, z.data(), n, spec.latentDim());
            if (conditional) {
                feed.floats(labels, Layouts.oneHot(labelValues, spec.numClasses()), n, spec.numClasses());
            }
            feed.masks(pass, masks, n);
            return n;
        }

        ImageBatch run(Tensor z, int[] labelValues, Map<String, float[]> masks, ArrayScope scope) {
            try (scope) {
                Feed feed = new Feed(scope);
                int n = feed(feed, z, labelValues, masks);
                Map<String, INDArray> out = Sessions.outputOnce(sd, feed.values(), List.of(images.name()), scope);
                float[] px = Layouts.floats(out.get(images.name()));
                return ImageBatch.nhwc(
                        n,
                        spec.image().height(),
                        spec.image().width(),
                        spec.image().channels(),
                        px,
                        conditional ? labelValues.clone() : null);
            }
        }
    }

    /** The discriminator in inference mode. */
    static final class DiscriminatorInference {
        private final SameDiff sd;
        private final SDVariable images;
        private final SDVariable labels;
        private final SDVariable validity;
        private final SDVariable classes;
        private final ModelSpec spec;

        DiscriminatorInference(SameDiff sd, ModelSpec spec, InferredNetwork net, NetworkCompiler compiler) {
            this.sd = sd;
            this.spec = spec;
            images = sd.placeHolder("discriminate.images", DataType.FLOAT, imageShape(spec));
            labels = spec.kind().conditionalDiscriminator()
                    ? sd.placeHolder("discriminate.labels", DataType.FLOAT, -1, spec.numClasses())
                    : null;
            NetworkCompiler.Pass pass = compiler.build("discriminate", inputs(spec, images, labels), false);
            validity = pass.output(net, NetworkSpec.OUT_VALIDITY);
            classes = spec.kind().auxiliaryClassifier() ? pass.output(net, NetworkSpec.OUT_CLASS) : null;
        }

        DiscriminatorOutput run(ImageBatch batch, ArrayScope scope) {
            ModelInputs.checkImages(spec, batch, "images");
            ModelInputs.checkLabels(
                    spec, batch.labels(), batch.count(), spec.kind().conditionalDiscriminator());
            try (scope) {
                Feed feed = new Feed(scope);
                feed.floats(images, batch.pixels(), Layouts.imageShape(spec, batch.count()));
                if (labels != null) {
                    feed.floats(
                            labels,
                            Layouts.oneHot(batch.labels(), spec.numClasses()),
                            batch.count(),
                            spec.numClasses());
                }
                List<String> names = new ArrayList<>(List.of(validity.name()));
                if (classes != null) {
                    names.add(classes.name());
                }
                Map<String, INDArray> out = Sessions.outputOnce(sd, feed.values(), names, scope);
                return new DiscriminatorOutput(
                        Layouts.floats(out.get(validity.name())),
                        classes == null ? null : Layouts.floats(out.get(classes.name())),
                        spec.numClasses());
            }
        }
    }

    static long[] imageShape(ModelSpec spec) {
        return new long[] {
            -1, spec.image().height(), spec.image().width(), spec.image().channels()
        };
    }

    static Map<String, SDVariable> inputs(ModelSpec spec, SDVariable images, SDVariable labels) {
        Map<String, SDVariable> in = new LinkedHashMap<>();
        in.put(NetworkSpec.IMAGE, images);
        if (spec.kind().conditionalDiscriminator()) {
            in.put(NetworkSpec.LABEL, labels);
        }
        return in;
    }

    /** Per-example binary cross-entropy of clipped probabilities against targets: shape [n]. */
    static SDVariable bce(SameDiff sd, SDVariable probability, SDVariable target) {
        SDVariable p = sd.reshape(clip(sd, probability), -1);
        SDVariable pos = target.mul(sd.math.log(p));
        SDVariable neg = target.rsub(1.0).mul(sd.math.log(p.rsub(1.0)));
        return pos.add(neg).neg();
    }

    /** Per-example categorical cross-entropy of clipped probabilities against one-hot labels: shape [n]. */
    static SDVariable sparseCe(SameDiff sd, SDVariable probabilities, SDVariable oneHot) {
        SDVariable picked = clip(sd, probabilities).mul(oneHot).sum(1);
        return sd.math.log(picked).neg();
    }

    /**
     * Clips probabilities to [1e-7, 1-1e-7] with TensorFlow's gradient: 1 inside the closed interval, 0
     * outside. SameDiff's clipByValue passes no gradient at the bounds themselves, and a saturated
     * sigmoid lands exactly on the upper bound in float32 (1 - 1e-7 is the largest float below 1).
     */
    private static SDVariable clip(SameDiff sd, SDVariable p) {
        float lo = CLIP;
        float hi = 1f - CLIP;
        SDVariable inside = sd.gte(p, (double) lo)
                .castTo(DataType.FLOAT)
                .mul(sd.lte(p, (double) hi).castTo(DataType.FLOAT));
        return p.mul(inside).add(sd.math.clipByValue(p, lo, hi).mul(inside.rsub(1.0)));
    }

    /** Gradients of a loss and the Adam updates of one parameter set (in place on the shared arrays). */
    static final class Optimization {
        final List<String> names = new ArrayList<>();
        final List<String> variables = new ArrayList<>();
        private final Map<String, INDArray> arrays;
        private final AdamConfig adam;
        private final List<INDArray> scratch = new ArrayList<>();

        Optimization(
                List<ParameterSpec> params,
                Map<String, SDVariable> vars,
                Map<String, INDArray> arrays,
                AdamConfig adam) {
            for (ParameterSpec p : params) {
                names.add(p.name());
                variables.add(vars.get(p.name()).name());
            }
            this.arrays = arrays;
            this.adam = adam;
        }

        /** The gradient of parameter {@code k}; a parameter the loss does not reach has gradient zero. */
        INDArray gradient(Map<String, INDArray> grads, int k, ArrayScope scope) {
            INDArray g = grads.get(variables.get(k));
            if (g == null) {
                g = scope.track(arrays.get(names.get(k)).ulike().assign(0));
            }
            return g;
        }

        NamedTensors read(Map<String, INDArray> grads, ArrayScope scope) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int k = 0; k < names.size(); k++) {
                INDArray p = arrays.get(names.get(k));
                out.put(names.get(k), Layouts.toTensor(gradient(grads, k, scope), toInt(p.shape())));
            }
            return new NamedTensors(out);
        }

        /**
         * {@code m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2; lr_t = lr*sqrt(1-b2^t)/(1-b1^t);
         * p -= lr_t * m / (sqrt(v) + epsilon)}, in float32 like TensorFlow's ApplyAdam. Every operation
         * writes in place, into the state, the gradient (a temporary of the call) or one scratch array per
         * parameter kept for the model's life: an update allocates nothing (temporaries here were about
         * 50 MB per acgan-mnist step, whatever the batch size, and glibc did not reuse them well).
         */
        void apply(Map<String, INDArray> grads, long t, ArrayScope scope) {
            apply(grads, t, adam.learningRate(), scope);
        }

        /** The same with another learning rate (a classifier's per-step rate). */
        void apply(Map<String, INDArray> grads, long t, double learningRate, ArrayScope scope) {
            float b1 = (float) adam.beta1();
            float b2 = (float) adam.beta2();
            float oneMinusB1 = (float) (1 - adam.beta1());
            float oneMinusB2 = (float) (1 - adam.beta2());
            float eps = (float) adam.epsilon();
            float lrT =
                    (float) (learningRate * Math.sqrt(1 - Math.pow(adam.beta2(), t)) / (1 - Math.pow(adam.beta1(), t)));
            for (int k = 0; k < names.size(); k++) {
                String name = names.get(k);
                INDArray g = gradient(grads, k, scope);
                INDArray p = arrays.get(name);
                INDArray m = arrays.get(StateNames.ADAM_M + name);
                INDArray v = arrays.get(StateNames.ADAM_V + name);
                INDArray s = scratch(k, p);
                s.assign(g).muli(g).muli(oneMinusB2);
                v.muli(b2).addi(s);
                m.muli(b1).addi(g.muli(oneMinusB1));
                Nd4j.exec(new Sqrt(v, s));
                s.addi(eps);
                p.subi(s.rdivi(m).muli(lrT));
            }
        }

        private INDArray scratch(int k, INDArray like) {
            while (scratch.size() <= k) {
                scratch.add(null);
            }
            INDArray s = scratch.get(k);
            if (s == null) {
                s = like.ulike();
                scratch.set(k, s);
            }
            return s;
        }

        /** Frees the scratch arrays. */
        void close() {
            scratch.forEach(GraphMemory::closeQuietly);
            scratch.clear();
        }
    }

    /**
     * Moving statistics after a training-mode pass: {@code moving = momentum*moving + (1-momentum)*batch},
     * the moving variance taking the unbiased batch variance (the biased one when a channel saw a single
     * value, as TensorFlow's fused batch norm does).
     */
    static void updateMovingStatistics(
            String role,
            List<NetworkCompiler.BatchStats> stats,
            Map<String, INDArray> out,
            int n,
            Map<String, INDArray> arrays,
            ArrayScope scope) {
        for (NetworkCompiler.BatchStats s : stats) {
            BatchNorm b = (BatchNorm) s.node().layer();
            float momentum = (float) b.momentum();
            float rest = (float) (1 - b.momentum());
            int count = s.count(n);
            float factor = count > 1 ? (float) ((double) count / (count - 1)) : 1f;
            String prefix = role + "/" + s.node().name() + "/";
            INDArray mean = out.get(s.mean().name());
            INDArray variance = out.get(s.variance().name());
            arrays.get(prefix + "moving_mean").muli(momentum).addi(scope.track(mean.mul(rest)));
            arrays.get(prefix + "moving_variance")
                    .muli(momentum)
                    .addi(scope.track(variance.mul(factor)).muli(rest));
        }
    }

    static List<String> statisticNames(List<NetworkCompiler.BatchStats> stats) {
        List<String> out = new ArrayList<>();
        for (NetworkCompiler.BatchStats s : stats) {
            out.add(s.mean().name());
            out.add(s.variance().name());
        }
        return out;
    }

    /** The discriminator step: real and fake images judged together in training mode. */
    static final class DiscriminatorStep {
        private final SameDiff sd;
        private final ModelSpec spec;
        private final Map<String, INDArray> arrays;
        private final SDVariable images;
        private final SDVariable labels;
        private final SDVariable targets;
        private final SDVariable realAdvW;
        private final SDVariable fakeAdvW;
        private final SDVariable realAuxW;
        private final SDVariable fakeAuxW;
        private final NetworkCompiler.Pass pass;
        private final List<SDVariable> terms = new ArrayList<>();
        private final Optimization opt;
        private final boolean needLabels;

        DiscriminatorStep(
                SameDiff sd,
                ModelSpec spec,
                InferredModel model,
                NetworkCompiler compiler,
                Map<String, SDVariable> vars,
                Map<String, INDArray> arrays,
                AdamConfig adam) {
            this.sd = sd;
            this.spec = spec;
            this.arrays = arrays;
            InferredNetwork net = model.discriminator();
            needLabels = spec.kind().conditionalDiscriminator() || spec.kind().auxiliaryClassifier();
            images = sd.placeHolder("d_step.images", DataType.FLOAT, imageShape(spec));
            labels = needLabels ? sd.placeHolder("d_step.labels", DataType.FLOAT, -1, spec.numClasses()) : null;
            targets = sd.placeHolder("d_step.targets", DataType.FLOAT, -1);
            realAdvW = sd.placeHolder("d_step.real_adv_w", DataType.FLOAT, -1);
            fakeAdvW = sd.placeHolder("d_step.fake_adv_w", DataType.FLOAT, -1);
            boolean aux = spec.kind().auxiliaryClassifier();
            realAuxW = aux ? sd.placeHolder("d_step.real_aux_w", DataType.FLOAT, -1) : null;
            fakeAuxW = aux ? sd.placeHolder("d_step.fake_aux_w", DataType.FLOAT, -1) : null;
            pass = compiler.build("d_step", inputs(spec, images, labels), true);
            SDVariable bce = bce(sd, pass.output(net, NetworkSpec.OUT_VALIDITY), targets);
            terms.add(bce.mul(realAdvW).sum());
            terms.add(bce.mul(fakeAdvW).sum());
            if (aux) {
                SDVariable ce = sparseCe(sd, pass.output(net, NetworkSpec.OUT_CLASS), labels);
                terms.add(ce.mul(realAuxW).sum());
                terms.add(ce.mul(fakeAuxW).sum());
            }
            SDVariable total = terms.get(0);
            for (int k = 1; k < terms.size(); k++) {
                total = total.add(terms.get(k));
            }
            sd.setLossVariables(total);
            opt = new Optimization(net.trainableParameters(), vars, arrays, adam);
            NativeRuntime.createGradFunction(sd);
        }

        StepOutput<DiscriminatorLosses> run(DiscriminatorBatch b, Mode mode, long t, ArrayScope scope) {
            ImageBatch real = b.real();
            ImageBatch fake = b.fake();
            ModelInputs.checkImages(spec, real, "real images");
            ModelInputs.checkImages(spec, fake, "fake images");
            ModelInputs.checkLabels(spec, real.labels(), real.count(), needLabels);
            ModelInputs.checkLabels(spec, fake.labels(), fake.count(), needLabels);
            int nr = real.count();
            int n = b.count();
            float[] px = new float[n * real.imageSize()];
            System.arraycopy(real.pixels(), 0, px, 0, real.pixels().length);
            System.arraycopy(fake.pixels(), 0, px, real.pixels().length, fake.pixels().length);
            float[] tg = new float[n];
            float[] rAdv = new float[n];
            float[] fAdv = new float[n];
            float[] rAux = new float[n];
            float[] fAux = new float[n];
            for (int k = 0; k < n; k++) {
                boolean isReal = k < nr;
                tg[k] = isReal ? b.realTarget() : b.fakeTarget();
                rAdv[k] = isReal ? 1f / n : 0f;
                fAdv[k] = isReal ? 0f : 1f / n;
                rAux[k] = isReal ? b.auxWeightReal() / n : 0f;
                fAux[k] = isReal ? 0f : b.auxWeightFake() / n;
            }
            try (scope) {
                Feed feed = new Feed(scope);
                feed.floats(images, px, Layouts.imageShape(spec, n));
                if (needLabels) {
                    int[] lb = new int[n];
                    System.arraycopy(real.labels(), 0, lb, 0, nr);
                    System.arraycopy(fake.labels(), 0, lb, nr, n - nr);
                    feed.floats(labels, Layouts.oneHot(lb, spec.numClasses()), n, spec.numClasses());
                }
                feed.floats(targets, tg, n).floats(realAdvW, rAdv, n).floats(fakeAdvW, fAdv, n);
                if (realAuxW != null) {
                    feed.floats(realAuxW, rAux, n).floats(fakeAuxW, fAux, n);
                }
                feed.masks(pass, b.dropoutMasks(), n);
                List<String> outputs = new ArrayList<>();
                terms.forEach(v -> outputs.add(v.name()));
                if (mode == Mode.UPDATE) {
                    outputs.addAll(statisticNames(pass.statistics));
                }
                Map<String, INDArray> out;
                Map<String, INDArray> grads = null;
                if (mode == Mode.LOSS) {
                    out = Sessions.output(sd, feed.values(), outputs, scope);
                } else {
                    OutAndGrad og = Sessions.outputAndGradients(sd, feed.values(), outputs, opt.variables, scope);
                    out = og.getOutputs();
                    grads = og.getGradients();
                }
                double[] v = new double[4];
                for (int k = 0; k < terms.size(); k++) {
                    v[k] = Layouts.scalar(out.get(terms.get(k).name()));
                }
                DiscriminatorLosses losses = DiscriminatorLosses.of(v[0], v[1], v[2], v[3]);
                NamedTensors gradients = mode == Mode.GRADIENTS ? opt.read(grads, scope) : null;
                if (mode == Mode.UPDATE) {
                    opt.apply(grads, t, scope);
                    updateMovingStatistics("discriminator", pass.statistics, out, n, arrays, scope);
                }
                return new StepOutput<>(losses, gradients);
            }
        }
    }

    /** The generator step: generator in training mode, judged by the fixed discriminator. */
    static final class GeneratorStep {
        private final SameDiff sd;
        private final Map<String, INDArray> arrays;
        final GeneratorPass generator;
        private final SDVariable target;
        private final SDVariable auxWeight;
        private final NetworkCompiler.Pass judge;
        private final SDVariable adversarial;
        private final SDVariable auxiliary;
        private final Optimization opt;

        GeneratorStep(
                SameDiff sd,
                ModelSpec spec,
                InferredModel model,
                NetworkCompiler g,
                NetworkCompiler d,
                Map<String, SDVariable> vars,
                Map<String, INDArray> arrays,
                AdamConfig adam) {
            this.sd = sd;
            this.arrays = arrays;
            generator = GeneratorPass.build(sd, "g_step", spec, model.generator(), g, true);
            target = sd.placeHolder("g_step.target", DataType.FLOAT);
            auxWeight = spec.kind().auxiliaryClassifier() ? sd.placeHolder("g_step.aux_weight", DataType.FLOAT) : null;
            judge = d.build("g_step_judge", inputs(spec, generator.images, generator.labels), true);
            InferredNetwork dn = model.discriminator();
            adversarial =
                    bce(sd, judge.output(dn, NetworkSpec.OUT_VALIDITY), target).mean();
            SDVariable total;
            if (auxWeight != null) {
                auxiliary = sparseCe(sd, judge.output(dn, NetworkSpec.OUT_CLASS), generator.labels)
                        .mean()
                        .mul(auxWeight);
                total = adversarial.add(auxiliary);
            } else {
                auxiliary = null;
                total = adversarial.add(0.0);
            }
            sd.setLossVariables(total);
            opt = new Optimization(model.generator().trainableParameters(), vars, arrays, adam);
            NativeRuntime.createGradFunction(sd);
        }

        StepOutput<GeneratorLosses> run(GeneratorBatch b, Mode mode, long t, ArrayScope scope) {
            try (scope) {
                Feed feed = new Feed(scope);
                int n = generator.feed(feed, b.noise(), b.labels(), b.generatorMasks());
                feed.scalar(target, b.target());
                if (auxWeight != null) {
                    feed.scalar(auxWeight, b.auxWeight());
                }
                feed.masks(judge, b.discriminatorMasks(), n);
                List<String> outputs = new ArrayList<>(List.of(adversarial.name()));
                if (auxiliary != null) {
                    outputs.add(auxiliary.name());
                }
                if (mode == Mode.UPDATE) {
                    outputs.addAll(statisticNames(generator.pass.statistics));
                }
                Map<String, INDArray> out;
                Map<String, INDArray> grads = null;
                if (mode == Mode.LOSS) {
                    out = Sessions.output(sd, feed.values(), outputs, scope);
                } else {
                    OutAndGrad og = Sessions.outputAndGradients(sd, feed.values(), outputs, opt.variables, scope);
                    out = og.getOutputs();
                    grads = og.getGradients();
                }
                double adv = Layouts.scalar(out.get(adversarial.name()));
                double aux = auxiliary != null ? Layouts.scalar(out.get(auxiliary.name())) : 0;
                NamedTensors gradients = mode == Mode.GRADIENTS ? opt.read(grads, scope) : null;
                if (mode == Mode.UPDATE) {
                    opt.apply(grads, t, scope);
                    updateMovingStatistics("generator", generator.pass.statistics, out, n, arrays, scope);
                }
                return new StepOutput<>(GeneratorLosses.of(adv, aux), gradients);
            }
        }
    }
}
