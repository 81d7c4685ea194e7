package dev.acgan.eval.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.acgan.api.tensor.ImageBatch;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderTest {

    @TempDir
    Path tmp;

    @Test
    void gridPlacesImagesRowMajorWithPadding() {
        // 3 greyscale 2x2 images: all -1 (black), all 0 (mid grey), all 1 (white), in a 2x2 grid.
        float[] px = {-1, -1, -1, -1, 0, 0, 0, 0, 1, 1, 1, 1};
        BufferedImage img = ImageGrid.render(ImageBatch.nhwc(3, 2, 2, 1, px, null), 2, 2);
        assertEquals(ImageGrid.extent(2, 2), img.getWidth());
        assertEquals(ImageGrid.extent(2, 2), img.getHeight());
        int p = ImageGrid.PAD;
        assertEquals(ImageGrid.PAD_GREY, grey(img, 0, 0));
        assertEquals(0, grey(img, p, p));
        assertEquals(128, grey(img, p + 2 + p, p));
        assertEquals(255, grey(img, p, p + 2 + p + 1));
        assertEquals(ImageGrid.PAD_GREY, grey(img, p + 2 + p, p + 2 + p), "empty cell");
        assertThrows(
                IllegalArgumentException.class, () -> ImageGrid.render(ImageBatch.nhwc(3, 2, 2, 1, px, null), 1, 2));
    }

    @Test
    void rgbGridAndScale() {
        float[] px = {1, -1, -1};
        BufferedImage img = ImageGrid.render(ImageBatch.nhwc(1, 1, 1, 3, px, null), 1, 1);
        assertEquals(0xff0000, img.getRGB(ImageGrid.PAD, ImageGrid.PAD) & 0xffffff);
        BufferedImage big = ImageGrid.scale(img, 3);
        assertEquals(3 * img.getWidth(), big.getWidth());
        assertEquals(0xff0000, big.getRGB(3 * ImageGrid.PAD + 2, 3 * ImageGrid.PAD + 2) & 0xffffff);
    }

    @Test
    void gifKeepsExactGreysAndColoursAndLoops() throws Exception {
        BufferedImage grey = new BufferedImage(256, 4, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage rgb = new BufferedImage(256, 4, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 256; x++) {
            for (int y = 0; y < 4; y++) {
                grey.getRaster().setSample(x, y, 0, x);
                rgb.setRGB(x, y, (x << 16) | ((255 - x) << 8) | 7);
            }
        }
        Path gif = tmp.resolve("a.gif");
        AnimatedGif.write(List.of(grey, rgb, grey), 10, 100, gif);
        assertEquals(3, PictureFiles.gifFrames(gif));
        ImageReader r = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new File(gif.toString()))) {
            r.setInput(in);
            BufferedImage f0 = r.read(0);
            BufferedImage f1 = r.read(1);
            for (int x = 0; x < 256; x++) {
                assertEquals(x * 0x010101, f0.getRGB(x, 1) & 0xffffff, "grey " + x);
                assertEquals(rgb.getRGB(x, 1) & 0xffffff, f1.getRGB(x, 1) & 0xffffff, "colour " + x);
            }
        } finally {
            r.dispose();
        }
    }

    @Test
    void captionAddsAStrip() {
        BufferedImage img = new BufferedImage(50, 40, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage c = ImageGrid.caption(img, "step 7");
        assertEquals(50, c.getWidth());
        assertEquals(40 + ImageGrid.CAPTION_HEIGHT, c.getHeight());
    }

    private static int grey(BufferedImage img, int x, int y) {
        return img.getRaster().getSample(x, y, 0);
    }
}
