package dev.acgan.api.data;

/** A dataset that is missing, unreadable or malformed; the message names the file and what is wrong. */
public class DatasetException extends RuntimeException {
    /** With a specific message. */
    public DatasetException(String message) {
        super(message);
    }

    /** With a specific message and the underlying cause. */
    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
