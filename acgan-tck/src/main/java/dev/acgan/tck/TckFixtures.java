package dev.acgan.tck;

import dev.acgan.api.data.DatasetSource;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.model.ClassifierBatch;
import dev.acgan.api.model.DiscriminatorBatch;
import dev.acgan.api.model.GeneratorBatch;
import dev.acgan.api.spec.ClassifierPresets;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.GanKind;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.Initializer;
import dev.acgan.api.spec.LayerSpec;
import dev.acgan.api.spec.LayerSpec.BatchNorm;
import dev.acgan.api.spec.LayerSpec.Concat;
import dev.acgan.api.spec.LayerSpec.Conv2D;
import dev.acgan.api.spec.LayerSpec.Conv2DTranspose;
import dev.acgan.api.spec.LayerSpec.Dense;
import dev.acgan.api.spec.LayerSpec.Dropout;
import dev.acgan.api.spec.LayerSpec.Embedding;
import dev.acgan.api.spec.LayerSpec.Flatten;
import dev.acgan.api.spec.LayerSpec.LeakyRelu;
import dev.acgan.api.spec.LayerSpec.MaxPool2D;
import dev.acgan.api.spec.LayerSpec.Multiply;
import dev.acgan.api.spec.LayerSpec.OneHot;
import dev.acgan.api.spec.LayerSpec.Relu;
import dev.acgan.api.spec.LayerSpec.RepeatSpatial;
import dev.acgan.api.spec.LayerSpec.Reshape;
import dev.acgan.api.spec.LayerSpec.Sigmoid;
import dev.acgan.api.spec.LayerSpec.Softmax;
import dev.acgan.api.spec.LayerSpec.Tanh;
import dev.acgan.api.spec.LayerSpec.UpSampling2D;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.NoiseDistribution;
import dev.acgan.api.spec.Padding;
import dev.acgan.api.spec.ParameterInitializer;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.DropoutMasks;
import dev.acgan.api.train.NoiseSampler;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded specs, weights and inputs shared by the TCK's tests. Everything is derived from explicit
 * seeds, so a failure is reproducible by name and seed.
 */
public final class TckFixtures {

    private TckFixtures() {}

    /**
     * A small ACGAN on 8x8x1 images, 3 classes, latent 5, touching Embedding, Multiply, Dense, Reshape,
     * Conv2DTranspose (stride 2 'same' and stride 1 'valid'), BatchNorm, ReLU, Tanh, Conv2D (stride 2
     * 'same' and stride 1 'valid'), LeakyReLU, Dropout, Flatten, Sigmoid and Softmax.
     */
    public static ModelSpec tinyAcgan() {
        NetworkSpec g = NetworkSpec.builder()
                .add("embedding", new Embedding(3, 5, Initializer.GLOROT_NORMAL), NetworkSpec.LABEL)
                .add("multiply", new Multiply(), NetworkSpec.NOISE, "embedding")
                .then("dense", Dense.of(2 * 2 * 6))
                .then("relu0", new Relu())
                .then("reshape", new Reshape(List.of(2, 2, 6)))
                .then(
                        "deconv1",
                        new Conv2DTranspose(
                                4, 3, 3, 1, 1, Padding.VALID, true, Initializer.GLOROT_NORMAL, Initializer.ZEROS))
                .then("relu1", new Relu())
                .then("bn1", new BatchNorm(0.9, 1e-3))
                .then(
                        "deconv2",
                        new Conv2DTranspose(
                                1, 3, 3, 2, 2, Padding.SAME, true, Initializer.GLOROT_NORMAL, Initializer.ZEROS))
                .then("tanh", new Tanh())
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = NetworkSpec.builder()
                .add("conv1", Conv2D.of(4, 3, 2, Padding.SAME), NetworkSpec.IMAGE)
                .then("lrelu1", new LeakyRelu(0.2))
                .then("drop1", new Dropout(0.3))
                .then("conv2", Conv2D.of(5, 2, 1, Padding.VALID))
                .then("lrelu2", new LeakyRelu(0.2))
                .then("drop2", new Dropout(0.25))
                .then("flatten", new Flatten())
                .add("validity", Dense.of(1), "flatten")
                .then("validity_sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .add("class", Dense.of(3), "flatten")
                .then("class_softmax", new Softmax())
                .output(NetworkSpec.OUT_CLASS)
                .build();
        return checked(new ModelSpec(
                "tck-tiny-acgan", GanKind.ACGAN, new ImageShape(8, 8, 1), 3, 5, NoiseDistribution.UNIFORM, g, d));
    }

    /**
     * A small CGAN on odd-sized 7x5x2 images, 4 classes: OneHot, RepeatSpatial and Concat in both
     * networks, a rank-1 BatchNorm, non-square kernels and strides.
     */
    public static ModelSpec tinyCgan() {
        NetworkSpec g = NetworkSpec.builder()
                .add("dense", Dense.of(7 * 5 * 3), NetworkSpec.NOISE)
                .then("bn0", new BatchNorm(0.8, 1e-2))
                .then("relu0", new Relu())
                .then("reshape", new Reshape(List.of(7, 5, 3)))
                .add("onehot", new OneHot(4), NetworkSpec.LABEL)
                .then("map", new RepeatSpatial(7, 5))
                .add("concat", new Concat(), "reshape", "map")
                .then(
                        "conv",
                        new Conv2D(2, 3, 2, 1, 1, Padding.SAME, true, Initializer.GLOROT_UNIFORM, Initializer.ZEROS))
                .then("tanh", new Tanh())
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = NetworkSpec.builder()
                .add("onehot", new OneHot(4), NetworkSpec.LABEL)
                .then("map", new RepeatSpatial(7, 5))
                .add("concat", new Concat(), NetworkSpec.IMAGE, "map")
                .then(
                        "conv1",
                        new Conv2D(3, 3, 3, 2, 1, Padding.SAME, true, Initializer.GLOROT_UNIFORM, Initializer.ZEROS))
                .then("lrelu", new LeakyRelu(0.1))
                .then("drop", new Dropout(0.5))
                .then("flatten", new Flatten())
                .then("validity", Dense.of(1))
                .then("sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        return checked(new ModelSpec(
                "tck-tiny-cgan", GanKind.CGAN, new ImageShape(7, 5, 2), 4, 6, NoiseDistribution.NORMAL, g, d));
    }

