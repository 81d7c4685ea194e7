package dev.acgan.api.data;

import dev.acgan.api.spec.ImageShape;
import java.util.Objects;

/**
 * The contents of an IDX images file: {@code count} images of {@code rows x cols x channels} unsigned
 * bytes, row-major, channels last (the file's own order). Produced by {@link IdxReader}; the pixel
 * array is shared, not copied, and must not be modified.
 *
 * @param source   where the data came from (a path or {@code classpath:} name), used in error messages
 * @param count    number of images
 * @param rows     image height
 * @param cols     image width
 * @param channels channels per pixel: 1 for three-dimensional files, the fourth dimension otherwise
 * @param pixels   {@code count*rows*cols*channels} bytes, each 0..255 when read as unsigned
 */
public record IdxImages(String source, int count, int rows, int cols, int channels, byte[] pixels) {

    /** Checks that the pixel array matches the dimensions. */
    public IdxImages {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(pixels, "pixels");
        if (count <= 0 || rows <= 0 || cols <= 0 || channels <= 0) {
            throw new IllegalArgumentException(
                    source + ": invalid IDX image dimensions " + count + "x" + rows + "x" + cols + "x" + channels);
        }
        // Stepwise, so that a product beyond a long (2^31 ^ 4) cannot wrap round to the array's length.
        long perImage = (long) rows * cols;
        if (perImage > pixels.length
                || perImage * channels > pixels.length
                || perImage * channels * count != pixels.length) {
            throw new IllegalArgumentException(source + ": " + count + " images of " + rows + "x" + cols + "x"
                    + channels + " do not fit the " + pixels.length + " bytes given");
        }
    }

    /** The shape of one image. */
    public ImageShape shape() {
        return new ImageShape(rows, cols, channels);
    }
}
