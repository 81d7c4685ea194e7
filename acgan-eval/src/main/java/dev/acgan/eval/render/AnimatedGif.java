package dev.acgan.eval.render;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/** Writes an animated, endlessly looping GIF with the JDK's {@code javax.imageio} GIF writer. */
public final class AnimatedGif {

    private static final String FORMAT = "javax_imageio_gif_image_1.0";

    private AnimatedGif() {}

    /**
     * Writes the frames (atomically, see {@link Images#writeAtomically}).
     *
     * @param delayCentis     display time of each frame in hundredths of a second
     * @param lastDelayCentis display time of the last frame, so a loop pauses on the final result
     */
    public static void write(List<BufferedImage> frames, int delayCentis, int lastDelayCentis, Path file) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("an animated GIF needs at least one frame");
        }
        Images.writeAtomically(file, tmp -> {
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
            if (!writers.hasNext()) {
                throw new IOException("this JDK has no GIF writer");
            }
            ImageWriter writer = writers.next();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(tmp.toFile())) {
                writer.setOutput(out);
                writer.prepareWriteSequence(null);
                ImageWriteParam param = writer.getDefaultWriteParam();
                for (int i = 0; i < frames.size(); i++) {
                    BufferedImage img = indexed(frames.get(i));
                    IIOMetadata meta =
                            writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
                    IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(FORMAT);
                    IIOMetadataNode gce = child(root, "GraphicControlExtension");
                    gce.setAttribute("disposalMethod", "none");
                    gce.setAttribute("userInputFlag", "FALSE");
                    gce.setAttribute("transparentColorFlag", "FALSE");
                    gce.setAttribute("transparentColorIndex", "0");
                    gce.setAttribute(
                            "delayTime", Integer.toString(i == frames.size() - 1 ? lastDelayCentis : delayCentis));
                    if (img.getColorModel() instanceof IndexColorModel cm) {
                        localColorTable(root, cm);
                    }
                    if (i == 0) {
                        IIOMetadataNode ext = new IIOMetadataNode("ApplicationExtension");
                        ext.setAttribute("applicationID", "NETSCAPE");
                        ext.setAttribute("authenticationCode", "2.0");
                        ext.setUserObject(new byte[] {1, 0, 0}); // sub-block 1, loop count 0 = forever
                        child(root, "ApplicationExtensions").appendChild(ext);
                    }
                    meta.setFromTree(FORMAT, root);
                    writer.writeToSequence(new IIOImage(img, null, meta), param);
                }
                writer.endWriteSequence();
            } finally {
                writer.dispose();
            }
        });
    }

    /**
     * Writes the frame's palette as its local colour table. The JDK's writer does not do so by itself for
     * palette images and would otherwise index a default global table (wrong colours).
     */
    private static void localColorTable(IIOMetadataNode root, IndexColorModel cm) {
        int n = cm.getMapSize();
        int size = 2;
        while (size < n) {
            size <<= 1;
        }
        IIOMetadataNode table = child(root, "LocalColorTable");
        while (table.getFirstChild() != null) {
            table.removeChild(table.getFirstChild());
        }
        table.setAttribute("sizeOfLocalColorTable", Integer.toString(size));
        table.setAttribute("sortFlag", "FALSE");
        for (int i = 0; i < size; i++) {
            IIOMetadataNode e = new IIOMetadataNode("ColorTableEntry");
            e.setAttribute("index", Integer.toString(i));
            e.setAttribute("red", Integer.toString(i < n ? cm.getRed(i) : 0));
            e.setAttribute("green", Integer.toString(i < n ? cm.getGreen(i) : 0));
            e.setAttribute("blue", Integer.toString(i < n ? cm.getBlue(i) : 0));
            table.appendChild(e);
        }
        IIOMetadataNode desc = child(root, "ImageDescriptor");
        desc.setAttribute("imageLeftPosition", "0");
        desc.setAttribute("imageTopPosition", "0");
        desc.setAttribute("interlaceFlag", "FALSE");
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    /**
     * Greyscale pictures become palette images with exactly their 256 greys; others are left to the JDK's
     * writer, which builds an adaptive palette per frame.
     */
    static BufferedImage indexed(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            byte[] grey = new byte[256];
            for (int i = 0; i < 256; i++) {
                grey[i] = (byte) i;
            }
            IndexColorModel cm = new IndexColorModel(8, 256, grey, grey, grey);
            BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_INDEXED, cm);
            out.getRaster().setRect(img.getRaster());
            return out;
        }
        if (img.getType() == BufferedImage.TYPE_INT_RGB || img.getType() == BufferedImage.TYPE_BYTE_INDEXED) {
            return img;
        }
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(img, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
