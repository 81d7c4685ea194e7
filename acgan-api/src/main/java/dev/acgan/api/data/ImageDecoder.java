package dev.acgan.api.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

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

    private ImageDecoder() {
    }

    /** Reads an image; fails naming the file when it cannot be decoded. */
    static BufferedImage read(Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(file + ": cannot decode image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new DatasetException(file + ": not a readable image (no decoder recognises its content)");
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
