package dev.acgan.backend.tensorflow;

import dev.acgan.api.model.Discriminator;
import dev.acgan.api.model.DiscriminatorBatch;
import dev.acgan.api.model.DiscriminatorLosses;
import dev.acgan.api.model.DiscriminatorOutput;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.GeneratorBatch;
import dev.acgan.api.model.GeneratorLosses;
import dev.acgan.api.model.ModelInputs;
import dev.acgan.api.model.Precision;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.ImageShape;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * Both networks of a spec compiled into one TensorFlow graph over shared reference variables: a
 * discriminator step, a generator step, inference passes and state assignment. Adam updates run with
 * control dependencies on every gradient, so no update races the backward pass (determinism).
 */
final class TensorFlowModel implements GanModel {

    private static final float CLIP = 1e-7f;

    private final ModelSpec spec;
    private final Precision precision;
    private final InferredModel inferred;
    private final Graph graph;
    private final Session session;
    private final StateIo state;
    private final AdamConfig generatorOptimizer;
    private final AdamConfig discriminatorOptimizer;
    private final ResourceGuard guard;
    private long generatorIterations;
    private long discriminatorIterations;

    private final GeneratorPass inference;
    private final DiscriminatorInference judge;
    private final DiscriminatorStep dStep;
    private final GeneratorStep gStep;
    private final TensorFlowGenerator generatorView;
    private final Discriminator discriminatorView;

