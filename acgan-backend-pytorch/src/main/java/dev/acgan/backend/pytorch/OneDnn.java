package dev.acgan.backend.pytorch;

import java.util.Locale;

/**
 * Whether the backend uses libtorch's oneDNN, from the system property {@value #PROPERTY}: {@code on} (the default)
 * lets libtorch pick oneDNN's convolution and bfloat16 matrix-product primitives (the whole TCK passes in fp32 and
 * bf16); {@code off} turns oneDNN off process-wide, so that fp32 convolutions run on libtorch's native kernels
 * (im2col and OpenBLAS, slower) and bf16 is not offered (the native kernels sum a transposed convolution's and an
 * input gradient's overlapping terms in bfloat16, outside the TCK's bf16 profile).
 */
final class OneDnn {

    /** The system property that turns oneDNN off (read once, when the natives load). */
    static final String PROPERTY = "acgan.pytorch.onednn";

    private static volatile Boolean on;

    private OneDnn() {}

    /** Whether oneDNN is on in this process (the system property, read once). */
    static boolean on() {
        Boolean o = on;
        if (o == null) {
            o = parse(System.getProperty(PROPERTY));
            on = o;
        }
        return o;
    }

    /** Whether a value of {@value #PROPERTY} means on ({@code null} or blank: the default, on). */
    static boolean parse(String v) {
        if (v == null || v.isBlank()) {
            return true;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "off", "false", "0" -> false;
            case "on", "true", "1" -> true;
            default ->
                throw new IllegalArgumentException(
                        "system property " + PROPERTY + " must be on or off, got '" + v + "'");
        };
    }
}
