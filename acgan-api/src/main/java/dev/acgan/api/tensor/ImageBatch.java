package dev.acgan.api.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A batch of images with an explicit shape and layout, and optional integer class labels.
 * Pixel values are floats in [-1, 1] (the generator's tanh range); {@link #toUnitRange} and
 * {@link #pixelToByte} convert for display.
 *
 * @param count    number of images
 * @param height   image height in pixels
 * @param width    image width in pixels
 * @param channels channels per pixel (1 for greyscale, 3 for RGB)
 * @param layout   memory order of {@code pixels}
 * @param pixels   {@code count*height*width*channels} values in {@code layout} order
 * @param labels   class label per image, or {@code null} when the batch is unlabelled
 */
public record ImageBatch(int count, int height, int width, int channels, Layout layout, float[] pixels, int[] labels) {

    /** Validates sizes. */
    public ImageBatch {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(pixels, "pixels");
        if (count < 0 || height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException(
                    "invalid image batch shape " + count + "x" + height + "x" + width + "x" + channels);
        }
        long expected = (long) count * height * width * channels;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("image batch " + count + "x" + height + "x" + width + "x" + channels
                    + " needs " + expected + " pixel values but has " + pixels.length);
        }
        if (labels != null && labels.length != count) {
            throw new IllegalArgumentException("image batch of " + count + " images has " + labels.length + " labels");
        }
    }

    /** An NHWC batch. */
    public static ImageBatch nhwc(int count, int height, int width, int channels, float[] pixels, int[] labels) {
        return new ImageBatch(count, height, width, channels, Layout.NHWC, pixels, labels);
    }

    /** Values per image. */
    public int imageSize() {
        return height * width * channels;
    }

    /** Whether the batch carries labels. */
    public boolean labelled() {
        return labels != null;
    }

    /** The same images in another layout (a copy when the layout differs). */
    public ImageBatch toLayout(Layout target) {
        if (target == layout) {
            return this;
        }
        float[] out = new float[pixels.length];
        int hw = height * width;
        for (int n = 0; n < count; n++) {
            int base = n * imageSize();
            for (int p = 0; p < hw; p++) {
                for (int c = 0; c < channels; c++) {
                    int nhwc = base + p * channels + c;
                    int nchw = base + c * hw + p;
                    if (layout == Layout.NHWC) {
                        out[nchw] = pixels[nhwc];
                    } else {
                        out[nhwc] = pixels[nchw];
                    }
                }
            }
        }
        return new ImageBatch(count, height, width, channels, target, out, labels);
    }

    /** The images {@code [from, to)} as a new batch. */
    public ImageBatch slice(int from, int to) {
        if (from < 0 || to > count || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + count + " images");
        }
        float[] px = Arrays.copyOfRange(pixels, from * imageSize(), to * imageSize());
        int[] lb = labels == null ? null : Arrays.copyOfRange(labels, from, to);
        return new ImageBatch(to - from, height, width, channels, layout, px, lb);
    }

    /** The batch with other labels (same pixels). */
    public ImageBatch withLabels(int[] newLabels) {
        return new ImageBatch(count, height, width, channels, layout, pixels, newLabels);
    }

    /** The pixels as a tensor of shape {@code [count, h, w, c]} (NHWC) or {@code [count, c, h, w]}. */
    public Tensor asTensor() {
        int[] shape = layout == Layout.NHWC
                ? new int[] {count, height, width, channels}
                : new int[] {count, channels, height, width};
        return new Tensor(shape, pixels);
    }

    /** Maps a pixel value from [-1, 1] to an unsigned byte 0..255 (clamped). */
    public static int pixelToByte(float v) {
        float unit = (Math.max(-1f, Math.min(1f, v)) + 1f) * 0.5f;
        return Math.round(unit * 255f);
    }

    /** Maps a byte 0..255 to a pixel value in [-1, 1]. */
    public static float byteToPixel(int b) {
        return (b & 0xff) / 127.5f - 1f;
    }

    /** The pixels mapped from [-1, 1] to [0, 1] (a copy). */
    public float[] toUnitRange() {
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (pixels[i] + 1f) * 0.5f;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageBatch b
                && count == b.count
                && height == b.height
                && width == b.width
                && channels == b.channels
                && layout == b.layout
                && Arrays.equals(pixels, b.pixels)
                && Arrays.equals(labels, b.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, height, width, channels, layout, Arrays.hashCode(pixels), Arrays.hashCode(labels));
    }

    @Override
    public String toString() {
        return "ImageBatch[" + count + "x" + height + "x" + width + "x" + channels + " " + layout
                + (labels == null ? "" : ", labelled") + "]";
    }
}
