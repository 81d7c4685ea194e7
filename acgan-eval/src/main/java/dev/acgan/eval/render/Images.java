package dev.acgan.eval.render;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/** Writing pictures so that a reader never sees half a file. */
public final class Images {

    private Images() {}

    /** Writes a PNG: to a hidden sibling first, then renamed over {@code file}. */
    public static void writePng(BufferedImage img, Path file) {
        writeAtomically(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer for an image of type " + img.getType());
            }
        });
    }

    /** Something that writes a file. */
    @FunctionalInterface
    public interface FileWriter {
        /** Writes {@code tmp}. */
        void write(Path tmp) throws IOException;
    }

    /** Runs {@code writer} on a hidden temporary sibling of {@code file} and renames it into place. */
    public static void writeAtomically(Path file, FileWriter writer) {
        Path abs = file.toAbsolutePath();
        Path name = abs.getFileName();
        Path parent = abs.getParent();
        if (name == null || parent == null) {
            throw new IllegalArgumentException("cannot write " + file + ": not the path of a file");
        }
        Path tmp = parent.resolve("." + name + ".tmp");
        try {
            Files.createDirectories(parent);
            Files.deleteIfExists(tmp);
            writer.write(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a picture; fails with the file's name when it is not one. */
    public static BufferedImage read(Path file) {
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) {
                throw new IOException("not a picture ImageIO can read");
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
