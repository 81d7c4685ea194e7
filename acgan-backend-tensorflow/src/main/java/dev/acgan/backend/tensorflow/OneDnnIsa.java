package dev.acgan.backend.tensorflow;

import dev.acgan.api.spi.CpuFeatures;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which instruction set TensorFlow's oneDNN (3.5 in TensorFlow 2.18) runs on here, from the CPU's flags and
 * the environment variable that caps it ({@code ONEDNN_MAX_CPU_ISA}, or its older name
 * {@code DNNL_MAX_CPU_ISA}), and whether that allows bf16 products. oneDNN picks the best kernels the CPU
 * and the cap allow; its own log ({@code ONEDNN_VERBOSE=1}) names the kernel of each op, e.g.
 * {@code brg_conv_fwd:avx10_1_512_amx}, which is how these names were checked.
 */
final class OneDnnIsa {

    /** The caps at or above which oneDNN has bf16 kernels (names as oneDNN 3.5 accepts them). */
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
    private final String cap;
    private final String oneDnnOpts;

    /**
     * @param cpu        the CPU's flags
     * @param env        the environment ({@code ONEDNN_MAX_CPU_ISA}, {@code DNNL_MAX_CPU_ISA},
     *                   {@code TF_ENABLE_ONEDNN_OPTS})
     */
    OneDnnIsa(CpuFeatures cpu, Map<String, String> env) {
        this.cpu = cpu;
        String c = env.get("ONEDNN_MAX_CPU_ISA");
        if (c == null || c.isBlank()) {
            c = env.get("DNNL_MAX_CPU_ISA");
        }
        this.cap = c == null || c.isBlank() ? null : c.strip().toUpperCase(Locale.ROOT);
        this.oneDnnOpts = TensorFlowBackend.oneDnnOpts(env.get("TF_ENABLE_ONEDNN_OPTS"));
    }

    /** This machine and process. */
    static OneDnnIsa current() {
        return new OneDnnIsa(CpuFeatures.current(), System.getenv());
    }

    /**
     * Whether TensorFlow runs its Eigen kernels instead of oneDNN's: TF_ENABLE_ONEDNN_OPTS=0, or the variable
     * unset on a CPU without AVX-512 VNNI, AVX512_BF16, AVX-VNNI or AMX, where TensorFlow 2.18 leaves oneDNN off.
     */
    boolean oneDnnOff() {
        return oneDnnOpts.equals("off") || oneDnnOpts.equals("default") && !oneDnnByDefault();
    }

    /** Whether TensorFlow turns oneDNN on by itself on this CPU (its rule for an unset TF_ENABLE_ONEDNN_OPTS). */
    private boolean oneDnnByDefault() {
        return cpu.has("avx512_vnni") || cpu.has("avx512_bf16") || cpu.has("avx_vnni") || cpu.has("amx_tile");
    }

    /** Whether the cap allows AMX tiles. */
    private boolean capAllowsAmx() {
        return cap == null || cap.equals("ALL") || cap.contains("AMX");
    }

    /** Whether the cap allows bf16 kernels. */
    private boolean capAllowsBf16() {
        return cap == null || BF16_CAPS.contains(cap);
    }

    /** Whether bf16 products run on AMX tiles here. */
    boolean amx() {
        return bf16Unavailable().isEmpty() && cpu.amxBf16() && capAllowsAmx();
    }

    /**
     * Whether bf16 convolutions must avoid odd channel counts here: where their products run on oneDNN's
     * {@code avx512_core_bf16} kernels (AVX512_BF16 without AMX, or AMX capped off by ONEDNN_MAX_CPU_ISA).
     * oneDNN 3.5's {@code jit:uni} reorder of a bfloat16 filter from TensorFlow's HWIO layout into the
     * pair-interleaved layouts of those kernels ({@code AcdB16a2b} and, for 1x1 kernels, {@code ABcd16a2b}
     * forward; {@code BcdA16b2a} backward-data) drops filter elements when the paired channel count is odd: a
     * Conv2D over an odd number of input channels (3 or more; 1 with a 1x1 kernel) loses the last input
     * channel of every filter but the first, and the input gradient of a Conv2D with one filter is wrong
     * throughout. The backend then pads those channel counts with zero channels ({@link NetworkCompiler}),
     * which changes no sum.
     * On AMX ({@code brg_conv_*:avx10_1_512_amx}) the TCK's bf16 profile passed with 3, 7 and 11 input
     * channels, and the graphs stay as they were.
     */
    boolean bf16PadsOddChannels() {
        return bf16Unavailable().isEmpty() && !amx();
    }

    /** Why TensorFlow cannot compute bf16 products fast here, or empty when it can. */
    Optional<String> bf16Unavailable() {
        if (!cpu.bf16()) {
            return Optional.of("TensorFlow's oneDNN computes bf16 products fast only on CPUs with AMX-BF16 or "
                    + "AVX512_BF16, and this CPU has neither (its flags: " + cpu.describe() + ")");
        }
        if (oneDnnOff()) {
            return Optional.of("TF_ENABLE_ONEDNN_OPTS=0 turns off the oneDNN kernels that compute bf16");
        }
        if (!capAllowsBf16()) {
            return Optional.of("ONEDNN_MAX_CPU_ISA=" + cap + " holds oneDNN below its bf16 kernels");
        }
        return Optional.empty();
    }

    /**
     * The oneDNN ISA of the products in {@code bf16} or fp32, as oneDNN names it in its log: fp32 takes the
     * widest vector ISA (AMX has no fp32 products), bf16 AMX tiles or AVX512_BF16 dot products.
     */
    String isa(boolean bf16) {
        String isa;
        if (bf16 && amx()) {
            isa = "avx10_1_512_amx";
        } else if (bf16) {
            isa = "avx512_core_bf16";
        } else if (cpu.has("avx512f")
                && !(cap != null && (cap.startsWith("AVX2") || cap.equals("AVX") || cap.startsWith("SSE")))) {
            isa = "avx512_core";
        } else if (cpu.has("avx2") && !(cap != null && (cap.equals("AVX") || cap.startsWith("SSE")))) {
            isa = "avx2";
        } else {
            isa = "sse41/avx";
        }
        return isa + (cap == null ? "" : ", capped by ONEDNN_MAX_CPU_ISA=" + cap);
    }
}