    /** A small fully connected vanilla GAN on 6x6x1 images. */
    public static ModelSpec tinyGan() {
        NetworkSpec g = NetworkSpec.builder()
                .add("dense1", Dense.of(9), NetworkSpec.NOISE)
                .then("lrelu1", new LeakyRelu(0.2))
                .then("dense2", Dense.of(36))
                .then("tanh", new Tanh())
                .then("reshape", new Reshape(List.of(6, 6, 1)))
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = NetworkSpec.builder()
                .add("flatten", new Flatten(), NetworkSpec.IMAGE)
                .then("dense1", Dense.of(7))
                .then("lrelu1", new LeakyRelu(0.2))
                .then("drop1", new Dropout(0.3))
                .then("validity", Dense.of(1))
                .then("sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        return checked(new ModelSpec(
                "tck-tiny-gan", GanKind.GAN, new ImageShape(6, 6, 1), 2, 4, NoiseDistribution.UNIFORM, g, d));
    }

    /**
     * A small DCGAN-style ACGAN on odd-sized 5x7x3 images, 3 classes, normal noise of length 4, covering
     * what the other tiny specs leave out: BatchNorm in the discriminator (its moving statistics move in
     * the discriminator step), Dropout in the generator (generator dropout masks), a rank-1 Concat of
     * noise and one-hot label, a non-square nearest-neighbour up-sampling (factors 1 and 2, so a swap of
     * the two or a tile of whole rows instead of each value shows), a non-square 'valid' transposed
     * convolution and a non-square 'valid' convolution.
     */
    public static ModelSpec tinyDcgan() {
        NetworkSpec g = NetworkSpec.builder()
                .add("onehot", new OneHot(3), NetworkSpec.LABEL)
                .add("concat", new Concat(), NetworkSpec.NOISE, "onehot")
                .then("dense", Dense.of(3 * 2 * 8))
                .then("bn0", new BatchNorm(0.99, 1e-3))
                .then("lrelu0", new LeakyRelu(0.2))
                .then("drop0", new Dropout(0.2))
                .then("reshape", new Reshape(List.of(3, 2, 8)))
                .then("up", new UpSampling2D(1, 2))
                .then(
                        "deconv",
                        new Conv2DTranspose(
                                3, 3, 4, 1, 1, Padding.VALID, true, Initializer.GLOROT_NORMAL, Initializer.ZEROS))
                .then("tanh", new Tanh())
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = NetworkSpec.builder()
                .add("conv1", Conv2D.of(4, 3, 2, Padding.SAME), NetworkSpec.IMAGE)
                .then("bn1", new BatchNorm(0.9, 1e-3))
                .then("lrelu1", new LeakyRelu(0.2))
                .then("drop1", new Dropout(0.25))
                .then(
                        "conv2",
                        new Conv2D(6, 2, 3, 1, 1, Padding.VALID, true, Initializer.GLOROT_UNIFORM, Initializer.ZEROS))
                .then("lrelu2", new LeakyRelu(0.2))
                .then("flatten", new Flatten())
                .add("validity", Dense.of(1), "flatten")
                .then("validity_sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .add("class", Dense.of(3), "flatten")
                .then("class_softmax", new Softmax())
                .output(NetworkSpec.OUT_CLASS)
                .build();
        return checked(new ModelSpec(
                "tck-tiny-dcgan", GanKind.ACGAN, new ImageShape(5, 7, 3), 3, 4, NoiseDistribution.NORMAL, g, d));
    }

    /**
     * A small classifier on odd-sized 9x7x2 images, 3 classes, covering what LeNet leaves out: a 'same'
     * convolution, an overlapping 3x3 stride-2 'same' max-pool straight after it (on values of both signs,
     * so 'same' padding must never win), BatchNorm in a classifier (moving statistics move in its training
     * step), a non-square 'valid' max-pool and Dropout before the logits.
     */
    public static ClassifierSpec tinyClassifier() {
        NetworkSpec net = NetworkSpec.builder()
                .add("conv1", Conv2D.of(4, 3, 1, Padding.SAME), NetworkSpec.IMAGE)
                .then("pool1", MaxPool2D.of(3, 2, Padding.SAME))
                .then("bn1", new BatchNorm(0.9, 1e-3))
                .then("relu1", new Relu())
                .then("conv2", Conv2D.of(5, 2, 1, Padding.VALID))
                .then("relu2", new Relu())
                .then("pool2", new MaxPool2D(2, 1, 2, 1, Padding.VALID))
                .then("flatten", new Flatten())
                .then("dense", Dense.of(6))
                .then("relu3", new Relu())
                .output(ClassifierSpec.OUT_FEATURES)
                .then("drop", new Dropout(0.3))
                .then("logits", Dense.of(3))
                .then("softmax", new Softmax())
                .output(NetworkSpec.OUT_CLASS)
                .build();
        ClassifierSpec spec = new ClassifierSpec("tck-tiny-classifier", new ImageShape(9, 7, 2), 3, net);
        spec.validate();
        return spec;
    }

    /** The classifiers of the classifier checks: {@link #tinyClassifier()} and LeNet on 28x28x1 MNIST digits. */
    public static List<ClassifierSpec> classifierSpecs() {
        return List.of(tinyClassifier(), ClassifierPresets.lenet(ImageShape.mnist(), 10));
    }

    /** A classifier spec of {@link #classifierSpecs()} by name. */
    public static ClassifierSpec classifierSpec(String name) {
        for (ClassifierSpec s : classifierSpecs()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no TCK classifier named '" + name + "'");
    }

    /** Seeded initial weights of a classifier, perturbed as {@link #weights}. */
    public static NamedTensors weights(ClassifierSpec spec, long seed) {
        return perturbed(ParameterInitializer.initialize(spec.validate(), seed), seed);
    }

    /**
     * {@code n} labelled images for a classifier (real MNIST digits with their labels for 28x28x1 and 10
     * classes, else seeded noise images with seeded labels) and seeded dropout masks.
     */
    public static ClassifierBatch classifierBatch(ClassifierSpec spec, int n, long seed) {
        ImageBatch images = realImages(spec.image(), spec.numClasses(), n, seed);
        return new ClassifierBatch(images, DropoutMasks.draw(spec.validate(), n, new SplittableRandom(seed + 2)));
    }

    /**
     * The small custom specs of the parity checks: the three {@link #tinySpecs()} and {@link #tinyDcgan()}.
     * Together they use every layer type and both network kinds of BatchNorm placement.
     */
    public static List<ModelSpec> customSpecs() {
        return List.of(tinyAcgan(), tinyCgan(), tinyGan(), tinyDcgan());
    }

    /** A custom spec ({@link #customSpecs()}) or a preset ({@link Presets#byName}) by name. */
    public static ModelSpec spec(String name) {
        for (ModelSpec s : customSpecs()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return Presets.byName(name);
    }

    /** The full-size presets at 28x28x1, 10 classes, latent 100. */
    public static List<ModelSpec> presets() {
        return List.of(
                Presets.byName(Presets.ACGAN_MNIST),
                Presets.byName(Presets.ACGAN_FAST),
                Presets.byName(Presets.ACGAN_HQ),
                Presets.byName(Presets.ACGAN_HQ_WIDE),
                Presets.byName(Presets.CGAN_MNIST),
                Presets.byName(Presets.GAN_MLP));
    }

    /** The tiny specs. */
    public static List<ModelSpec> tinySpecs() {
        return List.of(tinyAcgan(), tinyCgan(), tinyGan());
    }

    private static ModelSpec checked(ModelSpec spec) {
        spec.validate();
        return spec;
    }

    /** Seeded initial weights and statistics; BatchNorm statistics are perturbed so inference mode is tested. */
    public static NamedTensors weights(ModelSpec spec, long seed) {
        InferredModel model = spec.validate();
        return perturbed(ParameterInitializer.initialize(model, seed), seed);
    }

    private static NamedTensors perturbed(NamedTensors init, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 31 + 7);
        java.util.Map<String, Tensor> out = new java.util.LinkedHashMap<>(init.asMap());
        for (Map.Entry<String, Tensor> e : init.asMap().entrySet()) {
            String name = e.getKey();
            float[] v = e.getValue().data().clone();
            if (name.endsWith("/moving_mean") || name.endsWith("/beta") || name.endsWith("/bias")) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (rnd.nextDouble() * 0.2 - 0.1);
                }
            } else if (name.endsWith("/moving_variance") || name.endsWith("/gamma")) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.5 + rnd.nextDouble());
                }
            }
            out.put(name, new Tensor(e.getValue().shape(), v));
        }
        return new NamedTensors(out);
    }

    /** {@code n} seeded images in [-1, 1] of the spec's shape with labels. */
    public static ImageBatch images(ModelSpec spec, int n, long seed) {
        return images(spec.image(), spec.numClasses(), n, seed);
    }

    /** {@code n} seeded images in [-1, 1] of the shape, labelled in {@code [0, classes)}. */
    public static ImageBatch images(ImageShape shape, int classes, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] px = new float[n * shape.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(classes);
        }
        return ImageBatch.nhwc(n, shape.height(), shape.width(), shape.channels(), px, labels);
    }

    /** {@code n} real MNIST digits (embedded dataset), for 28x28x1 specs. */
    public static ImageBatch mnist(int n, int offset) {
        DatasetSource data = Datasets.embeddedMnist();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = (offset + i * 37) % data.size();
        }
        return data.batch(idx);
    }

    /** Real images suited to the spec: MNIST digits for 28x28x1 with 10 classes, else seeded noise images. */
    public static ImageBatch realImages(ModelSpec spec, int n, long seed) {
        return realImages(spec.image(), spec.numClasses(), n, seed);
    }

    /** Real MNIST digits for 28x28x1 with 10 classes, else seeded noise images ({@link #images}). */
    public static ImageBatch realImages(ImageShape shape, int classes, int n, long seed) {
        if (shape.equals(ImageShape.mnist()) && classes == 10) {
            return mnist(n, (int) (seed % 1000));
        }
        return images(shape, classes, n, seed);
    }

    /** A discriminator batch of {@code nReal} real and {@code nFake} fake images with seeded dropout masks. */
    public static DiscriminatorBatch discriminatorBatch(ModelSpec spec, int nReal, int nFake, long seed) {
        ImageBatch real = realImages(spec, nReal, seed);
        ImageBatch fake = images(spec, nFake, seed + 1);
        Map<String, float[]> masks =
                DropoutMasks.draw(spec.validate().discriminator(), nReal + nFake, new SplittableRandom(seed + 2));
        return new DiscriminatorBatch(real, fake, 0.95f, 0f, 1f, 1f, masks);
    }

    /**
     * A discriminator batch with explicit targets and auxiliary weights: {@code nReal} real images
     * ({@link #realImages}) and {@code nFake} seeded fakes, with seeded dropout masks. For a vanilla GAN
     * the images carry no labels, as in {@link dev.acgan.api.train.GanTrainer}.
     */
    public static DiscriminatorBatch discriminatorBatch(
            ModelSpec spec,
            int nReal,
            int nFake,
            long seed,
            float realTarget,
            float fakeTarget,
            float auxWeightReal,
            float auxWeightFake) {
        ImageBatch real = realImages(spec, nReal, seed);
        ImageBatch fake = images(spec, nFake, seed + 1);
        if (!spec.kind().conditionalGenerator()) {
            real = real.withLabels(null);
            fake = fake.withLabels(null);
        }
        Map<String, float[]> masks =
                DropoutMasks.draw(spec.validate().discriminator(), nReal + nFake, new SplittableRandom(seed + 2));
        return new DiscriminatorBatch(real, fake, realTarget, fakeTarget, auxWeightReal, auxWeightFake, masks);
    }

    /** A generator batch of {@code n} seeded samples with an explicit target and auxiliary weight. */
    public static GeneratorBatch generatorBatch(ModelSpec spec, int n, long seed, float target, float auxWeight) {
        GeneratorBatch b = generatorBatch(spec, n, seed);
        return new GeneratorBatch(b.noise(), b.labels(), target, auxWeight, b.generatorMasks(), b.discriminatorMasks());
    }

    /** A labelled in-memory dataset of {@code size} seeded images of the spec's shape. */
    public static DatasetSource dataset(ModelSpec spec, int size, long seed) {
        ImageBatch all = images(spec, size, seed);
        List<String> classes = new java.util.ArrayList<>();
        for (int k = 0; k < spec.numClasses(); k++) {
            classes.add("class " + k);
        }
        dev.acgan.api.data.DatasetInfo info =
                new dev.acgan.api.data.DatasetInfo("tck synthetic " + spec.name(), size, spec.image(), classes);
        return new DatasetSource() {
            @Override
            public dev.acgan.api.data.DatasetInfo info() {
                return info;
            }

            @Override
            public int label(int index) {
                return all.labels()[index];
            }

            @Override
            public void readImage(int index, float[] dst, int offset) {
                System.arraycopy(all.pixels(), index * all.imageSize(), dst, offset, all.imageSize());
            }
        };
    }

    /** A generator batch of {@code n} samples with seeded noise, labels and dropout masks. */
    public static GeneratorBatch generatorBatch(ModelSpec spec, int n, long seed) {
        Tensor noise = NoiseSampler.sample(spec, n, new SplittableRandom(seed));
        int[] labels = NoiseSampler.labels(spec, n, new SplittableRandom(seed + 1));
        SplittableRandom drop = new SplittableRandom(seed + 2);
        Map<String, float[]> g = DropoutMasks.draw(spec.validate().generator(), n, drop);
        Map<String, float[]> d = DropoutMasks.draw(spec.validate().discriminator(), n, drop);
        return new GeneratorBatch(noise, labels, 0.95f, 1f, g, d);
    }

    /** Noise of the spec's prior. */
    public static Tensor noise(ModelSpec spec, int n, long seed) {
        return NoiseSampler.sample(spec, n, new SplittableRandom(seed));
    }

    /** Labels for the spec ({@code null} for a vanilla GAN). */
    public static int[] labels(ModelSpec spec, int n, long seed) {
        int[] l = NoiseSampler.labels(spec, n, new SplittableRandom(seed));
        return l;
    }

    /** Layer type names covered by the custom specs and the tiny classifier (for the coverage self-check). */
    public static java.util.Set<String> coveredLayerTypes() {
        java.util.Set<String> types = new java.util.TreeSet<>();
        for (ModelSpec s : customSpecs()) {
            for (NetworkSpec n : List.of(s.generator(), s.discriminator())) {
                n.nodes().forEach(node -> types.add(node.layer().typeName()));
            }
        }
        tinyClassifier()
                .network()
                .nodes()
                .forEach(node -> types.add(node.layer().typeName()));
        return types;
    }

    /** Every layer type of the spec language. */
    public static java.util.Set<String> allLayerTypes() {
        java.util.Set<String> types = new java.util.TreeSet<>();
        for (com.fasterxml.jackson.annotation.JsonSubTypes.Type t : LayerSpec.class
                .getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class)
                .value()) {
            types.add(t.name());
        }
        return types;
    }
}
