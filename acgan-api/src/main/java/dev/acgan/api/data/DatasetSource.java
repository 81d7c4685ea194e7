package dev.acgan.api.data;

import dev.acgan.api.tensor.ImageBatch;

/**
 * A finite, indexable set of labelled images. Pixels come out as floats in [-1, 1], NHWC. Sources
 * are read-only and thread-safe for reads; batching and seeded shuffling are done by
 * {@link BatchIterator}.
 */
public interface DatasetSource {

    /** Name, size, image shape and classes. */
    DatasetInfo info();

    /** Number of examples. */
    default int size() {
        return info().size();
    }

    /** Label of example {@code index}, in {@code [0, numClasses)}. */
    int label(int index);

    /**
     * Writes the pixels of example {@code index} into {@code dst} starting at {@code offset}, as
     * {@code height*width*channels} NHWC floats in [-1, 1].
     */
    void readImage(int index, float[] dst, int offset);

    /** The examples at the given indices as one NHWC batch with labels. */
    default ImageBatch batch(int[] indices) {
        DatasetInfo info = info();
        int per = info.image().size();
        float[] px = new float[indices.length * per];
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            readImage(indices[i], px, i * per);
            labels[i] = label(indices[i]);
        }
        return ImageBatch.nhwc(
                indices.length,
                info.image().height(),
                info.image().width(),
                info.image().channels(),
                px,
                labels);
    }
}
