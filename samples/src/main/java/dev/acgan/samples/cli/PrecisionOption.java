package dev.acgan.samples.cli;

import dev.acgan.api.model.Precision;
import dev.acgan.api.spi.GanBackend;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code --precision fp32|bf16|auto} of the commands that generate: a picocli mixin. */
final class PrecisionOption {

    @Option(
            names = "--precision",
            paramLabel = "fp32|bf16|auto",
            defaultValue = "fp32",
            description = "Arithmetic of the generator's convolutions and matrix products: fp32; bf16 (bfloat16 "
                    + "products with float32 accumulation) on a backend and CPU that can (see 'acgan backends'), "
                    + "else an error; auto: bf16 where the backend can here, else fp32. Default: ${DEFAULT-VALUE}.")
    String value;

    /** The precision asked for. */
    Precision asked() {
        return parse(value);
    }

    /**
     * A {@code --precision} value given on the command line; a bad one is a usage error (exit 2) in every
     * command. (A bad {@code precision} in a configuration file is a bad file: exit 1.)
     */
    static Precision parse(String value) {
        try {
            return Precision.parse(value, "--precision");
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), AcganCli.EXIT_USAGE);
        }
    }

    /** The precision {@code backend} computes for it here; an unavailable one is a one-line error. */
    Precision resolve(GanBackend backend) {
        return backend.resolvePrecision(asked());
    }

    /** One line: which backend, precision and instruction set computed the images. */
    void print(PrintWriter out, GanBackend backend, Precision resolved) {
        out.printf(Locale.ROOT, "Computed by %s in %s%n", backend.name(), backend.describeCompute(resolved));
    }
}
