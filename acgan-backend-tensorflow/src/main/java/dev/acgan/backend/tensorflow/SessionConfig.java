package dev.acgan.backend.tensorflow;

import org.tensorflow.proto.ConfigProto;

/**
 * The session configuration every graph of this backend runs with. TensorFlow's defaults (one
 * intra-op and one inter-op thread per core) apply unless the system properties
 * {@code acgan.tensorflow.intraOpThreads} or {@code acgan.tensorflow.interOpThreads} give a positive
 * count, so a host can cap the backend's threads without touching TensorFlow types.
 */
final class SessionConfig {

    /** Threads inside one op (matrix products, convolutions); 0: one per core. */
    static final String INTRA_OP_THREADS = "acgan.tensorflow.intraOpThreads";
    /** Ops run side by side; 0: one per core. */
    static final String INTER_OP_THREADS = "acgan.tensorflow.interOpThreads";

    private SessionConfig() {}

    /** The configuration for a new session, read from the system properties now. */
    static ConfigProto current() {
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(threads(INTRA_OP_THREADS))
                .setInterOpParallelismThreads(threads(INTER_OP_THREADS))
                .build();
    }

    private static int threads(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + property + " must be a thread count >= 0 (0: one "
                    + "per core), got '" + value + "'");
        }
    }
}
