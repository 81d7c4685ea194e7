package dev.acgan.api.model;

import java.util.Locale;

/**
 * The arithmetic of a model's convolutions and matrix products. {@link #FP32} is the default and the
 * reference every backend is held to by the TCK; {@link #BF16} is mixed precision for CPUs with bf16
 * matrix units; {@link #AUTO} is a request that a backend resolves to one of the two
 * ({@link dev.acgan.api.spi.GanBackend#resolvePrecision}) before it compiles anything.
 */
public enum Precision {
    /** float32 everywhere. */
    FP32,
    /**
     * Mixed precision: the operands of every convolution, transposed convolution and Dense matrix product
     * (forward and backward) are rounded to bfloat16 (8-bit significand) and the products accumulated in
     * float32; each such op's result is rounded to bfloat16. Everything else (bias additions, BatchNorm,
     * activations, losses, the master weights and the optimizer) stays float32.
     */
    BF16,
    /** {@link #BF16} where the backend can compute in it on this CPU (AMX-BF16 or AVX512_BF16), else {@link #FP32}. */
    AUTO;

    /**
     * This precision when it is {@link #FP32} or {@link #BF16}: what compiles, computes or is measured must be
     * one of the two, {@link #AUTO} being only a request.
     *
     * @throws IllegalArgumentException for {@link #AUTO}, naming {@link dev.acgan.api.spi.GanBackend#resolvePrecision}
     */
    public Precision requireConcrete() {
        if (this == AUTO) {
            throw new IllegalArgumentException(
                    "precision auto must be resolved to fp32 or bf16 first (GanBackend.resolvePrecision)");
        }
        return this;
    }

    /** The name used on command lines and in configuration files: {@code fp32}, {@code bf16}, {@code auto}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code fp32}, {@code bf16} or {@code auto} (any case).
     *
     * @param text  the text
     * @param field what was being read, for the message (e.g. {@code --precision})
     * @throws IllegalArgumentException naming the field and the accepted values
     */
    public static Precision parse(String text, String field) {
        if (text != null) {
            for (Precision p : values()) {
                if (p.label().equals(text.strip().toLowerCase(Locale.ROOT))) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException(field + " must be fp32, bf16 or auto, got '" + text + "'");
    }
}
