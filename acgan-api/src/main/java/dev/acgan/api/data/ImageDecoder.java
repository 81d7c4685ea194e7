package dev.acgan.api.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes image files with {@link ImageIO} and converts them to interleaved 8-bit greyscale or RGB.
 *
 * <p>Greyscale sources (a grey colour space) are read from their raster directly, so 8-bit grey
 * values come out unchanged (going through {@link BufferedImage#getRGB} would apply a gamma
 * conversion); 16-bit and 1/2/4-bit grey are scaled to 0..255. Other sources are read as sRGB.
 * RGB to grey uses the ITU-R BT.601 luma weights {@code 0.299 R + 0.587 G + 0.114 B}; grey to RGB
 * repeats the value. Alpha is dropped (the colour stored under a transparent pixel is kept), as
 * image libraries usually do when converting RGBA to RGB.
 */
final class ImageDecoder {

    private ImageDecoder() {}

    /** Largest image decoded, in pixels (8192 x 8192; 256 MB as the ARGB ints a conversion may take). */
    static final long MAX_PIXELS = 1L << 26;
    /**
     * Pixels one byte of an image file can hold at most: PNG's deflate expands at most 1032:1 and packs up to
     * 8 one-bit pixels per byte; GIF's LZW and BMP's RLE stay below that. A header that claims more pixels
     * than this times the file's length describes data the file cannot contain.
     */
    static final long MAX_PIXELS_PER_BYTE = 1032L * 8;

    /**
     * Reads an image; fails naming the file when it cannot be decoded. The width and height are read from
     * the header first and checked against {@link #MAX_PIXELS} and the file's length, so a damaged or
     * hostile header never makes the decoder allocate what the file cannot hold.
     */
    static BufferedImage read(Path file) {
        long length;
        try {
            length = Files.size(file);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read: " + e, e);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return read(in, length, file.toString());
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot decode image: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an image from the bytes of an image file, with the checks of {@link #read(Path)}; {@code source}
     * names it in errors (a file and row, say).
     */
    static BufferedImage read(byte[] encoded, String source) {
        if (encoded == null || encoded.length == 0) {
            throw new DatasetException(source + ": no image bytes (empty or null)");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            return read(in, encoded.length, source);
        } catch (IOException e) {
            throw new DatasetException(source + ": cannot decode image: " + e.getMessage(), e);
        }
    }

    private static BufferedImage read(ImageInputStream in, long length, String source) {
        BufferedImage img;
        try {
            if (in == null) {
                throw new DatasetException(source + ": cannot open");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DatasetException(source + ": not a readable image (no decoder recognises its content)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                long pixels = width * height;
                if (width <= 0 || height <= 0 || pixels > MAX_PIXELS || pixels > MAX_PIXELS_PER_BYTE * length) {
                    throw new DatasetException(source + ": header declares an image of " + width + "x" + height
                            + " pixels (width x height), "
                            + (width <= 0 || height <= 0
                                    ? "which is empty"
                                    : "more than "
                                            + (pixels > MAX_PIXELS
                                                    ? "this reader decodes (" + MAX_PIXELS + ")"
                                                    : "a file of " + length + " bytes can hold")));
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (DatasetException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(source + ": cannot decode image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new DatasetException(source + ": not a readable image (no decoder recognises its content)");
        }
        return img;
    }

    /** Whether the image holds only grey values (grey colour space, or a palette of greys). */
    static boolean isGrey(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            for (int i = 0; i < icm.getMapSize(); i++) {
                int r = icm.getRed(i);
                if (r != icm.getGreen(i) || r != icm.getBlue(i)) {
                    return false;
                }
            }
            return true;
        }
        return cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    /** The pixels as {@code height*width*channels} bytes, row-major; {@code channels} is 1 or 3. */
    static byte[] toBytes(BufferedImage img, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        int h = img.getHeight();
        int w = img.getWidth();
        byte[] out = new byte[h * w * channels];
        ColorModel cm = img.getColorModel();
        if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            Raster raster = img.getRaster();
            int bits = cm.getComponentSize(0);
            int max = (1 << bits) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int s = raster.getSample(x, y, 0);
                    int v = bits == 8 ? s : (int) Math.round(s * 255.0 / max);
                    for (int c = 0; c < channels; c++) {
                        out[(y * w + x) * channels + c] = (byte) v;
                    }
                }
            }
            return out;
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int p = 0; p < argb.length; p++) {
            int r = (argb[p] >> 16) & 0xff;
            int g = (argb[p] >> 8) & 0xff;
            int b = argb[p] & 0xff;
            if (channels == 3) {
                out[p * 3] = (byte) r;
                out[p * 3 + 1] = (byte) g;
                out[p * 3 + 2] = (byte) b;
            } else {
                out[p] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
            }
        }
        return out;
    }
}
