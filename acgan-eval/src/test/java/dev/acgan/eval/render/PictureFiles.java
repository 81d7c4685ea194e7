package dev.acgan.eval.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Node;

/** Checks on the pictures the renderers write (shared with the samples' tests through the test jar). */
public final class PictureFiles {

    private PictureFiles() {}

    /** Decodes a PNG and checks its size. */
    public static BufferedImage png(Path file, int width, int height) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " exists");
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " decodes");
        assertEquals(width, img.getWidth(), file + " width");
        assertEquals(height, img.getHeight(), file + " height");
        return img;
    }

    /** Frames of an animated GIF; also checks the NETSCAPE2.0 loop extension on the first frame. */
    public static int gifFrames(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " exists");
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("gif");
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            reader.setInput(in);
            int n = reader.getNumImages(true);
            IIOMetadataNode root =
                    (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
            boolean loops = false;
            for (Node ext : children(root, "ApplicationExtensions")) {
                for (Node app : children((IIOMetadataNode) ext, "ApplicationExtension")) {
                    loops |= "NETSCAPE".equals(((IIOMetadataNode) app).getAttribute("applicationID"));
                }
            }
            assertTrue(loops, file + " has the NETSCAPE2.0 loop extension");
            for (int i = 0; i < n; i++) {
                assertNotNull(reader.read(i), "frame " + i + " decodes");
            }
            return n;
        } finally {
            reader.dispose();
        }
    }

    private static List<Node> children(IIOMetadataNode node, String name) {
        java.util.ArrayList<Node> out = new java.util.ArrayList<>();
        for (int i = 0; i < node.getLength(); i++) {
            if (node.item(i).getNodeName().equals(name)) {
                out.add(node.item(i));
            }
        }
        return out;
    }

    /** Whether two pictures have the same size and pixels. */
    public static boolean samePixels(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return false;
        }
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }
}
