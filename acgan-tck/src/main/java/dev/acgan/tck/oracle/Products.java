package dev.acgan.tck.oracle;

/**
 * The convolutions, transposed convolutions and Dense products of a network in an {@link Arithmetic}: in
 * {@link Arithmetic#FLOAT64} those of {@link LayerOps}; in the bf16 arithmetics those of a
 * {@link dev.acgan.api.model.Precision#BF16} backend, with its roundings exactly where it makes them:
 * <ul>
 *   <li>forward: both operands (the input and the kernel) rounded to bfloat16; the products summed (exactly,
 *       or in float32 for {@link Arithmetic#BF16_FLOAT32}); the sum rounded to float32, then to
 *       bfloat16 (the op's bfloat16 output); then the bias added in full precision;</li>
 *   <li>backward: the incoming gradient rounded to bfloat16; the input gradient and the kernel gradient
 *       computed from the bfloat16 operands, each rounded to float32 and then to bfloat16; the bias gradient
 *       summed from the unrounded incoming gradient (the bias addition is float32).</li>
 * </ul>
 * Rounding is to nearest, ties to even, as TensorFlow's casts and oneDNN's bfloat16 outputs round.
 */
final class Products {

    private Products() {}

    /** Dense forward ({@link LayerOps#dense}) in {@code a}. */
    static DoubleTensor dense(Arithmetic a, DoubleTensor x, double[] kernel, double[] bias, int units) {
        return a.bf16()
                ? dense(x, kernel, bias, units, a == Arithmetic.BF16_FLOAT32)
                : LayerOps.dense(x, kernel, bias, units);
    }

    /** Dense backward ({@link LayerOps#denseBackward}) in {@code a}. */
    static DoubleTensor denseBackward(
            Arithmetic a,
            DoubleTensor x,
            double[] kernel,
            int units,
            DoubleTensor dy,
            double[] dKernel,
            double[] dBias) {
        return a.bf16()
                ? denseBackward(x, kernel, units, dy, dKernel, dBias, a == Arithmetic.BF16_FLOAT32)
                : LayerOps.denseBackward(x, kernel, units, dy, dKernel, dBias);
    }

    /** Conv2D forward ({@link LayerOps#conv2d}) in {@code a}. */
    static DoubleTensor conv2d(Arithmetic a, DoubleTensor x, double[] kernel, double[] bias, ConvGeometry g) {
        return a.bf16()
                ? conv2d(x, kernel, bias, g, a == Arithmetic.BF16_FLOAT32)
                : LayerOps.conv2d(x, kernel, bias, g);
    }

    /** Conv2D backward ({@link LayerOps#conv2dBackward}) in {@code a}. */
    static DoubleTensor conv2dBackward(
            Arithmetic a,
            DoubleTensor x,
            double[] kernel,
            ConvGeometry g,
            DoubleTensor dy,
            double[] dKernel,
            double[] dBias) {
        return a.bf16()
                ? conv2dBackward(x, kernel, g, dy, dKernel, dBias, a == Arithmetic.BF16_FLOAT32)
                : LayerOps.conv2dBackward(x, kernel, g, dy, dKernel, dBias);
    }

    /** Conv2DTranspose forward ({@link LayerOps#conv2dTranspose}) in {@code a}. */
    static DoubleTensor conv2dTranspose(Arithmetic a, DoubleTensor x, double[] kernel, double[] bias, ConvGeometry g) {
        return a.bf16()
                ? conv2dTranspose(x, kernel, bias, g, a == Arithmetic.BF16_FLOAT32)
                : LayerOps.conv2dTranspose(x, kernel, bias, g);
    }

    /** Conv2DTranspose backward ({@link LayerOps#conv2dTransposeBackward}) in {@code a}. */
    static DoubleTensor conv2dTransposeBackward(
            Arithmetic a,
            DoubleTensor x,
            double[] kernel,
            ConvGeometry g,
            DoubleTensor dy,
            double[] dKernel,
            double[] dBias) {
        return a.bf16()
                ? conv2dTransposeBackward(x, kernel, g, dy, dKernel, dBias, a == Arithmetic.BF16_FLOAT32)
                : LayerOps.conv2dTransposeBackward(x, kernel, g, dy, dKernel, dBias);
    }

