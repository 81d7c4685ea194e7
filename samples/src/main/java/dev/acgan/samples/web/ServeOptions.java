package dev.acgan.samples.web;

import dev.acgan.api.model.Precision;
import java.nio.file.Path;

/**
 * The settings of {@code acgan serve}.
 *
 * @param host       address to bind (127.0.0.1 by default: reachable from this machine only)
 * @param port       TCP port; 0 picks a free one
 * @param checkpoint what the Generate page loads: a run directory (its newest checkpoint, looked up at
 *                   each request), a training checkpoint or a generator export; {@code null}: only the
 *                   trainings started in the server
 * @param backend    backend for generation and the default for trainings; {@code null}: the usual selection
 * @param outdir     where trainings started from the page go, one {@code web-<yyyyMMdd-HHmmss>} directory each
 * @param precision  of generation and of the trainings started from the page ({@code null}: fp32)
 */
public record ServeOptions(String host, int port, Path checkpoint, String backend, Path outdir, Precision precision) {

    /** The default host: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The default port. */
    public static final int DEFAULT_PORT = 8080;
    /** The default parent directory of runs started from the page. */
    public static final String DEFAULT_OUTDIR = "runs";

    /** Checks the values. */
    public ServeOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
        if (outdir == null) {
            outdir = Path.of(DEFAULT_OUTDIR);
        }
        backend = backend == null || backend.isBlank() ? null : backend.strip();
        precision = precision == null ? Precision.FP32 : precision;
    }

    /** In fp32. */
    public ServeOptions(String host, int port, Path checkpoint, String backend, Path outdir) {
        this(host, port, checkpoint, backend, outdir, Precision.FP32);
    }
}
