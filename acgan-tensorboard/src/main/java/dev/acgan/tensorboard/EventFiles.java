package dev.acgan.tensorboard;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/** Reading the event files of a log directory back, and cutting them at a step (for a resumed run). */
final class EventFiles {

    private EventFiles() {}

    /**
     * The event files directly in a directory (names containing {@code tfevents}, as TensorBoard finds them), by
     * name; empty when it does not exist.
     */
    static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> String.valueOf(p.getFileName()).contains("tfevents") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e, e);
        }
    }

    /**
     * The events of one file, every record's CRCs checked; a record cut short at the end (a writer that was killed)
     * ends the list.
     *
     * @throws UncheckedIOException when the file cannot be read, a CRC does not match or a record is no event
     */
    static List<Event> read(Path file) {
        List<Event> events = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            long offset = 0;
            for (byte[] data = TfRecord.read(in, offset); data != null; data = TfRecord.read(in, offset)) {
                events.add(Event.parseFrom(data));
                offset += data.length + 16L;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return events;
    }

    /** Whether an event holds summary values (rather than the file version or a log message). */
    static boolean hasValues(Event e) {
        return e.hasSummary() && e.getSummary().getValueCount() > 0;
    }

    /** The tags of an event's summary values. */
    static List<String> tags(Event e) {
        return e.getSummary().getValueList().stream().map(Summary.Value::getTag).toList();
    }

    /**
     * Rewrites a file without the summary events after {@code step} (atomically: a new file moved over the old
     * one), when it holds any; returns how many were dropped.
     */
    static int dropAfter(Path file, List<Event> events, long step) {
        List<Event> kept = events.stream()
                .filter(e -> !hasValues(e) || e.getStep() <= step)
                .toList();
        int dropped = events.size() - kept.size();
        if (dropped == 0) {
            return 0;
        }
        Path dir = java.util.Objects.requireNonNull(file.toAbsolutePath().getParent(), "parent of " + file);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "acgan-trim-", ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                for (Event e : kept) {
                    TfRecord.write(out, e.toByteArray());
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return dropped;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move went through, or the error above says what failed
                }
            }
        }
    }
}
