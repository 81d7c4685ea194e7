package dev.acgan.api.checkpoint;

/** A checkpoint that cannot be read or written; the message names the file and the problem. */
public class CheckpointException extends RuntimeException {
    /** With a specific message. */
    public CheckpointException(String message) {
        super(message);
    }

    /** With a specific message and cause. */
    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
