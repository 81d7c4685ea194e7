package dev.acgan.eval.classifier;

import dev.acgan.api.data.DatasetSource;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.data.EmbeddedMnist;
import dev.acgan.api.data.Split;

/**
 * The real training and test images of a classifier, by dataset spec ({@link Datasets#fromSpec}).
 *
 * <ul>
 *   <li>{@code mnist}: the 10,000 digits embedded in acgan-api ({@link Datasets#embeddedMnist()}) split
 *       deterministically: the first {@value #MNIST_TRAIN} for training (exactly 800 per class, since the
 *       classes are interleaved), the last {@value #MNIST_TEST} for test (63 to 327 per class, as the
 *       interleaving runs out of the rarer classes towards the end);</li>
 *   <li>{@code fashion-mnist}, {@code fashion-mnist:DIR}, {@code idx:DIR}: the dataset's own training and
 *       test files (60,000 and 10,000 images for Fashion-MNIST).</li>
 * </ul>
 */
public final class ClassifierData {

    /** Training images of the {@code mnist} split. */
    public static final int MNIST_TRAIN = 8_000;
    /** Test images of the {@code mnist} split. */
    public static final int MNIST_TEST = EmbeddedMnist.SIZE - MNIST_TRAIN;

    private ClassifierData() {}

    /** The training images of the dataset named by {@code spec}. */
    public static ImageSet train(String spec) {
        if (isEmbeddedMnist(spec)) {
            return ImageSet.range(
                    Datasets.embeddedMnist(),
                    0,
                    MNIST_TRAIN,
                    "mnist training split (first " + MNIST_TRAIN + " of the " + EmbeddedMnist.SIZE
                            + " embedded digits)");
        }
        DatasetSource d = Datasets.fromSpec(spec, Split.TRAIN);
        return ImageSet.all(d, d.info().name());
    }

    /** The test images of the dataset named by {@code spec}. */
    public static ImageSet test(String spec) {
        if (isEmbeddedMnist(spec)) {
            return ImageSet.range(
                    Datasets.embeddedMnist(),
                    MNIST_TRAIN,
                    EmbeddedMnist.SIZE,
                    "mnist test split (last " + MNIST_TEST + " of the " + EmbeddedMnist.SIZE + " embedded digits)");
        }
        DatasetSource d = Datasets.fromSpec(spec, Split.TEST);
        return ImageSet.all(d, d.info().name());
    }

    private static boolean isEmbeddedMnist(String spec) {
        return spec != null && spec.strip().equals("mnist");
    }
}
