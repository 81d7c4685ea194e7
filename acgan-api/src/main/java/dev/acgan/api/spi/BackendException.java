package dev.acgan.api.spi;

/** No usable backend, or the one asked for is not there. The message lists what was found. */
public class BackendException extends RuntimeException {
    /** With a message listing the available backends and how to add one. */
    public BackendException(String message) {
        super(message);
    }
}
