package dev.acgan.api.spec;

/**
 * Height, width and channels of the images a model produces and judges.
 *
 * @param height   pixels
 * @param width    pixels
 * @param channels 1 (greyscale) or 3 (RGB), or any positive count
 */
public record ImageShape(int height, int width, int channels) {
    /** Rejects non-positive sizes. */
    public ImageShape {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException(
                    "image shape must be positive, got " + height + "x" + width + "x" + channels);
        }
    }

    /** 28x28 greyscale (MNIST, Fashion-MNIST). */
    public static ImageShape mnist() {
        return new ImageShape(28, 28, 1);
    }

    /** Values per image. */
    public int size() {
        return height * width * channels;
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
