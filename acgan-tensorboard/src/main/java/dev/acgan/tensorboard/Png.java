package dev.acgan.tensorboard;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * A PNG file's bytes with the size and colour space its header declares, as {@link
 * org.tensorflow.proto.Summary.Image} records them.
 *
 * @param bytes      the whole PNG file
 * @param width      pixels
 * @param height     pixels
 * @param colorspace TensorBoard's code: 1 grey, 2 grey and alpha, 3 RGB, 4 RGBA
 */
record Png(byte[] bytes, int width, int height, int colorspace) {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /**
     * Reads the header (the IHDR chunk right after the signature).
     *
     * @throws IllegalArgumentException when the bytes are not a PNG
     */
    static Png of(byte[] bytes) {
        if (bytes.length < 33
                || !Arrays.equals(bytes, 0, 8, SIGNATURE, 0, 8)
                || !new String(bytes, 12, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("IHDR")) {
            throw new IllegalArgumentException("not a PNG image (no PNG signature and IHDR header)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int width = b.getInt(16);
        int height = b.getInt(20);
        int colorType = bytes[25];
        int colorspace = switch (colorType) {
            case 0 -> 1; // grey
            case 4 -> 2; // grey and alpha
            case 6 -> 4; // RGBA
            default -> 3; // RGB, or a palette
        };
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("PNG header declares a " + width + "x" + height + " image");
        }
        return new Png(bytes.clone(), width, height, colorspace);
    }

    /** Encodes an image as PNG. */
    static Png encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalArgumentException("no PNG writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG: " + e.getMessage(), e);
        }
        return of(out.toByteArray());
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Png p
                && Arrays.equals(bytes, p.bytes)
                && width == p.width
                && height == p.height
                && colorspace == p.colorspace;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Png[" + width + "x" + height + ", colorspace " + colorspace + ", " + bytes.length + " bytes]";
    }
}
