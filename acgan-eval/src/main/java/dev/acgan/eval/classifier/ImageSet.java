package dev.acgan.eval.classifier;

import dev.acgan.api.data.DatasetSource;
import dev.acgan.api.tensor.ImageBatch;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A fixed selection of the examples of a dataset, in a fixed order: the real images a classifier is
 * trained or tested on. Pixels are read on demand (NHWC floats in [-1, 1]), so a large split costs no
 * more memory than its dataset's bytes.
 *
 * @param source      the dataset
 * @param indices     the selected examples, in order
 * @param description what the selection is, for messages (e.g. {@code mnist test split (last 2000 of 10000)})
 */
public record ImageSet(DatasetSource source, int[] indices, String description) {

    /** Checks the indices. */
    public ImageSet {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(description, "description");
        indices = indices.clone();
        for (int i : indices) {
            Objects.checkIndex(i, source.size());
        }
    }

    /** All examples of a dataset, in order. */
    public static ImageSet all(DatasetSource source, String description) {
        return range(source, 0, source.size(), description);
    }

    /** The examples {@code [from, to)} of a dataset. */
    public static ImageSet range(DatasetSource source, int from, int to, String description) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return new ImageSet(source, idx, description);
    }

    /** Number of examples. */
    public int size() {
        return indices.length;
    }

    /** The first {@code n} examples (all when {@code n} is at least the size). */
    public ImageSet limit(int n) {
        if (n >= indices.length) {
            return this;
        }
        return new ImageSet(source, Arrays.copyOf(indices, n), description + ", first " + n);
    }

    /** Number of classes of the dataset. */
    public int numClasses() {
        return source.info().numClasses();
    }

    /** The class names of the dataset. */
    public List<String> classNames() {
        return source.info().classNames();
    }

    /** Label of the {@code i}-th example of the selection. */
    public int label(int i) {
        return source.label(indices[i]);
    }

    /** All labels, in order. */
    public int[] labels() {
        int[] out = new int[indices.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = label(i);
        }
        return out;
    }

    /** The examples {@code [from, to)} of the selection as one labelled NHWC batch. */
    public ImageBatch batch(int from, int to) {
        return source.batch(Arrays.copyOfRange(indices, from, to));
    }

    /** Writes the pixels of the {@code i}-th example into {@code dst} at {@code offset}. */
    public void read(int i, float[] dst, int offset) {
        source.readImage(indices[i], dst, offset);
    }
}
