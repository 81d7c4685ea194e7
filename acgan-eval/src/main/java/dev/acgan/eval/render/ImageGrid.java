package dev.acgan.eval.render;

import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.Layout;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;

/**
 * Lays a batch of generated images out as a grid picture: images in row-major order, {@value #PAD}
 * pixels of grey between cells and around the border. Greyscale batches give a greyscale picture,
 * three-channel batches an RGB one; other channel counts show their first channel.
 */
public final class ImageGrid {

    /** Pixels between cells and around the border. */
    public static final int PAD = 2;
    /** Grey level of the padding. */
    public static final int PAD_GREY = 80;

    private ImageGrid() {}

    /** Width (or height) in pixels of a grid of {@code cells} cells of {@code size} pixels. */
    public static int extent(int cells, int size) {
        return cells * (size + PAD) + PAD;
    }

    /**
     * Renders the batch as {@code rows x cols} cells; cells beyond the batch stay grey.
     *
     * @throws IllegalArgumentException when the batch has more images than cells
     */
    public static BufferedImage render(ImageBatch batch, int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("a grid needs at least one row and column, got " + rows + "x" + cols);
        }
        if (batch.count() > rows * cols) {
            throw new IllegalArgumentException(batch.count() + " images do not fit a " + rows + "x" + cols + " grid");
        }
        ImageBatch b = batch.toLayout(Layout.NHWC);
        int h = b.height();
        int w = b.width();
        int c = b.channels();
        boolean rgb = c == 3;
        int width = extent(cols, w);
        int height = extent(rows, h);
        BufferedImage img =
                new BufferedImage(width, height, rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = img.getRaster();
        int bands = rgb ? 3 : 1;
        int[] fill = new int[width * height * bands];
        java.util.Arrays.fill(fill, PAD_GREY);
        raster.setPixels(0, 0, width, height, fill);
        float[] px = b.pixels();
        int[] cell = new int[h * w * bands];
        for (int n = 0; n < b.count(); n++) {
            int base = n * b.imageSize();
            for (int p = 0; p < h * w; p++) {
                for (int k = 0; k < bands; k++) {
                    cell[p * bands + k] = ImageBatch.pixelToByte(px[base + p * c + k]);
                }
            }
            int x = PAD + (n % cols) * (w + PAD);
            int y = PAD + (n / cols) * (h + PAD);
            raster.setPixels(x, y, w, h, cell);
        }
        return img;
    }

    /** Height of the caption strip of {@link #caption}. */
    public static final int CAPTION_HEIGHT = 16;

    /**
     * The picture with a dark strip below it holding {@code text} (e.g. the step of a GIF frame). When text
     * cannot be drawn (no fonts), the strip stays empty.
     */
    public static BufferedImage caption(BufferedImage img, String text) {
        int type = img.getType() == BufferedImage.TYPE_BYTE_GRAY
                ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_INT_RGB;
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight() + CAPTION_HEIGHT, type);
        java.awt.Graphics2D g = out.createGraphics();
        try {
            g.setColor(new java.awt.Color(PAD_GREY / 2, PAD_GREY / 2, PAD_GREY / 2));
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.drawImage(img, 0, 0, null);
            try {
                g.setRenderingHint(
                        java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
                g.setColor(java.awt.Color.WHITE);
                g.drawString(text, PAD + 2, img.getHeight() + CAPTION_HEIGHT - 4);
            } catch (RuntimeException | Error e) {
                // headless JDK without fonts: keep the frame, lose the caption
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The picture enlarged {@code factor} times by pixel repetition (the picture itself for 1). */
    public static BufferedImage scale(BufferedImage img, int factor) {
        if (factor <= 1) {
            return img;
        }
        BufferedImage out = new BufferedImage(img.getWidth() * factor, img.getHeight() * factor, img.getType());
        java.awt.Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(
                    java.awt.RenderingHints.KEY_INTERPOLATION,
                    java.awt.RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(img, 0, 0, out.getWidth(), out.getHeight(), null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
