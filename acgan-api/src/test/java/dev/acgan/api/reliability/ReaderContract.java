package dev.acgan.api.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every fuzz target of a file reader asserts: a bad input ends in the reader's own exception type
 * with a message that names the file. Anything else (another exception, an {@link Error} such as
 * {@code OutOfMemoryError}, a hang) escapes the target, and Jazzer reports it as a finding.
 */
public final class ReaderContract {

    private ReaderContract() {}

    /** Something a reader does. */
    @FunctionalInterface
    public interface Read {
        /** Reads; returns normally when the input is valid. */
        void run();
    }

    /**
     * Runs {@code read}; a {@code type} exception passes when its message contains {@code source}, every
     * other throwable is rethrown.
     *
     * @return whether the input was accepted
     */
    public static boolean refusesCleanly(Class<? extends RuntimeException> type, String source, Read read) {
        try {
            read.run();
            return true;
        } catch (RuntimeException e) {
            if (!type.isInstance(e)) {
                throw e;
            }
            String message = e.getMessage();
            if (message == null || !message.contains(source)) {
                throw new AssertionError(
                        "a " + type.getSimpleName() + " that does not name " + source + ": " + message, e);
            }
            return false;
        }
    }

    /** A scratch directory for one fuzz target, reused across its executions. */
    public static Path scratch(String name) {
        try {
            Path dir = Files.createTempDirectory("acgan-fuzz-" + name);
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes (replacing) a file. */
    public static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
