package dev.acgan.backend.nd4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether training graphs compute a 3x3 stride-1 'same' convolution with a 3x4 kernel whose fourth column
 * is zero. The function and its gradients are the same; only oneDNN's choice of algorithm changes.
 *
 * <p>Why: libnd4j asks oneDNN 2.3 for {@code convolution_auto}, and on CPUs with AVX-512 oneDNN then runs
 * the backward pass of every 3x3 stride-1 convolution with its Winograd 4x3 kernels, which are several
 * times slower here than its direct ones. Measured on a 2-core AVX-512 machine (oneDNN verbose log), for
 * {@code [200,7,7,128] -> 256}: forward 14 ms (brgconv), backward data 95 ms and backward weights 105 ms
 * (jit_wino_4x3); with a 3x4 kernel Winograd does not apply and the whole backward took 98 ms instead of
 * 357 ms, the forward 24 ms instead of 18 ms. On CPUs without AVX-512 oneDNN has no Winograd kernel, so
 * the wider kernel would only add a third more work; without oneDNN (the portable build) likewise.
 *
 * <p>{@code -Dacgan.nd4j.conv3x3=wide|plain} overrides the automatic choice ({@code auto}). The choice is
 * made once per JVM, so a run's graphs, and hence its numbers, do not change from one model to the next.
 */
final class WinogradAvoidance {

    private static final Logger LOG = LoggerFactory.getLogger(WinogradAvoidance.class);
    /** oneDNN's avx512_core ISA, the one its f32 Winograd kernels need. */
    private static final Set<String> AVX512_CORE = Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq");

    private static volatile Boolean widen;

    private WinogradAvoidance() {}

    /** Whether 3x3 stride-1 'same' convolutions of training graphs get the 3x4 kernel. */
    static boolean widen() {
        Boolean w = widen;
        if (w == null) {
            synchronized (WinogradAvoidance.class) {
                w = widen;
                if (w == null) {
                    w = decide();
                    widen = w;
                }
            }
        }
        return w;
    }

    private static boolean decide() {
        String mode = System.getProperty("acgan.nd4j.conv3x3", "auto").trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "wide":
                return true;
            case "plain":
                return false;
            case "auto":
                break;
            default:
                throw new IllegalArgumentException(
                        "-Dacgan.nd4j.conv3x3 must be auto, wide or plain, not '" + mode + "'");
        }
        // the CPU build with oneDNN (CUDA builds report HAVE_CUDNN instead, the portable one neither)
        boolean onednn = Nd4j.getBackend().buildInfo().contains("HAVE_ONEDNN");
        boolean result = onednn && !isaCapped() && cpuHasAvx512Core();
        LOG.debug(
                "3x3 stride-1 convolutions in training graphs: {} (oneDNN: {})", result ? "3x4 kernel" : "3x3", onednn);
        return result;
    }

    /** DNNL_MAX_CPU_ISA (or oneDNN 3's ONEDNN_MAX_CPU_ISA) set below AVX-512 keeps Winograd away anyway. */
    private static boolean isaCapped() {
        for (String name : new String[] {"DNNL_MAX_CPU_ISA", "ONEDNN_MAX_CPU_ISA"}) {
            String v = System.getenv(name);
            if (v != null
                    && !v.isBlank()
                    && !v.toUpperCase(Locale.ROOT).startsWith("AVX512")
                    && !v.equalsIgnoreCase("ALL")) {
                return true;
            }
        }
        return false;
    }

    private static boolean cpuHasAvx512Core() {
        try {
            String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII);
            for (String line : cpuinfo.split("\n")) {
                if (line.startsWith("flags")) {
                    Set<String> flags = new HashSet<>(Arrays.asList(
                            line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                    return flags.containsAll(AVX512_CORE);
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: keep the plain kernel
            return false;
        }
    }
}