    /** {@code v} rounded to float32 and then to bfloat16 (8-bit significand), to nearest, ties to even. */
    static double round(double v) {
        int bits = Float.floatToRawIntBits((float) v);
        if ((bits & 0x7f800000) == 0x7f800000) {
            return Float.intBitsToFloat(bits);
        }
        int lsb = (bits >>> 16) & 1;
        return Float.intBitsToFloat((bits + 0x7fff + lsb) & 0xffff0000);
    }

    static double[] round(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = round(v[i]);
        }
        return out;
    }

    static DoubleTensor round(DoubleTensor t) {
        return new DoubleTensor(t.shape(), round(t.data()));
    }

    private static DoubleTensor roundInPlace(DoubleTensor t) {
        double[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = round(d[i]);
        }
        return t;
    }

    /** A zeroed scratch array for a kernel gradient, or null when none is wanted. */
    private static double[] scratch(double[] dKernel) {
        return dKernel == null ? null : new double[dKernel.length];
    }

    /** Adds the bfloat16-rounded kernel gradient of one use into the accumulated one. */
    private static void addRounded(double[] dKernel, double[] scratch) {
        if (dKernel != null) {
            for (int i = 0; i < dKernel.length; i++) {
                dKernel[i] += round(scratch[i]);
            }
        }
    }

    private static void biasGradient(DoubleTensor dy, int channels, double[] dBias) {
        if (dBias != null) {
            LayerOps.sumBias(dy.data(), channels, dBias);
        }
    }

    private static DoubleTensor withBias(DoubleTensor y, double[] bias, int channels) {
        roundInPlace(y);
        LayerOps.addBias(y.data(), bias, channels);
        return y;
    }

    static DoubleTensor dense(DoubleTensor x, double[] kernel, double[] bias, int units, boolean float32Sums) {
        return withBias(LayerOps.dense(round(x), round(kernel), null, units, float32Sums), bias, units);
    }

    static DoubleTensor denseBackward(
            DoubleTensor x,
            double[] kernel,
            int units,
            DoubleTensor dy,
            double[] dKernel,
            double[] dBias,
            boolean float32Sums) {
        double[] dk = scratch(dKernel);
        DoubleTensor dx = LayerOps.denseBackward(round(x), round(kernel), units, round(dy), dk, null, float32Sums);
        addRounded(dKernel, dk);
        biasGradient(dy, units, dBias);
        return roundInPlace(dx);
    }

    static DoubleTensor conv2d(DoubleTensor x, double[] kernel, double[] bias, ConvGeometry g, boolean float32Sums) {
        return withBias(LayerOps.conv2d(round(x), round(kernel), null, g, float32Sums), bias, g.outC());
    }

    static DoubleTensor conv2dBackward(
            DoubleTensor x,
            double[] kernel,
            ConvGeometry g,
            DoubleTensor dy,
            double[] dKernel,
            double[] dBias,
            boolean float32Sums) {
        double[] dk = scratch(dKernel);
        DoubleTensor dx = LayerOps.conv2dBackward(round(x), round(kernel), g, round(dy), dk, null, float32Sums);
        addRounded(dKernel, dk);
        biasGradient(dy, g.outC(), dBias);
        return roundInPlace(dx);
    }

    static DoubleTensor conv2dTranspose(
            DoubleTensor x, double[] kernel, double[] bias, ConvGeometry g, boolean float32Sums) {
        return withBias(LayerOps.conv2dTranspose(round(x), round(kernel), null, g, float32Sums), bias, g.inC());
    }

    static DoubleTensor conv2dTransposeBackward(
            DoubleTensor x,
            double[] kernel,
            ConvGeometry g,
            DoubleTensor dy,
            double[] dKernel,
            double[] dBias,
            boolean float32Sums) {
        double[] dk = scratch(dKernel);
        DoubleTensor dx =
                LayerOps.conv2dTransposeBackward(round(x), round(kernel), g, round(dy), dk, null, float32Sums);
        addRounded(dKernel, dk);
        biasGradient(dy, g.inC(), dBias);
        return roundInPlace(dx);
    }
}
