package dev.acgan.api.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The instruction-set flags of this machine's CPU, as the Linux kernel lists them in {@code /proc/cpuinfo}
 * (empty elsewhere, which reads as "no optional feature"). Backends use them to tell whether they can
 * compute in {@link dev.acgan.api.model.Precision#BF16} here, and benchmarks to state their conditions.
 */
public final class CpuFeatures {

    private static volatile CpuFeatures current;

    private final Set<String> flags;

    private CpuFeatures(Set<String> flags) {
        this.flags = Set.copyOf(flags);
    }

    /** The flags of this machine, read once. */
    public static CpuFeatures current() {
        CpuFeatures c = current;
        if (c == null) {
            c = new CpuFeatures(readFlags(Path.of("/proc/cpuinfo")));
            current = c;
        }
        return c;
    }

    /** A CPU with exactly these flags (lower case, as in {@code /proc/cpuinfo}), e.g. for tests. */
    public static CpuFeatures of(String... flags) {
        Set<String> s = new TreeSet<>();
        for (String f : flags) {
            s.add(f.toLowerCase(Locale.ROOT));
        }
        return new CpuFeatures(s);
    }

    /** The flags of the first processor listed in a cpuinfo file; empty when it cannot be read. */
    static Set<String> readFlags(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals("flags")) {
                    return new TreeSet<>(Set.of(line.substring(colon + 1).trim().split("\\s+")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: no optional feature
        }
        return Set.of();
    }

    /** Whether the CPU lists this flag (as {@code /proc/cpuinfo} names it; case does not matter). */
    public boolean has(String flag) {
        return flags.contains(flag.toLowerCase(java.util.Locale.ROOT));
    }

    /** AMX tiles with bf16 products ({@code amx_bf16} and {@code amx_tile}). */
    public boolean amxBf16() {
        return has("amx_bf16") && has("amx_tile");
    }

    /** AVX-512 bf16 dot products ({@code avx512_bf16}). */
    public boolean avx512Bf16() {
        return has("avx512_bf16");
    }

    /** Whether the CPU has a bf16 matrix or dot-product unit: {@link #amxBf16()} or {@link #avx512Bf16()}. */
    public boolean bf16() {
        return amxBf16() || avx512Bf16();
    }

    /**
     * The flags that decide the speed of fp32 and bf16 kernels, as a benchmark states its conditions:
     * e.g. {@code amx_bf16 amx_tile avx2 avx512_bf16 avx512f} (sorted), or {@code none} when none is listed.
     */
    public String describe() {
        StringBuilder s = new StringBuilder();
        for (String f : new TreeSet<>(flags)) {
            if (f.startsWith("amx_") || f.equals("avx512_bf16") || f.equals("avx512f") || f.equals("avx2")) {
                s.append(s.length() == 0 ? "" : " ").append(f);
            }
        }
        return s.length() == 0 ? "none" : s.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
