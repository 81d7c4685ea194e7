package dev.acgan.api.data;

import dev.acgan.api.tensor.ImageBatch;
import java.util.Objects;

/**
 * Shared storage of the in-memory datasets: every image as unsigned bytes, NHWC, one after the other,
 * converted to floats in [-1, 1] ({@link ImageBatch#byteToPixel}) when read. Holds
 * {@code size*height*width*channels} bytes plus one int per label. Immutable, so reads are thread-safe.
 */
abstract class ByteImageDataset implements DatasetSource {

    private static final float[] PIXEL = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            PIXEL[b] = ImageBatch.byteToPixel(b);
        }
    }

    private final DatasetInfo info;
    private final byte[] pixels;
    private final int[] labels;
    private final int imageSize;

    /**
     * @param info   name, size, shape and classes; {@code info.size()} must equal {@code labels.length}
     * @param pixels {@code size * info.image().size()} bytes, not copied
     * @param labels one label per example in {@code [0, numClasses)}, not copied
     */
    ByteImageDataset(DatasetInfo info, byte[] pixels, int[] labels) {
        this.info = Objects.requireNonNull(info, "info");
        this.pixels = Objects.requireNonNull(pixels, "pixels");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.imageSize = info.image().size();
        if (labels.length != info.size() || (long) imageSize * info.size() != pixels.length) {
            throw new IllegalArgumentException(info.name() + ": " + info.size() + " images of " + info.image()
                    + " need " + (long) imageSize * info.size() + " bytes and " + info.size() + " labels, got "
                    + pixels.length + " bytes and " + labels.length + " labels");
        }
    }

    @Override
    public final DatasetInfo info() {
        return info;
    }

    @Override
    public final int size() {
        return labels.length;
    }

    @Override
    public final int label(int index) {
        Objects.checkIndex(index, labels.length);
        return labels[index];
    }

    @Override
    public final void readImage(int index, float[] dst, int offset) {
        Objects.checkIndex(index, labels.length);
        Objects.checkFromIndexSize(offset, imageSize, dst.length);
        int src = index * imageSize;
        for (int i = 0; i < imageSize; i++) {
            dst[offset + i] = PIXEL[pixels[src + i] & 0xff];
        }
    }

    /** The raw byte (0..255) of example {@code index} at position {@code i} of its NHWC image. */
    public final int rawByte(int index, int i) {
        Objects.checkIndex(index, labels.length);
        Objects.checkIndex(i, imageSize);
        return pixels[index * imageSize + i] & 0xff;
    }

    /** Number of examples per class, indexed by label. */
    public final int[] classCounts() {
        int[] counts = new int[info.numClasses()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + info.name() + ", " + info.size() + " x " + info.image() + ", "
                + info.numClasses() + " classes]";
    }
}
