package dev.acgan.export;

/** An export that cannot be done: a checkpoint that is not a generator, a layer without translation, a bad target. */
public class ExportException extends RuntimeException {

    /** With a one-line message naming the file, node or option. */
    public ExportException(String message) {
        super(message);
    }

    /** With a one-line message and its cause. */
    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
