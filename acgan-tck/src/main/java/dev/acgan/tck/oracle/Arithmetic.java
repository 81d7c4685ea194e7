package dev.acgan.tck.oracle;

import dev.acgan.api.model.Precision;

/**
 * How the oracle computes the convolutions, transposed convolutions and Dense matrix products of a network;
 * every other operation is always float64.
 */
public enum Arithmetic {
    /** Float64: the exact reference of {@link Precision#FP32} backends. */
    FLOAT64,
    /**
     * The roundings of {@link Precision#BF16}, exactly where a mixed-precision backend makes them (see
     * {@link Products}), with the products summed exactly and the sum then rounded as a float32
     * accumulator's would be: the reference of bf16 backends.
     */
    BF16,
    /**
     * {@link #BF16} as a float32 backend computes it: the products summed in float32 in the oracle's own loop
     * order (as a backend's float32 accumulators sum them in theirs), and every activation and every
     * gradient between layers stored as float32. Where its sums, or the float32 values it rounds to
     * bfloat16, fall on the other side of a bfloat16 rounding boundary than the exact ones, its result differs
     * by one bfloat16 unit in the last place, as a real bf16 backend's does. The TCK's self-tests use it as a
     * bf16 backend made of plain Java.
     */
    BF16_FLOAT32;

    /** The reference arithmetic of a backend computing in {@code p}: {@link #FLOAT64} or {@link #BF16}. */
    public static Arithmetic referenceOf(Precision p) {
        return p.requireConcrete() == Precision.BF16 ? BF16 : FLOAT64;
    }

    /** Whether the products are rounded as in {@link Precision#BF16}. */
    public boolean bf16() {
        return this != FLOAT64;
    }
}
