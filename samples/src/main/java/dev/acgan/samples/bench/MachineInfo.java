package dev.acgan.samples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The machine a benchmark ran on, read from {@code /proc} and the JVM.
 *
 * @param cpuModel            {@code model name} of {@code /proc/cpuinfo} (or os.arch where missing)
 * @param logicalCpus         processors listed in {@code /proc/cpuinfo}
 * @param coresPerSocket      {@code cpu cores} of {@code /proc/cpuinfo}, -1 where missing
 * @param availableProcessors what the JVM may use ({@link Runtime#availableProcessors()})
 * @param cpuFeatures         the SIMD features that matter for fp32 kernels (avx, avx2, fma, avx512f, ...)
 * @param memTotalKb          {@code MemTotal} of {@code /proc/meminfo}, -1 where missing
 * @param os                  os.name, os.version and os.arch
 * @param jvm                 the JVM's name, version and vendor
 * @param loadAverage         {@code /proc/loadavg}'s 1, 5 and 15 minute averages when the benchmark started
 */
public record MachineInfo(
        String cpuModel,
        int logicalCpus,
        int coresPerSocket,
        int availableProcessors,
        List<String> cpuFeatures,
        long memTotalKb,
        String os,
        String jvm,
        List<Double> loadAverage) {

    private static final List<String> FEATURES = List.of(
            "sse4_2",
            "avx",
            "avx2",
            "fma",
            "f16c",
            "avx512f",
            "avx512bw",
            "avx512_vnni",
            "avx512_bf16",
            "amx_tile",
            "neon",
            "asimd",
            "sve");

    /** This machine, now. */
    public static MachineInfo current() {
        String cpuinfo = read("/proc/cpuinfo");
        String model = null;
        int processors = 0;
        int cores = -1;
        Set<String> features = new LinkedHashSet<>();
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "processor" -> processors++;
                case "model name", "Model", "Hardware" -> {
                    if (model == null && !value.isEmpty()) {
                        model = value;
                    }
                }
                case "cpu cores" -> cores = parseInt(value, -1);
                case "flags", "Features" -> {
                    Set<String> flags = Set.of(value.split("\\s+"));
                    for (String f : FEATURES) {
                        if (flags.contains(f)) {
                            features.add(f);
                        }
                    }
                }
                default -> {
                    // not needed
                }
            }
        }
        long mem = -1;
        for (String line : read("/proc/meminfo").split("\n")) {
            if (line.startsWith("MemTotal:")) {
                mem = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        List<Double> load = new ArrayList<>();
        String[] la = read("/proc/loadavg").trim().split("\\s+");
        for (int i = 0; i < 3 && i < la.length; i++) {
            try {
                load.add(Double.parseDouble(la[i]));
            } catch (NumberFormatException e) {
                break;
            }
        }
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
        String jvm = System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version", System.getProperty("java.version")) + " ("
                + System.getProperty("java.vendor") + ")";
        return new MachineInfo(
                model == null ? System.getProperty("os.arch") : model,
                processors == 0 ? Runtime.getRuntime().availableProcessors() : processors,
                cores,
                Runtime.getRuntime().availableProcessors(),
                List.copyOf(features),
                mem,
                os,
                jvm,
                List.copyOf(load));
    }

    /** One line, e.g. {@code AMD EPYC, 2 logical CPUs (2 available), avx2 fma, 23.4 GiB}. */
    public String describe() {
        StringBuilder s = new StringBuilder(cpuModel)
                .append(", ")
                .append(logicalCpus)
                .append(" logical CPU")
                .append(logicalCpus == 1 ? "" : "s");
        if (availableProcessors != logicalCpus) {
            s.append(" (").append(availableProcessors).append(" available to Java)");
        }
        if (!cpuFeatures.isEmpty()) {
            s.append(", ").append(String.join(" ", cpuFeatures));
        }
        if (memTotalKb > 0) {
            s.append(String.format(Locale.ROOT, ", %.1f GiB RAM", memTotalKb / 1024.0 / 1024.0));
        }
        return s.toString();
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static int parseInt(String s, int fallback) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
