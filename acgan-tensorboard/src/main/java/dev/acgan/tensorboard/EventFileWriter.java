package dev.acgan.tensorboard;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.Event;

/**
 * One TensorBoard event file, {@code events.out.tfevents.<seconds>.<host>} in a log directory: TFRecord-framed
 * {@code Event} protocol buffers, the first one {@code file_version: "brain.Event:2"}, then one record per value
 * written. {@code tensorboard --logdir DIR} shows the directory as one run (a directory of directories as several).
 *
 * <p>A writer always creates a new file (a {@code .N} suffix where another writer created one in the same second),
 * so a resumed run adds a file beside those of its earlier sessions, as TensorFlow's writers do. Records are
 * buffered; {@link #flush()} makes them visible to TensorBoard, {@link #close()} flushes and closes. Not meant for
 * several threads at once, but each method is synchronized so that a host's second thread cannot interleave bytes
 * of two records. Failures throw {@link UncheckedIOException} naming the file.
 */
public final class EventFileWriter implements Closeable, Flushable {

    /** The prefix of every event file's name. */
    public static final String FILE_PREFIX = "events.out.tfevents.";

    private static final Logger LOG = LoggerFactory.getLogger(EventFileWriter.class);

    private final Path file;
    private final OutputStream out;
    private final Object lock = new Object();
    private boolean closed;

    private EventFileWriter(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    /**
     * Creates the directory (and its parents) if needed and a new event file in it, and writes the file-version
     * record.
     *
     * @throws UncheckedIOException when the directory or file cannot be created, naming it
     */
    public static EventFileWriter open(Path logDir) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the TensorBoard directory " + logDir + ": " + e, e);
        }
        long now = System.currentTimeMillis();
        String base = FILE_PREFIX + (now / 1000) + "." + host();
        for (int n = 0; ; n++) {
            Path file = logDir.resolve(n == 0 ? base : base + "." + n);
            OutputStream os;
            try {
                os = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the TensorBoard event file " + file + ": " + e, e);
            }
            EventFileWriter w = new EventFileWriter(file, new BufferedOutputStream(os, 1 << 16));
            try {
                w.write(Summaries.fileVersion(now / 1000.0));
                w.flush();
            } catch (RuntimeException e) {
                try {
                    w.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            LOG.debug("writing TensorBoard events to {}", file);
            return w;
        }
    }

    /**
     * The event files directly in a directory, as TensorBoard finds them (names containing {@code tfevents}), in
     * name order; empty when the directory does not exist.
     *
     * @throws UncheckedIOException when the directory cannot be listed
     */
    public static List<Path> eventFiles(Path dir) {
        return EventFiles.list(dir);
    }

    /** The event file. */
    public Path file() {
        return file;
    }

    /** Writes a scalar (stored as a 32-bit float, as TensorBoard's {@code simple_value}). */
    public void addScalar(String tag, long step, double value) {
        write(Summaries.scalar(now(), step, tag, value));
    }

    /** Writes an image, encoded as PNG. */
    public void addImage(String tag, long step, BufferedImage image) {
        write(Summaries.image(now(), step, tag, Png.encode(image)));
    }

    /**
     * Writes a PNG file's bytes as an image, with the size and colour space of its header.
     *
     * @throws IllegalArgumentException when the bytes are not a PNG
     */
    public void addPng(String tag, long step, byte[] png) {
        write(Summaries.image(now(), step, tag, Png.of(png)));
    }

    /**
     * Writes a text, which TensorBoard's text plugin renders as Markdown (wrap verbatim text such as YAML in a
     * fenced code block, see {@link #codeBlock}).
     */
    public void addText(String tag, long step, String markdown) {
        write(Summaries.text(now(), step, tag, markdown));
    }

    /** {@code text} as a fenced Markdown code block of the given language, so that the text plugin shows it as is. */
    public static String codeBlock(String language, String text) {
        String fence = "```";
        while (text.contains(fence)) {
            fence += "`";
        }
        return fence + language + "\n" + text + (text.endsWith("\n") ? "" : "\n") + fence + "\n";
    }

    /** Writes one event record. */
    void write(Event event) {
        byte[] data = event.toByteArray();
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException(file + " is closed");
            }
            try {
                TfRecord.write(out, data);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e, e);
            }
        }
    }

    /** Makes the records written so far visible to readers. */
    @Override
    public void flush() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e, e);
            }
        }
    }

    /** Flushes and closes the file; later calls do nothing. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + file + ": " + e, e);
            }
        }
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    /** The host name for the file name, reduced to letters, digits, '.', '_' and '-'. */
    static String host() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException | RuntimeException e) {
                name = "localhost";
            }
        }
        String clean = name.strip().replaceAll("[^A-Za-z0-9._-]", "_");
        return clean.isEmpty() ? "localhost" : clean;
    }
}
