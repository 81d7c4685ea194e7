package dev.acgan.backend.nd4j;

import dev.acgan.api.spec.LayerSpec.Conv2DTranspose;
import dev.acgan.api.spec.Padding;

/**
 * How a transposed convolution (TensorFlow's {@code conv2d_transpose}, canonical kernel
 * {@code [kH, kW, out, in]}) is computed as one stride-1 convolution followed by an interleave of the
 * stride phases (a generalised depth-to-space). SameDiff's own {@code deconv2d} is slow for strided
 * 'same' layers under oneDNN; a stride-1 convolution is fast, and this form is exact for every kernel,
 * stride and padding.
 *
 * <p>Per axis, with input length {@code n}, kernel {@code k}, stride {@code s}, output length {@code N}
 * and TensorFlow's padding before {@code P}, the transposed convolution is
 * {@code out[i*s - P + t] += x[i] * k[t]}. Output {@code o = q*s + r} (phase {@code r}) collects
 * {@code x[q - j] * k[j*s + r + P]} over the {@code j} that keep the kernel index in range, so every
 * phase is a correlation of {@code x} with a sub-kernel over a window of {@code window} inputs:
 * {@code y_r[q] = sum_d xpad[q + d] * k'_r[d]} with {@code xpad} padded by {@code before} zeros in front.
 * All phases together are one convolution with {@code sH*sW*out} output channels; the phases are
 * then interleaved into the output grid and cropped to {@code N}.
 *
 * <p>The sub-kernels are gathered from the canonical kernel by a constant 0/1 selection matrix
 * ({@link #selection()}), applied inside the graph, so gradients flow to the canonical parameter and
 * taps outside the kernel stay exactly zero.
 */
record TransposedConv(Axis h, Axis w, int kernelH, int kernelW, int inChannels, int filters) {

    /**
     * The plan of one spatial axis.
     *
     * @param kernel  kernel length
     * @param stride  stride (number of phases)
     * @param window  length of the stride-1 correlation window
     * @param before  zeros padded before the input
     * @param after   zeros padded after the input
     * @param phaseLength outputs per phase that are kept: {@code ceil(N / stride)}
     * @param convLength  outputs of the stride-1 correlation (at least {@code phaseLength})
     * @param output  the transposed convolution's output length {@code N}
     * @param taps    {@code taps[r][d]}: the kernel index that phase {@code r} applies at window offset
     *                {@code d}, or -1 for a zero tap
     */
    record Axis(
            int kernel,
            int stride,
            int window,
            int before,
            int after,
            int phaseLength,
            int convLength,
            int output,
            int[][] taps) {}

    /** Plans a layer whose input is {@code [inH, inW, inC]}. */
    static TransposedConv plan(Conv2DTranspose layer, int inH, int inW, int inC) {
        Axis h = axis(inH, layer.kernelH(), layer.strideH(), layer.padding());
        Axis w = axis(inW, layer.kernelW(), layer.strideW(), layer.padding());
        return new TransposedConv(h, w, layer.kernelH(), layer.kernelW(), inC, layer.filters());
    }

    /** The output length of a transposed convolution, TensorFlow's rule. */
    static int outputLength(int n, int k, int s, Padding padding) {
        return padding == Padding.SAME ? n * s : (n - 1) * s + k;
    }

    static Axis axis(int n, int k, int s, Padding padding) {
        int bigN = outputLength(n, k, s, padding);
        // Padding of the convolution whose gradient this is (input N, output n), TensorFlow's rule.
        int total = padding == Padding.SAME ? Math.max((n - 1) * s + k - bigN, 0) : 0;
        int p = total / 2;
        int jMax = Integer.MIN_VALUE;
        int jMin = Integer.MAX_VALUE;
        for (int r = 0; r < s; r++) {
            int lo = ceilDiv(-(r + p), s);
            int hi = Math.floorDiv(k - 1 - r - p, s);
            if (lo <= hi) {
                jMax = Math.max(jMax, hi);
                jMin = Math.min(jMin, lo);
            }
        }
        if (jMax == Integer.MIN_VALUE) {
            throw new IllegalStateException(
                    "transposed convolution with kernel " + k + " and stride " + s + " has no taps");
        }
        int window = jMax - jMin + 1;
        int phaseLength = ceilDiv(bigN, s);
        int before = jMax;
        int after = Math.max(0, phaseLength - n - jMin);
        int convLength = n + before + after - window + 1;
        int[][] taps = new int[s][window];
        for (int r = 0; r < s; r++) {
            for (int d = 0; d < window; d++) {
                int t = (jMax - d) * s + r + p;
                taps[r][d] = t >= 0 && t < k ? t : -1;
            }
        }
        return new Axis(k, s, window, before, after, phaseLength, convLength, bigN, taps);
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    /** Rows of the selection matrix: {@code (dh, dw, rh, rw)} row-major. */
    int rows() {
        return h.window() * w.window() * h.stride() * w.stride();
    }

    /**
     * The {@code [rows, kH*kW]} 0/1 matrix that maps the canonical kernel, seen as
     * {@code [kH*kW, out*in]}, to the phase kernels {@code [winH, winW, sH, sW, out, in]}.
     */
    float[] selection() {
        int cols = kernelH * kernelW;
        float[] m = new float[rows() * cols];
        for (int dh = 0; dh < h.window(); dh++) {
            for (int dw = 0; dw < w.window(); dw++) {
                for (int rh = 0; rh < h.stride(); rh++) {
                    for (int rw = 0; rw < w.stride(); rw++) {
                        int th = h.taps()[rh][dh];
                        int tw = w.taps()[rw][dw];
                        if (th >= 0 && tw >= 0) {
                            int row = ((dh * w.window() + dw) * h.stride() + rh) * w.stride() + rw;
                            m[row * cols + th * kernelW + tw] = 1f;
                        }
                    }
                }
            }
        }
        return m;
    }

    /** Whether the correlation's padding is the same on both sides of both axes (a plain conv2d pad). */
    boolean symmetricPadding() {
        return h.before() == h.after() && w.before() == w.after();
    }

    /** Number of stride phases. */
    int phases() {
        return h.stride() * w.stride();
    }
}
