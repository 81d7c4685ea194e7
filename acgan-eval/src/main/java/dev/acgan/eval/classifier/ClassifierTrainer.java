package dev.acgan.eval.classifier;

import dev.acgan.api.model.ClassifierBatch;
import dev.acgan.api.model.ClassifierModel;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.ParameterInitializer;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a LeNet ({@link LeNetShape}: 6 and 16 filters, dense 120 and 84) on real images by a
 * {@link ClassifierRecipe}, on a backend: Adam (beta1 0.9, beta2 0.999, epsilon 1e-8) on the mean softmax
 * cross-entropy, the learning rate decaying from the recipe's value to 0 along a cosine, the training
 * images reshuffled every epoch and each one shifted by a random whole number of pixels in both
 * directions (up to {@code shift}, the background filled in with -1). Then measures the accuracy on the
 * test split and the feature statistics of the training images. Every random choice (initial weights,
 * order, shifts) comes from the recipe's seed, so a recipe gives the same classifier, bit for bit, on the
 * same backend, machine and thread count when the backend is
 * {@link dev.acgan.api.spi.Capability#DETERMINISTIC}; other backends or CPUs round differently and give
 * another classifier of about the same accuracy.
 */
public final class ClassifierTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(ClassifierTrainer.class);

    /** Adam's settings; the learning rate of each step comes from the recipe's schedule. */
    static final AdamConfig ADAM = new AdamConfig(ClassifierRecipe.DEFAULT_LEARNING_RATE, 0.9, 0.999, 1e-8);

    private static final long INIT = 1;
    private static final long ORDER = 2;
    private static final long SHIFT = 3;

    /**
     * One epoch's progress.
     *
     * @param epoch        1-based epoch
     * @param loss         mean training loss of the epoch
     * @param testAccuracy accuracy on the test split after the epoch
     * @param seconds      seconds since the start of training
     */
    public record Epoch(int epoch, double loss, double testAccuracy, double seconds) {}

    /**
     * What training gave.
     *
     * @param classifier the classifier
     * @param epochs     progress per epoch
     * @param seconds    wall-clock seconds of the whole run, statistics included
     */
    public record Result(Classifier classifier, List<Epoch> epochs, double seconds) {}

    private ClassifierTrainer() {}

    /** Trains on the recipe's dataset ({@link ClassifierData}). */
    public static Result train(ClassifierRecipe recipe, GanBackend backend, Consumer<Epoch> progress) {
        ImageSet train = ClassifierData.train(recipe.dataset());
        ImageSet test = ClassifierData.test(recipe.dataset());
        return train(recipe, backend, train, test, progress);
    }

    /** Trains on the given images (the recipe's train limit applies to {@code train}). */
    public static Result train(
            ClassifierRecipe recipe, GanBackend backend, ImageSet train, ImageSet test, Consumer<Epoch> progress) {
        long start = System.nanoTime();
        if (recipe.trainLimit() > 0) {
            train = train.limit(recipe.trainLimit());
        }
        if (train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException(train.description() + " has " + train.numClasses() + " classes but "
                    + test.description() + " has " + test.numClasses());
        }
        var image = train.source().info().image();
        LeNetShape shape =
                new LeNetShape(image.height(), image.width(), image.channels(), 6, 16, 120, 84, train.numClasses());
        ClassifierSpec spec = shape.spec();
        InferredNetwork net = spec.validate();
        LOG.debug(
                "training a LeNet ({}, {} parameters) on {} images of {} with {}; {}",
                shape,
                net.trainableCount(),
                train.size(),
                train.description(),
                backend.name(),
                recipe.command());
        NamedTensors initial = ParameterInitializer.initialize(net, streamSeed(recipe.seed(), INIT, 0));
        int n = train.size();
        int b = recipe.batchSize();
        int per = shape.inputSize();
        int batches = (n + b - 1) / b;
        long totalSteps = (long) batches * recipe.epochs();
        float[] raw = new float[per];
        List<Epoch> history = new ArrayList<>();
        NamedTensors weights;
        FeatureStats reference;
        try (ClassifierModel model = backend.createClassifier(spec, ADAM, initial)) {
            long step = 0;
            for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
                int[] order = permutation(n, new SplittableRandom(streamSeed(recipe.seed(), ORDER, epoch)));
                SplittableRandom shifts = new SplittableRandom(streamSeed(recipe.seed(), SHIFT, epoch));
                double lossSum = 0;
                for (int batch = 0; batch < batches; batch++) {
                    int from = batch * b;
                    int m = Math.min(b, n - from);
                    float[] images = new float[m * per];
                    int[] labels = new int[m];
                    for (int i = 0; i < m; i++) {
                        int idx = order[from + i];
                        labels[i] = train.label(idx);
                        if (recipe.shift() == 0) {
                            train.read(idx, images, i * per);
                        } else {
                            train.read(idx, raw, 0);
                            int dy = shifts.nextInt(2 * recipe.shift() + 1) - recipe.shift();
                            int dx = shifts.nextInt(2 * recipe.shift() + 1) - recipe.shift();
                            translate(raw, images, i * per, image.height(), image.width(), image.channels(), dy, dx);
                        }
                    }
                    double lr = recipe.learningRate() * 0.5 * (1 + StrictMath.cos(Math.PI * step / totalSteps));
                    ImageBatch x = ImageBatch.nhwc(m, image.height(), image.width(), image.channels(), images, labels);
                    lossSum += model.train(ClassifierBatch.of(x), lr) * m;
                    step++;
                }
                double acc = CompiledClassifier.predict(model, test).accuracy(test.labels());
                Epoch e = new Epoch(epoch + 1, lossSum / n, acc, (System.nanoTime() - start) / 1e9);
                history.add(e);
                LOG.debug(String.format(
                        Locale.ROOT,
                        "epoch %d/%d  loss %.4f  test accuracy %.2f%%  %.0fs",
                        e.epoch(),
                        recipe.epochs(),
                        e.loss(),
                        100 * e.testAccuracy(),
                        e.seconds()));
                if (progress != null) {
                    progress.accept(e);
                }
            }
            NamedTensors state = model.state();
            Map<String, Tensor> w = new LinkedHashMap<>();
            for (ParameterSpec p : net.parameters()) {
                w.put(p.name(), state.get(p.name()));
            }
            weights = new NamedTensors(w);
            var p = CompiledClassifier.predict(model, train);
            reference = FeatureStats.of(p.features(), p.featureLength(), n);
        }
        double testAccuracy = history.get(history.size() - 1).testAccuracy();
        Classifier c = new Classifier(
                shape, weights, train.classNames(), recipe, backend.name(), n, test.size(), testAccuracy, reference);
        return new Result(c, history, (System.nanoTime() - start) / 1e9);
    }

    /** Copies an image moved by {@code (dy, dx)} pixels, filling the uncovered border with -1. */
    static void translate(float[] src, float[] dst, int off, int h, int w, int c, int dy, int dx) {
        for (int y = 0; y < h; y++) {
            int sy = y - dy;
            for (int x = 0; x < w; x++) {
                int sx = x - dx;
                int o = off + (y * w + x) * c;
                if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
                    for (int ch = 0; ch < c; ch++) {
                        dst[o + ch] = -1f;
                    }
                } else {
                    System.arraycopy(src, (sy * w + sx) * c, dst, o, c);
                }
            }
        }
    }

    /** A Fisher-Yates permutation of {@code 0..n-1}. */
    static int[] permutation(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** An independent seed for a purpose and counter, from the recipe's seed. */
    static long streamSeed(long seed, long purpose, long counter) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (purpose * 1_000_003L + counter + 1))).nextLong();
    }
}
