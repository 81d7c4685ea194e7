package dev.acgan.backend.pytorch;

import dev.acgan.api.spi.CpuFeatures;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which instruction set libtorch's oneDNN (3.5.3 in libtorch 2.5.1) runs on here, and whether it computes bf16
 * products fast: from the CPU's flags ({@code /proc/cpuinfo}), oneDNN's own cap ({@code ONEDNN_MAX_CPU_ISA}, or its older name
 * {@code DNNL_MAX_CPU_ISA}, which libtorch's oneDNN obeys too), and the backend's switch {@value #BF16_PROPERTY}
 * (system property) or {@value #BF16_ENV} (environment), which with {@code off} forces the fp32-only path on any CPU.
 * oneDNN's log ({@code ONEDNN_VERBOSE=1}) names the kernel of each product, e.g. {@code brg_matmul:avx10_1_512_amx}.
 */
final class OneDnnIsa {

    /** The system property that turns bf16 off ({@code off} or {@code false}) on any CPU. */
    static final String BF16_PROPERTY = "acgan.pytorch.bf16";

    /** The environment variable that turns bf16 off ({@code off}, {@code false} or {@code 0}) on any CPU. */
    static final String BF16_ENV = "ACGAN_PYTORCH_BF16";

    /** The oneDNN caps at or above which it has bf16 kernels (names as oneDNN 3.5 accepts them). */
    private static final List<String> BF16_CAPS = List.of(
            "ALL",
            "AVX512_CORE_BF16",
            "AVX10_1_512",
            "AVX512_CORE_FP16",
            "AVX10_1_512_AMX",
            "AVX512_CORE_AMX",
            "AVX10_1_512_AMX_FP16",
            "AVX512_CORE_AMX_FP16");

    private final CpuFeatures cpu;
    private final boolean oneDnnOn;
    private final String cap;
    private final String switchedOff;

    /**
     * @param cpu        the CPU's flags
     * @param oneDnnOn   whether the backend uses oneDNN ({@link OneDnn#on()})
     * @param env        the environment ({@code ONEDNN_MAX_CPU_ISA}, {@code DNNL_MAX_CPU_ISA}, {@value #BF16_ENV})
     * @param property   the value of {@value #BF16_PROPERTY}, or {@code null}
     */
    OneDnnIsa(CpuFeatures cpu, boolean oneDnnOn, Map<String, String> env, String property) {
        this.cpu = cpu;
        this.oneDnnOn = oneDnnOn;
        String c = env.get("ONEDNN_MAX_CPU_ISA");
        if (c == null || c.isBlank()) {
            c = env.get("DNNL_MAX_CPU_ISA");
        }
        this.cap = c == null || c.isBlank() ? null : c.strip().toUpperCase(Locale.ROOT);
        if (off(property)) {
            switchedOff = "the system property " + BF16_PROPERTY + "=" + property.strip() + " turns bf16 off";
        } else if (off(env.get(BF16_ENV))) {
            switchedOff = "the environment variable " + BF16_ENV + "="
                    + env.get(BF16_ENV).strip() + " turns bf16 off";
        } else {
            switchedOff = null;
        }
    }

    /** This machine and process. */
    static OneDnnIsa current() {
        return new OneDnnIsa(CpuFeatures.current(), OneDnn.on(), System.getenv(), System.getProperty(BF16_PROPERTY));
    }

    private static boolean off(String v) {
        if (v == null) {
            return false;
        }
        String s = v.strip().toLowerCase(Locale.ROOT);
        return s.equals("off") || s.equals("false") || s.equals("0");
    }

    /** Why bf16 is not offered here, or empty when it is. */
    Optional<String> bf16Unavailable() {
        if (switchedOff != null) {
            return Optional.of(switchedOff);
        }
        if (!oneDnnOn) {
            return Optional.of("the system property " + OneDnn.PROPERTY + "=off turns off the oneDNN kernels that "
                    + "compute bf16 (libtorch's native kernels would sum in bfloat16)");
        }
        if (!cpu.bf16()) {
            return Optional.of("libtorch's oneDNN computes bf16 products fast only on CPUs with AMX-BF16 or "
                    + "AVX512_BF16, and this CPU has neither (its flags: " + cpu.describe() + ")");
        }
        if (cap != null && !BF16_CAPS.contains(cap)) {
            return Optional.of("ONEDNN_MAX_CPU_ISA=" + cap + " holds oneDNN below its bf16 kernels");
        }
        return Optional.empty();
    }

    /** Whether bf16 products run on AMX tiles here. */
    boolean amx() {
        return bf16Unavailable().isEmpty()
                && cpu.amxBf16()
                && (cap == null || cap.equals("ALL") || cap.contains("AMX"));
    }

    /** The oneDNN ISA of bf16 products as oneDNN's log names it: AMX tiles or AVX512_BF16 dot products. */
    String isa() {
        return (amx() ? "avx10_1_512_amx" : "avx512_core_bf16")
                + (cap == null ? "" : ", capped by ONEDNN_MAX_CPU_ISA=" + cap);
    }

    /**
     * The oneDNN ISA of fp32 convolutions as oneDNN's log names it: the widest vector ISA the CPU and the cap allow
     * (AMX has no fp32 products), or {@code off}.
     */
    String fp32Isa() {
        if (!oneDnnOn) {
            return "off";
        }
        String isa;
        if (cpu.has("avx512f")
                && !(cap != null && (cap.startsWith("AVX2") || cap.equals("AVX") || cap.startsWith("SSE")))) {
            isa = "avx512_core";
        } else if (cpu.has("avx2") && !(cap != null && (cap.equals("AVX") || cap.startsWith("SSE")))) {
            isa = "avx2";
        } else {
            isa = "sse41/avx";
        }
        return isa + (cap == null ? "" : ", capped by ONEDNN_MAX_CPU_ISA=" + cap);
    }

    /** The CPU's flags that matter here. */
    String flags() {
        return cpu.describe();
    }
}
