package dev.acgan.samples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory and thread figures of this process from {@code /proc/self/status} (Linux): {@code VmRSS} (resident
 * set size now), {@code VmHWM} (its high-water mark since the process started), {@code Threads} and
 * {@code Cpus_allowed_list} (the CPUs the process may run on, e.g. {@code 0} under {@code taskset -c 0}).
 * Values are -1 (or empty) where the file or a field is missing.
 *
 * @param rssKb       VmRSS in KiB
 * @param hwmKb       VmHWM in KiB
 * @param threads     threads of the process, native ones included
 * @param cpusAllowed Cpus_allowed_list
 */
public record ProcStatus(long rssKb, long hwmKb, int threads, String cpusAllowed) {

    private static final Path SELF = Path.of("/proc/self/status");

    /** This process, now. */
    public static ProcStatus self() {
        try {
            return parse(Files.readString(SELF, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return new ProcStatus(-1, -1, -1, "");
        }
    }

    /** Parses the text of a {@code /proc/PID/status} file. */
    public static ProcStatus parse(String status) {
        long rss = -1;
        long hwm = -1;
        int threads = -1;
        String cpus = "";
        for (String line : status.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "VmRSS" -> rss = kb(value);
                case "VmHWM" -> hwm = kb(value);
                case "Threads" -> threads = (int) kb(value);
                case "Cpus_allowed_list" -> cpus = value;
                default -> {
                    // not needed
                }
            }
        }
        return new ProcStatus(rss, hwm, threads, cpus);
    }

    private static long kb(String value) {
        String digits = value.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
    }
}
