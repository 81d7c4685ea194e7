package dev.acgan.samples.cli;

import dev.acgan.api.model.Precision;
import dev.acgan.api.spi.BackendException;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.Capability;
import dev.acgan.api.spi.CpuFeatures;
import dev.acgan.api.spi.GanBackend;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code acgan backends}: what backends are on the classpath and which one {@code train} would use. */
@Command(
        name = "backends",
        mixinStandardHelpOptions = true,
        header = "List the backends on the classpath and the default one.",
        description = {
            "List the backends found on the classpath: name, version, priority, capabilities, and "
                    + "which one is the default; then, per backend, the precisions it computes in on this machine "
                    + "(--precision of train, generate, evaluate and serve), which one 'auto' picks, and the "
                    + "instruction set its native library uses.",
            "",
            "The default is, in order: -Dacgan.backend, the ACGAN_BACKEND environment variable, else the backend "
                    + "of highest priority. train, generate, evaluate, serve, bench and train-classifier take --backend NAME to choose explicitly.",
            ""
        })
final class BackendsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Backends backends = Wiring.injector(null).getInstance(Backends.class);
        List<GanBackend> all = backends.all();
        if (all.isEmpty()) {
            // select() explains how to add one
            backends.select();
        }
        GanBackend chosen = null;
        String problem = null;
        try {
            chosen = backends.select();
        } catch (BackendException e) {
            problem = e.getMessage();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "VERSION", "PRIORITY", "CAPABILITIES", "DEFAULT"});
        for (GanBackend b : all) {
            rows.add(new String[] {
                b.name(),
                version(b),
                Integer.toString(b.priority()),
                b.capabilities().stream().map(Capability::name).sorted().collect(Collectors.joining(",")),
                b == chosen ? "*" : ""
            });
        }
        int[] width = new int[5];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println();
        out.println("precision on this CPU (" + CpuFeatures.current().describe() + "):");
        for (GanBackend b : all) {
            out.println("  " + precisions(b));
        }
        out.println();
        if (chosen != null) {
            out.println("default: " + chosen.name() + " (" + reason() + ")");
            out.flush();
            return AcganCli.EXIT_OK;
        }
        out.flush();
        throw new CliException(problem);
    }

    private static String reason() {
        if (notBlank(System.getProperty(Backends.PROPERTY))) {
            return "from system property " + Backends.PROPERTY;
        }
        if (notBlank(System.getenv(Backends.ENVIRONMENT))) {
            return "from environment variable " + Backends.ENVIRONMENT;
        }
        return "highest priority; choose another with --backend, -D" + Backends.PROPERTY + " or "
                + Backends.ENVIRONMENT;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    /** E.g. {@code tensorflow: fp32, bf16 (auto: bf16 ...)} or {@code nd4j: fp32 only (bf16: why not)}. */
    static String precisions(GanBackend b) {
        try {
            Precision auto = b.resolvePrecision(Precision.AUTO);
            return b.precisionUnavailable(Precision.BF16)
                    .map(why -> b.name() + ": fp32 only, auto is " + b.describeCompute(auto) + "; no bf16: " + why)
                    .orElseGet(() -> b.name() + ": fp32 or bf16, auto is " + b.describeCompute(auto));
        } catch (RuntimeException | LinkageError e) {
            return b.name() + ": unavailable (" + Errors.oneLine(String.valueOf(e.getMessage())) + ")";
        }
    }

    /** The backend's version; loading its native library may fail, which is reported, not thrown. */
    private static String version(GanBackend b) {
        try {
            return b.version();
        } catch (RuntimeException | LinkageError e) {
            return "unavailable (" + Errors.oneLine(String.valueOf(e.getMessage())) + ")";
        }
    }
}
