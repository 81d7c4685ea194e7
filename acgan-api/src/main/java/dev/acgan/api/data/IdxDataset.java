package dev.acgan.api.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A labelled image dataset read from a pair of IDX files (MNIST format) and held in memory as bytes:
 * {@code size*height*width*channels} bytes (47 MB for the 60,000 Fashion-MNIST training images) plus
 * one int per label. Pixels are converted to floats in [-1, 1] when read.
 *
 * <p>Labels are checked against the number of classes: given explicitly by the class names, or,
 * when not told, the largest label plus one (classes named {@code "0"}, {@code "1"}, ...).
 */
public final class IdxDataset extends ByteImageDataset {

    private static final Logger LOG = LoggerFactory.getLogger(IdxDataset.class);

    private IdxDataset(DatasetInfo info, byte[] pixels, int[] labels) {
        super(info, pixels, labels);
    }

    /**
     * Combines parsed images and labels, checking that the counts agree and that every label is in
     * {@code [0, classNames.size())}.
     *
     * @param name       dataset name for {@link DatasetInfo#name()}
     * @param classNames one name per class
     */
    public static IdxDataset of(String name, IdxImages images, IdxLabels labels, List<String> classNames) {
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException(name + ": at least one class name is needed");
        }
        if (images.count() != labels.count()) {
            throw new DatasetException(name + ": " + images.source() + " holds " + images.count() + " images but "
                    + labels.source() + " holds " + labels.count() + " labels; they must match");
        }
        int numClasses = classNames.size();
        int[] out = new int[labels.count()];
        for (int i = 0; i < out.length; i++) {
            int label = labels.label(i);
            if (label >= numClasses) {
                throw new DatasetException(labels.source() + ": label " + label + " of example " + i
                        + " (byte offset " + (labels.headerBytes() + (long) i) + ") is out of range [0, "
                        + numClasses + ") for " + numClasses + " classes");
            }
            out[i] = label;
        }
        DatasetInfo info = new DatasetInfo(name, images.count(), images.shape(), classNames);
        IdxDataset dataset = new IdxDataset(info, images.pixels(), out);
        LOG.debug("loaded {}", dataset);
        return dataset;
    }

    /**
     * Like {@link #of(String, IdxImages, IdxLabels, List)} with the number of classes taken as the
     * largest label plus one and the classes named by their index.
     */
    public static IdxDataset of(String name, IdxImages images, IdxLabels labels) {
        return of(name, images, labels, indexNames(labels.maxLabel() + 1));
    }

    /**
     * Reads an images and a labels file (each raw or gzip).
     *
     * @param classNames one name per class, or {@code null} to infer the classes from the labels
     */
    public static IdxDataset fromFiles(Path imagesFile, Path labelsFile, List<String> classNames) {
        IdxImages images = IdxReader.readImages(imagesFile);
        IdxLabels labels = IdxReader.readLabels(labelsFile);
        String name = "idx:" + imagesFile;
        return classNames == null ? of(name, images, labels) : of(name, images, labels, classNames);
    }

    /**
     * Reads one split from a directory of IDX files ({@code train-images-idx3-ubyte[.gz]} and
     * {@code train-labels-idx1-ubyte[.gz]} for {@link Split#TRAIN}, {@code t10k-*} for
     * {@link Split#TEST}; a lone {@code NAME-images-idx3-ubyte[.gz]} pair also serves as the training
     * split), inferring the classes from the labels. Fails listing the directory when a file is missing.
     */
    public static IdxDataset fromDirectory(Path dir, Split split) {
        return fromDirectory(dir, split, null);
    }

    /**
     * Like {@link #fromDirectory(Path, Split)} with known class names.
     *
     * @param classNames one name per class, or {@code null} to infer the classes from the labels
     */
    public static IdxDataset fromDirectory(Path dir, Split split, List<String> classNames) {
        IdxDirectory files = IdxDirectory.locate(dir, split);
        IdxImages images = IdxReader.readImages(files.images());
        IdxLabels labels = IdxReader.readLabels(files.labels());
        String name = "idx:" + dir + " (" + split.name().toLowerCase(java.util.Locale.ROOT) + ")";
        return classNames == null ? of(name, images, labels) : of(name, images, labels, classNames);
    }

    /** Class names {@code "0"} to {@code n-1}. */
    static List<String> indexNames(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }
}
