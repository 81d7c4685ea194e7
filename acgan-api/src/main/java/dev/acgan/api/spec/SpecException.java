package dev.acgan.api.spec;

/** An inconsistent or invalid model spec; the message names the network, node and what was expected. */
public class SpecException extends IllegalArgumentException {
    /** With a message that names the offending part. */
    public SpecException(String message) {
        super(message);
    }
}
