package dev.acgan.tck;

import dev.acgan.api.model.ClassifierBatch;
import dev.acgan.api.model.ClassifierModel;
import dev.acgan.api.model.ClassifierOutput;
import dev.acgan.api.model.Discriminator;
import dev.acgan.api.model.DiscriminatorBatch;
import dev.acgan.api.model.DiscriminatorLosses;
import dev.acgan.api.model.DiscriminatorOutput;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.GeneratorBatch;
import dev.acgan.api.model.GeneratorLosses;
import dev.acgan.api.model.Precision;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.InferredNetwork.InferredNode;
import dev.acgan.api.spec.LayerSpec;
import dev.acgan.api.spec.LayerSpec.BatchNorm;
import dev.acgan.api.spec.LayerSpec.Concat;
import dev.acgan.api.spec.LayerSpec.Conv2DTranspose;
import dev.acgan.api.spec.LayerSpec.Dense;
import dev.acgan.api.spec.LayerSpec.Embedding;
import dev.acgan.api.spec.LayerSpec.Flatten;
import dev.acgan.api.spec.LayerSpec.LeakyRelu;
import dev.acgan.api.spec.LayerSpec.MaxPool2D;
import dev.acgan.api.spec.LayerSpec.Reshape;
import dev.acgan.api.spec.LayerSpec.UpSampling2D;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.Node;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.spi.Capability;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import dev.acgan.tck.oracle.Arithmetic;
import dev.acgan.tck.oracle.ReferenceClassifier;
import dev.acgan.tck.oracle.ReferenceGenerator;
import dev.acgan.tck.oracle.ReferenceModel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The oracle with exactly one deliberate, realistic implementation mistake: the TCK's sensitivity
 * self-tests require the parity checks to fail against it. Each fault is injected the way a real
 * backend would get it wrong:
 * <ul>
 *   <li>a spec compiled with a wrong hyper-parameter (LeakyReLU slope, BatchNorm epsilon or momentum,
 *       pooling window), a wrong formulation of a layer (up-sampling that tiles whole rows) or a
 *       classifier's feature output read from the wrong node: the reference model is built from a
 *       rewritten spec;</li>
 *   <li>a wrong weight layout (channels-first flatten, flipped transposed-convolution kernel): canonical
 *       weights are loaded without the needed conversion, i.e. the oracle computes with the permuted
 *       tensor and exports (state, gradients, Adam moments) the backend's own layout as if canonical;</li>
 *   <li>a wrong loss (a term off by 1%, label smoothing ignored, dropout masks ignored, a classifier loss
 *       summed instead of averaged), a lost input
 *       (class embedding ignored) or a wrong update (discriminator statistics frozen, generator step
 *       moving the discriminator): the batch, the reported loss or the state is altered around the
 *       oracle.</li>
 * </ul>
 * {@link Fault#NONE} goes through the same wrapping with no mistake (the control).
 *
 * <p>In {@link Precision#BF16} the oracle inside computes with the roundings of a bf16 backend and sums its
 * products in float32 ({@link Arithmetic#BF16_FLOAT32}), so that, like a real bf16 backend, it differs from
 * the TCK's bf16 reference by the occasional one-ulp flip; the control then shows that the bf16 tolerances
 * cover those flips, and each fault that it catches it catches despite them.
 */
final class FaultyBackend implements GanBackend {

    /** The mistakes. */
    enum Fault {
        /** No mistake: the wrapper alone (must pass every check). */
        NONE,
        /** The discriminator's real-image BCE term reported 1% too high. */
        D_REAL_ADVERSARIAL_OFF_1PCT,
        /** The discriminator's fake-image BCE term reported 1% too high. */
        D_FAKE_ADVERSARIAL_OFF_1PCT,
        /** The discriminator's real-image class term reported 1% too high. */
        D_REAL_AUXILIARY_OFF_1PCT,
        /** The discriminator's fake-image class term reported 1% too high. */
        D_FAKE_AUXILIARY_OFF_1PCT,
        /** The generator's adversarial term reported 1% too high. */
        G_ADVERSARIAL_OFF_1PCT,
        /** The generator's class term reported 1% too high. */
        G_AUXILIARY_OFF_1PCT,
        /** One-sided label smoothing ignored: real (and generator) targets taken as 1.0. */
        LABEL_SMOOTHING_IGNORED,
        /** Every LeakyReLU compiled with slope 0.3 instead of the spec's. */
        LEAKY_RELU_SLOPE,
        /** Every BatchNorm compiled with epsilon 1e-5 (PyTorch's default) instead of the spec's. */
        BATCH_NORM_EPSILON,
        /** Every BatchNorm compiled with momentum 1-m (PyTorch's convention) instead of the spec's m. */
        BATCH_NORM_MOMENTUM,
        /** Flatten in NCHW order: the Dense kernel after a Flatten of a multi-channel map used with NCHW rows. */
        NCHW_FLATTEN,
        /** The class embedding ignored: its output replaced by ones, its table never trained. */
        CLASS_EMBEDDING_IGNORED,
        /** Transposed-convolution kernels used spatially flipped (a correlation/convolution mix-up). */
        TRANSPOSED_CONV_KERNEL_FLIPPED,
        /** The supplied dropout masks ignored (no dropout in training mode). */
        DROPOUT_MASKS_IGNORED,
        /** The discriminator step does not update the discriminator's BatchNorm moving statistics. */
        DISCRIMINATOR_STATISTICS_FROZEN,
        /** The generator step also moves discriminator kernels (e.g. one optimizer over all variables). */
        GENERATOR_STEP_MOVES_DISCRIMINATOR,
        /**
         * Nearest-neighbour up-sampling along the width computed as a tile of whole rows ({@code [a b]} to
         * {@code [a b a b]} instead of {@code [a a b b]}: a reshape and tile with the repeat axis in the wrong
         * place), in tiny-dcgan's 1x2 up-sampling.
         */
        UPSAMPLING_ROWS_TILED,
        /** Max-pooling windows taken from the strides (a 3x3 stride-2 pool computed as 2x2 stride 2). */
        POOL_SIZE_FROM_STRIDES,
        /** The classifier loss summed over the batch instead of averaged (its gradients too). */
        CLASSIFIER_LOSS_SUMMED,
        /** The classifier's features taken before the feature layer's ReLU (the Dense output). */
        CLASSIFIER_FEATURES_BEFORE_RELU,
        /** Asked for bf16, computes in fp32: the bf16 roundings missing (a silent fp32 run); bf16 profile only. */
        SILENT_FP32
    }

    private final Fault fault;

    FaultyBackend(Fault fault) {
        this.fault = fault;
    }

    @Override
    public String name() {
        return "faulty-" + fault.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public String version() {
        return "oracle with fault " + fault;
    }

    @Override
    public int priority() {
        return -1000;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(
                Capability.CPU,
                Capability.DETERMINISTIC,
                Capability.GRADIENTS,
                Capability.CONCURRENT_GENERATION,
                Capability.CLASSIFIER,
                Capability.BF16);
    }

    @Override
    public GanModel createModel(
            ModelSpec spec, AdamConfig generatorOptimizer, AdamConfig discriminatorOptimizer, NamedTensors state) {
        return createModel(spec, generatorOptimizer, discriminatorOptimizer, state, Precision.FP32);
    }

    @Override
    public GanModel createModel(
            ModelSpec spec,
            AdamConfig generatorOptimizer,
            AdamConfig discriminatorOptimizer,
            NamedTensors state,
            Precision precision) {
        Layout layout = new Layout(spec, fault);
        ReferenceModel inner = new ReferenceModel(
                compiledSpec(spec, fault),
                generatorOptimizer,
                discriminatorOptimizer,
                layout.toInternal(state),
                arithmetic(precision));
        // the precision asked for is the one claimed, also by SILENT_FP32 (whose lie only the numbers show)
        return new FaultyModel(spec, fault, inner, layout, discriminatorOptimizer, state, resolvePrecision(precision));
    }

    private Arithmetic arithmetic(Precision precision) {
        return resolvePrecision(precision) == Precision.BF16 && fault != Fault.SILENT_FP32
                ? Arithmetic.BF16_FLOAT32
                : Arithmetic.FLOAT64;
    }

    @Override
    public ClassifierModel createClassifier(ClassifierSpec spec, AdamConfig optimizer, NamedTensors state) {
        NetworkSpec net = rewrite(spec.network(), fault);
        if (fault == Fault.CLASSIFIER_FEATURES_BEFORE_RELU) {
            String features = net.outputs().get(ClassifierSpec.OUT_FEATURES);
            Map<String, String> outputs = new LinkedHashMap<>(net.outputs());
            outputs.put(ClassifierSpec.OUT_FEATURES, net.node(features).inputs().get(0));
            net = new NetworkSpec(net.nodes(), outputs);
        }
        ReferenceClassifier inner = new ReferenceClassifier(
                new ClassifierSpec(spec.name(), spec.image(), spec.numClasses(), net), optimizer, state);
        return new FaultyClassifier(spec, fault, inner);
    }

    @Override
    public Generator loadGenerator(ModelSpec spec, NamedTensors weights) {
        return loadGenerator(spec, weights, Precision.FP32);
    }

    @Override
    public Generator loadGenerator(ModelSpec spec, NamedTensors weights, Precision precision) {
        Layout layout = new Layout(spec, fault);
        Generator inner = ReferenceGenerator.load(
                compiledSpec(spec, fault), layout.toInternal(weights.withPrefix("generator/")), arithmetic(precision));
        Precision claimed = resolvePrecision(precision);
        return new Generator() {
            @Override
            public ModelSpec spec() {
                return spec;
            }

            @Override
            public Precision precision() {
                return claimed;
            }

            @Override
            public ImageBatch generate(Tensor noise, int[] labels) {
                return inner.generate(noise, labels);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    // ------------------------------------------------------------------------ spec rewriting

    /** The spec as the faulty backend compiles it (same node and parameter names). */
    static ModelSpec compiledSpec(ModelSpec spec, Fault fault) {
        if (fault == Fault.UPSAMPLING_ROWS_TILED) {
            InferredModel inferred = spec.validate();
            return new ModelSpec(
                    spec.name(),
                    spec.kind(),
                    spec.image(),
                    spec.numClasses(),
                    spec.latentDim(),
                    spec.noise(),
                    tileRows(inferred.generator()),
                    tileRows(inferred.discriminator()));
        }
        return new ModelSpec(
                spec.name(),
                spec.kind(),
                spec.image(),
                spec.numClasses(),
                spec.latentDim(),
                spec.noise(),
                rewrite(spec.generator(), fault),
                rewrite(spec.discriminator(), fault));
    }

    private static NetworkSpec rewrite(NetworkSpec net, Fault fault) {
        List<Node> nodes = new ArrayList<>();
        for (Node n : net.nodes()) {
            LayerSpec l = n.layer();
            if (fault == Fault.LEAKY_RELU_SLOPE && l instanceof LeakyRelu) {
                l = new LeakyRelu(0.3);
            } else if (fault == Fault.BATCH_NORM_EPSILON && l instanceof BatchNorm b) {
                l = new BatchNorm(b.momentum(), 1e-5);
            } else if (fault == Fault.BATCH_NORM_MOMENTUM && l instanceof BatchNorm b) {
                l = new BatchNorm(1 - b.momentum(), b.epsilon());
            } else if (fault == Fault.POOL_SIZE_FROM_STRIDES && l instanceof MaxPool2D m) {
                l = new MaxPool2D(m.strideH(), m.strideW(), m.strideH(), m.strideW(), m.padding());
            }
            nodes.add(new Node(n.name(), l, n.inputs()));
        }
        return new NetworkSpec(nodes, net.outputs());
    }

    /**
     * Each width-only up-sampling {@code [h, w, c] -> [h, w*f, c]} as the rows tiled: reshaped to
     * {@code [h, w*c]}, f copies concatenated along the last axis, reshaped to {@code [h, w*f, c]}; the last
     * node keeps the layer's name, so the rest of the network reads it unchanged.
     */
    private static NetworkSpec tileRows(InferredNetwork net) {
        List<Node> nodes = new ArrayList<>();
        for (InferredNode n : net.nodes()) {
            if (n.layer() instanceof UpSampling2D u && u.factorH() == 1 && u.factorW() > 1) {
                int[] in = n.inputShapes().get(0);
                String rows = n.name() + "_fault_rows";
                String tiled = n.name() + "_fault_tiled";
                nodes.add(new Node(
                        rows,
                        new Reshape(List.of(in[0], in[1] * in[2])),
                        n.node().inputs()));
                nodes.add(new Node(tiled, new Concat(), java.util.Collections.nCopies(u.factorW(), rows)));
                nodes.add(new Node(n.name(), new Reshape(List.of(in[0], in[1] * u.factorW(), in[2])), List.of(tiled)));
            } else {
                nodes.add(n.node());
            }
        }
        return new NetworkSpec(nodes, net.spec().outputs());
    }

    // ---------------------------------------------------------------------- weight layouts

    /**
     * Element permutations between the canonical layout and the faulty backend's internal one, per
     * parameter (applied to the parameter and its Adam moments), and the frozen class embedding.
     */
    static final class Layout {
        /** internal[i] = canonical[perm[i]]. */
        private final Map<String, int[]> permutations = new HashMap<>();

        private final Set<String> ignoredEmbeddings = new java.util.HashSet<>();

        Layout(ModelSpec spec, Fault fault) {
            InferredModel model = spec.validate();
            for (InferredNetwork net : List.of(model.generator(), model.discriminator())) {
                for (InferredNode node : net.nodes()) {
                    String p = net.role() + "/" + node.name() + "/";
                    if (fault == Fault.TRANSPOSED_CONV_KERNEL_FLIPPED && node.layer() instanceof Conv2DTranspose c) {
                        int f = c.filters();
                        int ch = node.inputShapes().get(0)[2];
                        permutations.put(p + "kernel", flip(c.kernelH(), c.kernelW(), f * ch));
                    }
                    if (fault == Fault.CLASS_EMBEDDING_IGNORED && node.layer() instanceof Embedding) {
                        ignoredEmbeddings.add(p + "embeddings");
                    }
                    if (fault == Fault.NCHW_FLATTEN && node.layer() instanceof Flatten) {
                        int[] in = node.inputShapes().get(0);
                        if (in.length != 3) {
                            continue;
                        }
                        for (InferredNode consumer : net.nodes()) {
                            if (consumer.node().inputs().contains(node.name()) && consumer.layer() instanceof Dense d) {
                                permutations.put(
                                        net.role() + "/" + consumer.name() + "/kernel",
                                        nchwRows(in[0], in[1], in[2], d.units()));
                            }
                        }
                    }
                }
            }
        }

        /** Spatial flip of a [kh, kw, rest] tensor. */
        private static int[] flip(int kh, int kw, int rest) {
            int[] perm = new int[kh * kw * rest];
            for (int a = 0; a < kh; a++) {
                for (int b = 0; b < kw; b++) {
                    for (int r = 0; r < rest; r++) {
                        perm[(a * kw + b) * rest + r] = ((kh - 1 - a) * kw + (kw - 1 - b)) * rest + r;
                    }
                }
            }
            return perm;
        }

        /** Row i (NHWC index y,x,c) of the internal kernel is canonical row c*h*w + y*w + x. */
        private static int[] nchwRows(int h, int w, int c, int units) {
            int[] perm = new int[h * w * c * units];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int k = 0; k < c; k++) {
                        int row = (y * w + x) * c + k;
                        int nchw = k * h * w + y * w + x;
                        for (int u = 0; u < units; u++) {
                            perm[row * units + u] = nchw * units + u;
                        }
                    }
                }
            }
            return perm;
        }

        private int[] permutationOf(String stateName) {
            String base = stateName;
            if (base.startsWith(StateNames.ADAM_M)) {
                base = base.substring(StateNames.ADAM_M.length());
            } else if (base.startsWith(StateNames.ADAM_V)) {
                base = base.substring(StateNames.ADAM_V.length());
            }
            return permutations.get(base);
        }

        boolean ignored(String parameter) {
            return ignoredEmbeddings.contains(parameter);
        }

        NamedTensors toInternal(NamedTensors canonical) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            canonical.asMap().forEach((name, t) -> {
                int[] perm = permutationOf(name);
                float[] v = t.data();
                if (perm != null) {
                    float[] w = new float[v.length];
                    for (int i = 0; i < v.length; i++) {
                        w[i] = v[perm[i]];
                    }
                    v = w;
                }
                if (ignoredEmbeddings.contains(name)) {
                    v = new float[v.length];
                    java.util.Arrays.fill(v, 1f);
                }
                out.put(name, new Tensor(t.shape(), v));
            });
            return new NamedTensors(out);
        }

        NamedTensors toCanonical(NamedTensors internal) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            internal.asMap().forEach((name, t) -> out.put(name, new Tensor(t.shape(), toCanonical(name, t.data()))));
            return new NamedTensors(out);
        }

        float[] toCanonical(String name, float[] v) {
            int[] perm = permutationOf(name);
            if (perm == null) {
                return v;
            }
            float[] w = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                w[perm[i]] = v[i];
            }
            return w;
        }
    }

    // ------------------------------------------------------------------------------ the model

    /** The faulty model: the oracle behind the fault. */
    static final class FaultyModel implements GanModel {
        private final ModelSpec spec;
        private final Fault fault;
        private final ReferenceModel inner;
        private final Layout layout;
        private final AdamConfig discriminatorOptimizer;
        /** What the backend exports for an ignored embedding (and its moments): the loaded values, untouched. */
        private final Map<String, Tensor> frozen = new HashMap<>();

        private final Precision claimed;

        FaultyModel(
                ModelSpec spec,
                Fault fault,
                ReferenceModel inner,
                Layout layout,
                AdamConfig dAdam,
                NamedTensors loaded,
                Precision claimed) {
            this.spec = spec;
            this.claimed = claimed;
            this.fault = fault;
            this.inner = inner;
            this.layout = layout;
            this.discriminatorOptimizer = dAdam;
            rememberFrozen(StateNames.completeAndCheck(spec.validate(), loaded));
        }

        /** Keeps the loaded (canonical) values of an ignored embedding and its moments for export. */
        private void rememberFrozen(NamedTensors canonical) {
            for (String name : canonical.names()) {
                String base = name.replace(StateNames.ADAM_M, "").replace(StateNames.ADAM_V, "");
                if (layout.ignored(base)) {
                    frozen.put(name, canonical.get(name));
                }
            }
        }

        @Override
        public ModelSpec spec() {
            return spec;
        }

        @Override
        public String backendName() {
            return "faulty";
        }

        @Override
        public Precision precision() {
            return claimed;
        }

        @Override
        public Generator generator() {
            Generator g = inner.generator();
            return new Generator() {
                @Override
                public ModelSpec spec() {
                    return spec;
                }

                @Override
                public Precision precision() {
                    return claimed;
                }

                @Override
                public ImageBatch generate(Tensor noise, int[] labels) {
                    return g.generate(noise, labels);
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public Discriminator discriminator() {
            Discriminator d = inner.discriminator();
            return new Discriminator() {
                @Override
                public ModelSpec spec() {
                    return spec;
                }

                @Override
                public DiscriminatorOutput discriminate(ImageBatch images) {
                    return d.discriminate(images);
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public ImageBatch generate(Tensor noise, int[] labels, boolean training, Map<String, float[]> masks) {
            return inner.generate(noise, labels, training, fault == Fault.DROPOUT_MASKS_IGNORED ? null : masks);
        }

        private DiscriminatorBatch batch(DiscriminatorBatch b) {
            return switch (fault) {
                case LABEL_SMOOTHING_IGNORED ->
                    new DiscriminatorBatch(
                            b.real(),
                            b.fake(),
                            1f,
                            b.fakeTarget(),
                            b.auxWeightReal(),
                            b.auxWeightFake(),
                            b.dropoutMasks());
                case DROPOUT_MASKS_IGNORED ->
                    new DiscriminatorBatch(
                            b.real(),
                            b.fake(),
                            b.realTarget(),
                            b.fakeTarget(),
                            b.auxWeightReal(),
                            b.auxWeightFake(),
                            null);
                default -> b;
            };
        }

        private GeneratorBatch batch(GeneratorBatch b) {
            return switch (fault) {
                case LABEL_SMOOTHING_IGNORED ->
                    new GeneratorBatch(
                            b.noise(), b.labels(), 1f, b.auxWeight(), b.generatorMasks(), b.discriminatorMasks());
                case DROPOUT_MASKS_IGNORED ->
                    new GeneratorBatch(b.noise(), b.labels(), b.target(), b.auxWeight(), null, null);
                default -> b;
            };
        }

        private DiscriminatorLosses report(DiscriminatorLosses l) {
            double ra = l.realAdversarial() * (fault == Fault.D_REAL_ADVERSARIAL_OFF_1PCT ? 1.01 : 1);
            double fa = l.fakeAdversarial() * (fault == Fault.D_FAKE_ADVERSARIAL_OFF_1PCT ? 1.01 : 1);
            double rx = l.realAuxiliary() * (fault == Fault.D_REAL_AUXILIARY_OFF_1PCT ? 1.01 : 1);
            double fx = l.fakeAuxiliary() * (fault == Fault.D_FAKE_AUXILIARY_OFF_1PCT ? 1.01 : 1);
            return DiscriminatorLosses.of(ra, fa, rx, fx);
        }

        private GeneratorLosses report(GeneratorLosses l) {
            double a = l.adversarial() * (fault == Fault.G_ADVERSARIAL_OFF_1PCT ? 1.01 : 1);
            double x = l.auxiliary() * (fault == Fault.G_AUXILIARY_OFF_1PCT ? 1.01 : 1);
            return GeneratorLosses.of(a, x);
        }

        private NamedTensors gradients(NamedTensors internal) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            internal.asMap()
                    .forEach((name, t) -> out.put(
                            name,
                            layout.ignored(name)
                                    ? Tensor.zeros(t.shape())
                                    : new Tensor(t.shape(), layout.toCanonical(name, t.data()))));
            return new NamedTensors(out);
        }

        @Override
        public DiscriminatorLosses discriminatorLoss(DiscriminatorBatch b) {
            return report(inner.discriminatorLoss(batch(b)));
        }

        @Override
        public NamedTensors discriminatorGradients(DiscriminatorBatch b) {
            return gradients(inner.discriminatorGradients(batch(b)));
        }

        @Override
        public DiscriminatorLosses trainDiscriminator(DiscriminatorBatch b) {
            Map<String, double[]> stats = new HashMap<>();
            if (fault == Fault.DISCRIMINATOR_STATISTICS_FROZEN) {
                for (ParameterSpec p : inner.inferred().discriminator().parameters()) {
                    if (!p.trainable()) {
                        stats.put(p.name(), inner.value(p.name()));
                    }
                }
            }
            DiscriminatorLosses l = inner.trainDiscriminator(batch(b));
            stats.forEach(inner::setValue);
            return report(l);
        }

        @Override
        public GeneratorLosses generatorLoss(GeneratorBatch b) {
            return report(inner.generatorLoss(batch(b)));
        }

        @Override
        public NamedTensors generatorGradients(GeneratorBatch b) {
            return gradients(inner.generatorGradients(batch(b)));
        }

        @Override
        public GeneratorLosses trainGenerator(GeneratorBatch b) {
            GeneratorLosses l = inner.trainGenerator(batch(b));
            if (fault == Fault.CLASS_EMBEDDING_IGNORED) {
                // The ignored table stays ones inside (no gradient reaches it in the faulty backend).
                for (String name : inner.valueNames()) {
                    if (layout.ignored(name)) {
                        double[] ones = new double[inner.value(name).length];
                        java.util.Arrays.fill(ones, 1);
                        inner.setValue(name, ones);
                    }
                }
            }
            if (fault == Fault.GENERATOR_STEP_MOVES_DISCRIMINATOR) {
                for (ParameterSpec p : inner.inferred().discriminator().trainableParameters()) {
                    if (p.name().endsWith("/kernel")) {
                        double[] v = inner.value(p.name());
                        for (int i = 0; i < v.length; i++) {
                            v[i] -= discriminatorOptimizer.learningRate() * Math.signum(v[i]);
                        }
                        inner.setValue(p.name(), v);
                    }
                }
            }
            return report(l);
        }

        @Override
        public NamedTensors state() {
            NamedTensors canonical = layout.toCanonical(inner.state());
            if (frozen.isEmpty()) {
                return canonical;
            }
            Map<String, Tensor> out = new LinkedHashMap<>(canonical.asMap());
            out.putAll(frozen);
            return new NamedTensors(out);
        }

        @Override
        public void loadState(NamedTensors state) {
            NamedTensors full = StateNames.completeAndCheck(spec.validate(), state);
            inner.loadState(layout.toInternal(full));
            rememberFrozen(full);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    // -------------------------------------------------------------------------- the classifier

    /** The faulty classifier: the oracle behind the fault. */
    static final class FaultyClassifier implements ClassifierModel {
        private final ClassifierSpec spec;
        private final Fault fault;
        private final ReferenceClassifier inner;

        FaultyClassifier(ClassifierSpec spec, Fault fault, ReferenceClassifier inner) {
            this.spec = spec;
            this.fault = fault;
            this.inner = inner;
        }

        /** What the backend gets of a batch. */
        private ClassifierBatch batch(ClassifierBatch b) {
            return fault == Fault.DROPOUT_MASKS_IGNORED ? ClassifierBatch.of(b.images()) : b;
        }

        /** The factor a summed loss carries. */
        private double scale(ClassifierBatch b) {
            return fault == Fault.CLASSIFIER_LOSS_SUMMED ? b.count() : 1;
        }

        @Override
        public ClassifierSpec spec() {
            return spec;
        }

        @Override
        public String backendName() {
            return "faulty";
        }

        @Override
        public ClassifierOutput predict(ImageBatch images) {
            return inner.predict(images);
        }

        @Override
        public double loss(ClassifierBatch b) {
            return inner.loss(batch(b)) * scale(b);
        }

        @Override
        public NamedTensors gradients(ClassifierBatch b) {
            NamedTensors g = inner.gradients(batch(b));
            float f = (float) scale(b);
            Map<String, Tensor> out = new LinkedHashMap<>();
            g.asMap().forEach((name, t) -> {
                float[] v = t.data().clone();
                for (int i = 0; i < v.length; i++) {
                    v[i] *= f;
                }
                out.put(name, new Tensor(t.shape(), v));
            });
            return new NamedTensors(out);
        }

        @Override
        public double train(ClassifierBatch b, double learningRate) {
            return inner.train(batch(b), learningRate) * scale(b);
        }

        @Override
        public NamedTensors state() {
            return inner.state();
        }

        @Override
        public void loadState(NamedTensors state) {
            inner.loadState(state);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
