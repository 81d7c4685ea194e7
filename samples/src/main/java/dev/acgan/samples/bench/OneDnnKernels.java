package dev.acgan.samples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The oneDNN kernels a child ran, collected from oneDNN's own log ({@code ONEDNN_VERBOSE=1} for TensorFlow's
 * oneDNN 3.x, {@code DNNL_VERBOSE=1} for ND4J's oneDNN 2.3): per primitive kind of the matrix products and
 * convolutions, the implementations named in its {@code exec} lines, e.g.
 * {@code convolution brg_conv_fwd:avx10_1_512_amx}, which say which instruction set ran (AMX or not).
 */
final class OneDnnKernels {

    /** The primitive kinds that carry the arithmetic; reorders and element-wise kernels are left out. */
    private static final Set<String> KINDS =
            Set.of("convolution", "deconvolution", "matmul", "inner_product", "gemm_api");

    private final Map<String, Set<String>> byKind = new TreeMap<>();
    private String isa;

    /**
     * Reads one output line: the {@code info} line of the ISA oneDNN detected, and the {@code exec} lines of
     * the kept kinds; everything else is ignored.
     */
    synchronized void accept(String line) {
        if (!(line.startsWith("onednn_verbose,") || line.startsWith("dnnl_verbose,"))) {
            return;
        }
        int isaAt = line.indexOf(",info,cpu,isa:");
        if (isaAt >= 0) {
            isa = line.substring(isaAt + ",info,cpu,isa:".length()).strip();
            return;
        }
        if (!line.contains(",exec,")) {
            return;
        }
        String[] f = line.split(",");
        for (int i = 0; i + 2 < f.length; i++) {
            if (f[i].equals("cpu") && KINDS.contains(f[i + 1])) {
                String impl = f[i + 2].isBlank() ? "(unnamed)" : f[i + 2];
                byKind.computeIfAbsent(f[i + 1], k -> new TreeSet<>()).add(impl);
                return;
            }
        }
    }

    /** Whether nothing was seen. */
    synchronized boolean isEmpty() {
        return byKind.isEmpty() && isa == null;
    }

    /**
     * The ISA oneDNN detected ({@code isa: ...}) and one entry per kind, e.g.
     * {@code convolution: brg_conv_fwd:avx10_1_512_amx, brgconv_bwd_w:...}.
     */
    synchronized List<String> describe() {
        List<String> out = new ArrayList<>();
        if (isa != null) {
            out.add("isa: " + isa);
        }
        byKind.forEach((kind, impls) -> out.add(kind + ": " + String.join(", ", impls)));
        return out;
    }
}