    TensorFlowModel(
            ModelSpec spec,
            AdamConfig generatorOptimizer,
            AdamConfig discriminatorOptimizer,
            NamedTensors initial,
            Precision precision,
            boolean padOddChannels) {
        this.spec = spec;
        this.precision = precision;
        this.guard = new ResourceGuard("this TensorFlow model of " + spec.name());
        this.inferred = spec.validate();
        this.generatorOptimizer = generatorOptimizer;
        this.discriminatorOptimizer = discriminatorOptimizer;
        NamedTensors full = StateNames.completeAndCheck(inferred, initial);
        this.graph = new Graph();
        boolean ok = false;
        try {
            Ops tf = Ops.create(graph);
            Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : full.asMap().entrySet()) {
                if (!e.getKey().startsWith("adam/iterations/")) {
                    vars.put(
                            e.getKey(),
                            tf.withName(safeName(e.getKey()))
                                    .variable(shapeOf(e.getValue().shape()), TFloat32.class));
                }
            }
            this.state = new StateIo(tf, vars);
            NetworkCompiler g = new NetworkCompiler(tf, inferred.generator(), vars, precision, padOddChannels);
            NetworkCompiler d = new NetworkCompiler(tf, inferred.discriminator(), vars, precision, padOddChannels);
            this.inference = GeneratorPass.build(tf.withSubScope("generate"), spec, inferred.generator(), g, false);
            this.judge = new DiscriminatorInference(tf.withSubScope("discriminate"), spec, inferred.discriminator(), d);
            this.dStep =
                    new DiscriminatorStep(tf.withSubScope("d_step"), spec, inferred, d, vars, discriminatorOptimizer);
            this.gStep = new GeneratorStep(tf.withSubScope("g_step"), spec, inferred, g, d, vars, generatorOptimizer);
            this.session = new Session(graph, SessionConfig.current());
            ok = true;
        } finally {
            if (!ok) {
                graph.close();
            }
        }
        loadState(full);
        this.generatorView = new TensorFlowGenerator(spec, precision, session, inference, this::readLocked, null);
        this.discriminatorView = new Discriminator() {
            @Override
            public ModelSpec spec() {
                return spec;
            }

            @Override
            public DiscriminatorOutput discriminate(ImageBatch images) {
                return readLocked(() -> judge.run(session, images));
            }

            @Override
            public void close() {}
        };
    }

    static Shape shapeOf(int[] shape) {
        long[] dims = new long[shape.length];
        for (int k = 0; k < shape.length; k++) {
            dims[k] = shape[k];
        }
        return Shape.of(dims);
    }

    static String safeName(String name) {
        return name.replaceAll("[^A-Za-z0-9_.\\-/]", "_").replace('/', '.');
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
        return TensorFlowBackend.NAME;
    }

    @Override
    public Precision precision() {
        return precision;
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
            return readLocked(() -> inference.run(session, spec, noise, labels, null));
        }
        return readLocked(() -> gStep.generator.run(session, spec, noise, labels, masks));
    }

    @Override
    public DiscriminatorLosses discriminatorLoss(DiscriminatorBatch batch) {
        return readLocked(() -> dStep.run(session, batch, Mode.LOSS, 0).losses);
    }

    @Override
    public NamedTensors discriminatorGradients(DiscriminatorBatch batch) {
        return readLocked(() -> dStep.run(session, batch, Mode.GRADIENTS, 0).gradients);
    }

    @Override
    public DiscriminatorLosses trainDiscriminator(DiscriminatorBatch batch) {
        return writeLocked(() -> {
            DiscriminatorLosses l = dStep.run(session, batch, Mode.UPDATE, discriminatorIterations + 1).losses;
            discriminatorIterations++;
            return l;
        });
    }

    @Override
    public GeneratorLosses generatorLoss(GeneratorBatch batch) {
        return readLocked(() -> gStep.run(session, batch, Mode.LOSS, 0).losses);
    }

    @Override
    public NamedTensors generatorGradients(GeneratorBatch batch) {
        return readLocked(() -> gStep.run(session, batch, Mode.GRADIENTS, 0).gradients);
    }

    @Override
    public GeneratorLosses trainGenerator(GeneratorBatch batch) {
        return writeLocked(() -> {
            GeneratorLosses l = gStep.run(session, batch, Mode.UPDATE, generatorIterations + 1).losses;
            generatorIterations++;
            return l;
        });
    }

    @Override
    public NamedTensors state() {
        return readLocked(() -> {
            Map<String, Tensor> out = new LinkedHashMap<>(state.read(session).asMap());
            out.put(StateNames.ITERATIONS_GENERATOR, new Tensor(new int[0], new float[] {generatorIterations}));
            out.put(StateNames.ITERATIONS_DISCRIMINATOR, new Tensor(new int[0], new float[] {discriminatorIterations}));
            return new NamedTensors(out);
        });
    }

    @Override
    public void loadState(NamedTensors newState) {
        NamedTensors full = StateNames.completeAndCheck(inferred, newState);
        writeLocked(() -> {
            state.write(session, full);
            generatorIterations =
                    (long) full.get(StateNames.ITERATIONS_GENERATOR).data()[0];
            discriminatorIterations =
                    (long) full.get(StateNames.ITERATIONS_DISCRIMINATOR).data()[0];
            return null;
        });
    }

    @Override
    public void close() {
        guard.close(() -> {
            session.close();
            graph.close();
        });
    }

    /** What a step run computes. */
    enum Mode {
        LOSS,
        GRADIENTS,
        UPDATE
    }

    /** Assigns and reads every variable. */
    static final class StateIo {
        private final Map<String, Variable<TFloat32>> vars;
        private final Map<String, Placeholder<TFloat32>> feeds = new LinkedHashMap<>();
        private final List<Op> assigns = new ArrayList<>();

        StateIo(Ops tf, Map<String, Variable<TFloat32>> vars) {
            this.vars = vars;
            Ops s = tf.withSubScope("state");
            for (Map.Entry<String, Variable<TFloat32>> e : vars.entrySet()) {
                Placeholder<TFloat32> p = s.placeholder(
                        TFloat32.class, Placeholder.shape(e.getValue().shape()));
                feeds.put(e.getKey(), p);
                assigns.add(s.assign(e.getValue(), p));
            }
        }

        void write(Session session, NamedTensors values) {
            try (Feed feed = new Feed(session)) {
                for (Map.Entry<String, Placeholder<TFloat32>> e : feeds.entrySet()) {
                    Tensor t = values.get(e.getKey());
                    feed.floats(e.getValue(), t.data(), toLong(t.shape()));
                }
                feed.targets(assigns);
                feed.run().close();
            }
        }

        NamedTensors read(Session session) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            try (Feed feed = new Feed(session)) {
                vars.values().forEach(feed::fetch);
                try (Result r = feed.run()) {
                    int k = 0;
                    for (Map.Entry<String, Variable<TFloat32>> e : vars.entrySet()) {
                        out.put(e.getKey(), new Tensor(toInt(e.getValue().shape()), Feed.floats(r.get(k++))));
                    }
                }
            }
            return new NamedTensors(out);
        }
    }

    static long[] toLong(int[] shape) {
        long[] out = new long[shape.length];
        for (int k = 0; k < shape.length; k++) {
            out[k] = shape[k];
        }
        return out;
    }

    static int[] toInt(Shape shape) {
        int[] out = new int[shape.numDimensions()];
        for (int k = 0; k < out.length; k++) {
            out[k] = Math.toIntExact(shape.get(k));
        }
        return out;
    }

    /** Shapes of the dropout nodes of a network, per example. */
    static Map<String, int[]> maskShapes(InferredNetwork net) {
        Map<String, int[]> out = new LinkedHashMap<>();
        net.dropoutNodes().forEach(n -> out.put(n.name(), n.outputShape()));
        return out;
    }

    /** A generator pass fed by noise and label placeholders. */
    static final class GeneratorPass {
        final Placeholder<TFloat32> noise;
        final Placeholder<TInt32> labels;
        final NetworkCompiler.Pass pass;
        final Operand<TFloat32> images;
        final Map<String, int[]> maskShapes;
        final boolean conditional;

        private GeneratorPass(
                Placeholder<TFloat32> noise,
                Placeholder<TInt32> labels,
                NetworkCompiler.Pass pass,
                Operand<TFloat32> images,
                Map<String, int[]> maskShapes,
                boolean conditional) {
            this.noise = noise;
            this.labels = labels;
            this.pass = pass;
            this.images = images;
            this.maskShapes = maskShapes;
            this.conditional = conditional;
        }

        static GeneratorPass build(
                Ops s, ModelSpec spec, InferredNetwork net, NetworkCompiler compiler, boolean training) {
            Placeholder<TFloat32> noise =
                    s.withName("noise").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, spec.latentDim())));
            Placeholder<TInt32> labels =
                    s.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            Map<String, Operand<? extends TType>> in = new LinkedHashMap<>();
            in.put(NetworkSpec.NOISE, noise);
            boolean conditional = spec.kind().conditionalGenerator();
            if (conditional) {
                in.put(NetworkSpec.LABEL, labels);
            }
            NetworkCompiler.Pass pass = compiler.build("generator", in, training, training);
            return new GeneratorPass(
                    noise, labels, pass, pass.output(net, NetworkSpec.OUT_IMAGE), maskShapes(net), conditional);
        }

        Feed feed(Feed feed, ModelSpec spec, Tensor z, int[] labelValues, Map<String, float[]> masks) {
            int n = ModelInputs.checkNoise(spec, z);
            ModelInputs.checkLabels(spec, labelValues, n, conditional);
            feed.floats(noise, z.data(), n, spec.latentDim());
            if (conditional) {
                feed.ints(labels, labelValues);
            }
            feed.masks(pass.masks, masks, n, maskShapes);
            return feed;
        }

        ImageBatch run(Session session, ModelSpec spec, Tensor z, int[] labelValues, Map<String, float[]> masks) {
            try (Feed feed = feed(new Feed(session), spec, z, labelValues, masks)) {
                feed.fetch(images);
                try (Result r = feed.run()) {
                    int n = z.shape()[0];
                    return ImageBatch.nhwc(
                            n,
                            spec.image().height(),
                            spec.image().width(),
                            spec.image().channels(),
                            Feed.floats(r.get(0)),
                            spec.kind().conditionalGenerator() ? labelValues.clone() : null);
                }
            }
        }
    }

    /** The discriminator in inference mode. */
    static final class DiscriminatorInference {
        private final Placeholder<TFloat32> images;
        private final Placeholder<TInt32> labels;
        private final Operand<TFloat32> validity;
        private final Operand<TFloat32> classes;
        private final ModelSpec spec;

        DiscriminatorInference(Ops s, ModelSpec spec, InferredNetwork net, NetworkCompiler compiler) {
            this.spec = spec;
            images = s.withName("images").placeholder(TFloat32.class, Placeholder.shape(imageShape(spec)));
            labels = s.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            NetworkCompiler.Pass pass = compiler.build("discriminator", inputs(spec, images, labels), false, false);
            validity = pass.output(net, NetworkSpec.OUT_VALIDITY);
            classes = spec.kind().auxiliaryClassifier() ? pass.output(net, NetworkSpec.OUT_CLASS) : null;
        }

        DiscriminatorOutput run(Session session, ImageBatch batch) {
            ModelInputs.checkImages(spec, batch, "images");
            ModelInputs.checkLabels(
                    spec, batch.labels(), batch.count(), spec.kind().conditionalDiscriminator());
            try (Feed feed = new Feed(session)) {
                feed.floats(images, batch.pixels(), imageDims(spec, batch.count()));
                if (spec.kind().conditionalDiscriminator()) {
                    feed.ints(labels, batch.labels());
                }
                feed.fetch(validity);
                if (classes != null) {
                    feed.fetch(classes);
                }
                try (Result r = feed.run()) {
                    return new DiscriminatorOutput(
                            Feed.floats(r.get(0)), classes == null ? null : Feed.floats(r.get(1)), spec.numClasses());
                }
            }
        }
    }

    static Shape imageShape(ModelSpec spec) {
        return imageShape(spec.image());
    }

    /** {@code [-1, h, w, c]}: any number of NHWC images of that shape. */
    static Shape imageShape(ImageShape image) {
        return Shape.of(imageDims(image, -1));
    }

    static long[] imageDims(ModelSpec spec, int n) {
        return imageDims(spec.image(), n);
    }

    static long[] imageDims(ImageShape image, int n) {
        return new long[] {n, image.height(), image.width(), image.channels()};
    }

    static Map<String, Operand<? extends TType>> inputs(
            ModelSpec spec, Operand<TFloat32> images, Operand<TInt32> labels) {
        Map<String, Operand<? extends TType>> in = new LinkedHashMap<>();
        in.put(NetworkSpec.IMAGE, images);
        if (spec.kind().conditionalDiscriminator()) {
            in.put(NetworkSpec.LABEL, labels);
        }
        return in;
    }

    /** Per-example binary cross-entropy of clipped probabilities against targets: shape [n]. */
    static Operand<TFloat32> bce(Ops s, Operand<TFloat32> probability, Operand<TFloat32> target) {
        Operand<TFloat32> p = s.reshape(clip(s, probability), s.constant(new int[] {-1}));
        Operand<TFloat32> one = s.constant(1f);
        return s.math.neg(s.math.add(
                s.math.mul(target, s.math.log(p)),
                s.math.mul(s.math.sub(one, target), s.math.log(s.math.sub(one, p)))));
    }

    /** Per-example sparse categorical cross-entropy of clipped probabilities: shape [n]. */
    static Operand<TFloat32> sparseCe(Ops s, Operand<TFloat32> probabilities, Operand<TInt32> labels, int classes) {
        Operand<TFloat32> oneHot = s.oneHot(labels, s.constant(classes), s.constant(1f), s.constant(0f));
        Operand<TFloat32> picked = s.sum(s.math.mul(clip(s, probabilities), oneHot), s.constant(1));
        return s.math.neg(s.math.log(picked));
    }

    private static Operand<TFloat32> clip(Ops s, Operand<TFloat32> p) {
        return s.math.minimum(s.math.maximum(p, s.constant(CLIP)), s.constant(1f - CLIP));
    }

    static Operand<TFloat32> weightedSum(Ops s, Operand<TFloat32> perExample, Operand<TFloat32> weights) {
        return s.sum(s.math.mul(perExample, weights), s.constant(0));
    }

    /** Gradients of a loss and the Adam updates of a parameter set. */
    static final class Optimization {
        final List<String> names = new ArrayList<>();
        final List<Output<?>> gradients = new ArrayList<>();
        final List<Op> updates = new ArrayList<>();
        final Placeholder<TFloat32> beta1Power;
        final Placeholder<TFloat32> beta2Power;

        /**
         * @param learningRate the step size: a constant, or a placeholder fed each step (classifiers)
         */
        Optimization(
                Ops s,
                Graph graph,
                Operand<TFloat32> loss,
                List<ParameterSpec> params,
                Map<String, Variable<TFloat32>> vars,
                AdamConfig adam,
                Operand<TFloat32> learningRate) {
            List<Output<?>> xs = new ArrayList<>();
            for (ParameterSpec p : params) {
                names.add(p.name());
                xs.add(vars.get(p.name()).asOutput());
            }
            Output<?>[] grads = graph.addGradients(loss.asOutput(), xs.toArray(new Output<?>[0]));
            gradients.addAll(List.of(grads));
            beta1Power = s.withName("beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            beta2Power = s.withName("beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            List<Op> deps = new ArrayList<>();
            for (int k = 0; k < grads.length; k++) {
                if (grads[k] == null) {
                    throw new IllegalArgumentException("parameter " + names.get(k) + " does not affect the loss");
                }
                // Every update waits for every gradient, so no update races a read in the backward pass.
                deps.add(s.identity(asFloat(grads[k])));
            }
            Ops after = s.withControlDependencies(deps);
            for (int k = 0; k < params.size(); k++) {
                String name = params.get(k).name();
                updates.add(after.train.applyAdam(
                        vars.get(name),
                        vars.get(StateNames.ADAM_M + name),
                        vars.get(StateNames.ADAM_V + name),
                        beta1Power,
                        beta2Power,
                        learningRate,
                        after.constant((float) adam.beta1()),
                        after.constant((float) adam.beta2()),
                        after.constant((float) adam.epsilon()),
                        asFloat(grads[k])));
            }
        }

        @SuppressWarnings("unchecked")
        static Operand<TFloat32> asFloat(Output<?> o) {
            return (Output<TFloat32>) o;
        }

        void feedPowers(Feed feed, AdamConfig adam, long t) {
            feed.scalar(beta1Power, (float) Math.pow(adam.beta1(), t));
            feed.scalar(beta2Power, (float) Math.pow(adam.beta2(), t));
        }

        NamedTensors read(Result r, int from, Map<String, Variable<TFloat32>> vars) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int k = 0; k < names.size(); k++) {
                out.put(names.get(k), new Tensor(toInt(vars.get(names.get(k)).shape()), Feed.floats(r.get(from + k))));
            }
            return new NamedTensors(out);
        }
    }

    /** What a step run returns. */
    record StepOutput<L>(L losses, NamedTensors gradients) {}

    /** The discriminator step: real and fake images judged together in training mode. */
    static final class DiscriminatorStep {
        private final ModelSpec spec;
        private final Map<String, Variable<TFloat32>> vars;
        private final AdamConfig adam;
        private final Placeholder<TFloat32> images;
        private final Placeholder<TInt32> labels;
        private final Placeholder<TFloat32> targets;
        private final Placeholder<TFloat32> realAdvW;
        private final Placeholder<TFloat32> fakeAdvW;
        private final Placeholder<TFloat32> realAuxW;
        private final Placeholder<TFloat32> fakeAuxW;
        private final NetworkCompiler.Pass pass;
        private final Map<String, int[]> maskShapes;
        private final List<Operand<TFloat32>> terms = new ArrayList<>();
        private final Operand<TFloat32> total;
        private final Optimization opt;

        DiscriminatorStep(
                Ops s,
                ModelSpec spec,
                InferredModel model,
                NetworkCompiler compiler,
                Map<String, Variable<TFloat32>> vars,
                AdamConfig adam) {
            this.spec = spec;
            this.vars = vars;
            this.adam = adam;
            InferredNetwork net = model.discriminator();
            images = s.withName("images").placeholder(TFloat32.class, Placeholder.shape(imageShape(spec)));
            labels = s.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            targets = vector(s, "targets");
            realAdvW = vector(s, "real_adv_w");
            fakeAdvW = vector(s, "fake_adv_w");
            realAuxW = vector(s, "real_aux_w");
            fakeAuxW = vector(s, "fake_aux_w");
            pass = compiler.build("discriminator", inputs(spec, images, labels), true, true);
            maskShapes = maskShapes(net);
            Operand<TFloat32> bce = bce(s, pass.output(net, NetworkSpec.OUT_VALIDITY), targets);
            terms.add(weightedSum(s, bce, realAdvW));
            terms.add(weightedSum(s, bce, fakeAdvW));
            if (spec.kind().auxiliaryClassifier()) {
                Operand<TFloat32> ce = sparseCe(s, pass.output(net, NetworkSpec.OUT_CLASS), labels, spec.numClasses());
                terms.add(weightedSum(s, ce, realAuxW));
                terms.add(weightedSum(s, ce, fakeAuxW));
            }
            Operand<TFloat32> sum = terms.get(0);
            for (int k = 1; k < terms.size(); k++) {
                sum = s.math.add(sum, terms.get(k));
            }
            total = sum;
            opt = new Optimization(
                    s.withSubScope("adam"), graph(s), total, net.trainableParameters(), vars, adam, s.constant((float)
                            adam.learningRate()));
        }

        StepOutput<DiscriminatorLosses> run(Session session, DiscriminatorBatch b, Mode mode, long t) {
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
            try (Feed feed = new Feed(session)) {
                feed.floats(images, px, imageDims(spec, n));
                if (needLabels) {
                    int[] lb = new int[n];
                    System.arraycopy(real.labels(), 0, lb, 0, nr);
                    System.arraycopy(fake.labels(), 0, lb, nr, n - nr);
                    feed.ints(labels, lb);
                }
                feed.floats(targets, tg, n).floats(realAdvW, rAdv, n).floats(fakeAdvW, fAdv, n);
                if (spec.kind().auxiliaryClassifier()) {
                    feed.floats(realAuxW, rAux, n).floats(fakeAuxW, fAux, n);
                }
                feed.masks(pass.masks, b.dropoutMasks(), n, maskShapes);
                terms.forEach(feed::fetch);
                if (mode == Mode.GRADIENTS) {
                    opt.gradients.forEach(g -> feed.fetch(Optimization.asFloat(g)));
                }
                if (mode == Mode.UPDATE) {
                    opt.feedPowers(feed, adam, t);
                    feed.targets(opt.updates);
                    feed.targets(pass.statisticUpdates);
                }
                try (Result r = feed.run()) {
                    double[] v = new double[4];
                    for (int k = 0; k < terms.size(); k++) {
                        v[k] = Feed.scalar(r.get(k));
                    }
                    DiscriminatorLosses losses = DiscriminatorLosses.of(v[0], v[1], v[2], v[3]);
                    NamedTensors grads = mode == Mode.GRADIENTS ? opt.read(r, terms.size(), vars) : null;
                    return new StepOutput<>(losses, grads);
                }
            }
        }
    }

    /** The generator step: generator in training mode, judged by the fixed discriminator. */
    static final class GeneratorStep {
        private final ModelSpec spec;
        private final Map<String, Variable<TFloat32>> vars;
        private final AdamConfig adam;
        final GeneratorPass generator;
        private final Placeholder<TFloat32> target;
        private final Placeholder<TFloat32> auxWeight;
        private final NetworkCompiler.Pass judge;
        private final Map<String, int[]> dMaskShapes;
        private final Operand<TFloat32> adversarial;
        private final Operand<TFloat32> auxiliary;
        private final Operand<TFloat32> total;
        private final Optimization opt;

        GeneratorStep(
                Ops s,
                ModelSpec spec,
                InferredModel model,
                NetworkCompiler g,
                NetworkCompiler d,
                Map<String, Variable<TFloat32>> vars,
                AdamConfig adam) {
            this.spec = spec;
            this.vars = vars;
            this.adam = adam;
            generator = GeneratorPass.build(s, spec, model.generator(), g, true);
            target = s.withName("target").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            auxWeight = s.withName("aux_weight").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            judge = d.build("discriminator", inputs(spec, generator.images, generator.labels), true, false);
            dMaskShapes = maskShapes(model.discriminator());
            InferredNetwork dn = model.discriminator();
            Operand<TInt32> axis0 = s.constant(new int[] {0});
            adversarial = s.math.mean(bce(s, judge.output(dn, NetworkSpec.OUT_VALIDITY), target), axis0);
            if (spec.kind().auxiliaryClassifier()) {
                auxiliary = s.math.mul(
                        auxWeight,
                        s.math.mean(
                                sparseCe(
                                        s,
                                        judge.output(dn, NetworkSpec.OUT_CLASS),
                                        generator.labels,
                                        spec.numClasses()),
                                axis0));
                total = s.math.add(adversarial, auxiliary);
            } else {
                auxiliary = null;
                total = adversarial;
            }
            Ops after = s.withSubScope("adam");
            opt = new Optimization(
                    after, graph(s), total, model.generator().trainableParameters(), vars, adam, after.constant((float)
                            adam.learningRate()));
        }

        StepOutput<GeneratorLosses> run(Session session, GeneratorBatch b, Mode mode, long t) {
            int n = b.count();
            try (Feed feed = generator.feed(new Feed(session), spec, b.noise(), b.labels(), b.generatorMasks())) {
                feed.scalar(target, b.target());
                if (auxiliary != null) {
                    feed.scalar(auxWeight, b.auxWeight());
                }
                feed.masks(judge.masks, b.discriminatorMasks(), n, dMaskShapes);
                feed.fetch(adversarial);
                if (auxiliary != null) {
                    feed.fetch(auxiliary);
                }
                int first = auxiliary != null ? 2 : 1;
                if (mode == Mode.GRADIENTS) {
                    opt.gradients.forEach(g -> feed.fetch(Optimization.asFloat(g)));
                }
                if (mode == Mode.UPDATE) {
                    opt.feedPowers(feed, adam, t);
                    feed.targets(opt.updates);
                    feed.targets(generator.pass.statisticUpdates);
                }
                try (Result r = feed.run()) {
                    double adv = Feed.scalar(r.get(0));
                    double aux = auxiliary != null ? Feed.scalar(r.get(1)) : 0;
                    NamedTensors grads = mode == Mode.GRADIENTS ? opt.read(r, first, vars) : null;
                    return new StepOutput<>(GeneratorLosses.of(adv, aux), grads);
                }
            }
        }
    }

    private static Placeholder<TFloat32> vector(Ops s, String name) {
        return s.withName(name).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    }

    static Graph graph(Ops s) {
        return (Graph) s.scope().env();
    }
}
