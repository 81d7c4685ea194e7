package dev.acgan.tck.oracle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Forward and backward passes of every layer of {@link dev.acgan.api.spec.LayerSpec}, in double
 * precision, on NHWC tensors whose first dimension is the batch.
 *
 * <p>Conventions of the backward methods: {@code dy} is the gradient of a scalar loss with respect to
 * the layer's output; the method returns the gradient with respect to the layer's (float) input(s) and
 * <em>adds</em> the parameter gradients into the arrays passed in (callers pass zeroed arrays, or
 * arrays that already hold gradients from other uses). A {@code null} parameter-gradient array means
 * "not needed". Parameter layouts are the canonical ones of {@link dev.acgan.api.spec.ShapeInference}.
 */
public final class LayerOps {

    private LayerOps() {}

    // ------------------------------------------------------------------------------------ Dense

    /**
     * Dense: {@code y[n,o] = sum_i x[n,i] * kernel[i,o] + bias[o]}.
     *
     * @param x      {@code [n, in]}
     * @param kernel {@code [in, units]}
     * @param bias   {@code [units]} or {@code null}
     * @param units  output width
     */
    public static DoubleTensor dense(DoubleTensor x, double[] kernel, double[] bias, int units) {
        return dense(x, kernel, bias, units, false);
    }

    /** {@link #dense}, the products summed in float32 when {@code float32Sums} (see {@link #sum}). */
    static DoubleTensor dense(DoubleTensor x, double[] kernel, double[] bias, int units, boolean float32Sums) {
        int n = x.batch();
        int in = x.exampleSize();
        checkLength("dense kernel", kernel, in * units);
        double[] xs = x.data();
        double[] y = new double[n * units];
        for (int b = 0; b < n; b++) {
            int yBase = b * units;
            if (bias != null) {
                System.arraycopy(bias, 0, y, yBase, units);
            }
            for (int i = 0; i < in; i++) {
                double xv = xs[b * in + i];
                if (xv == 0) {
                    continue;
                }
                int kBase = i * units;
                for (int o = 0; o < units; o++) {
                    y[yBase + o] = sum(float32Sums, y[yBase + o], xv * kernel[kBase + o]);
                }
            }
        }
        return new DoubleTensor(new int[] {n, units}, y);
    }

    /**
     * Backward of {@link #dense}.
     *
     * @param x       the forward input {@code [n, in]}
     * @param kernel  {@code [in, units]}
     * @param units   output width
     * @param dy      {@code [n, units]}
     * @param dKernel receives {@code += x^T dy}, or {@code null}
     * @param dBias   receives {@code += sum_n dy}, or {@code null}
     * @return {@code dx = dy kernel^T}
     */
    public static DoubleTensor denseBackward(
            DoubleTensor x, double[] kernel, int units, DoubleTensor dy, double[] dKernel, double[] dBias) {
        return denseBackward(x, kernel, units, dy, dKernel, dBias, false);
    }

    /** {@link #denseBackward}, the products summed in float32 when {@code float32Sums}. */
    static DoubleTensor denseBackward(
            DoubleTensor x,
            double[] kernel,
            int units,
            DoubleTensor dy,
            double[] dKernel,
            double[] dBias,
            boolean float32Sums) {
        int n = x.batch();
        int in = x.exampleSize();
        double[] xs = x.data();
        double[] g = dy.data();
        double[] dx = new double[xs.length];
        for (int b = 0; b < n; b++) {
            int gBase = b * units;
            for (int i = 0; i < in; i++) {
                int kBase = i * units;
                double xv = xs[b * in + i];
                double s = 0;
                for (int o = 0; o < units; o++) {
                    s = sum(float32Sums, s, g[gBase + o] * kernel[kBase + o]);
                    if (dKernel != null) {
                        dKernel[kBase + o] = sum(float32Sums, dKernel[kBase + o], xv * g[gBase + o]);
                    }
                }
                dx[b * in + i] = s;
            }
            if (dBias != null) {
                for (int o = 0; o < units; o++) {
                    dBias[o] += g[gBase + o];
                }
            }
        }
        return new DoubleTensor(x.shape(), dx);
    }

    // ------------------------------------------------------------------------ Embedding, OneHot

    /**
     * Embedding lookup: {@code y[n,:] = table[labels[n], :]}.
     *
     * @param labels    one integer per example, in {@code [0, inputDim)}
     * @param table     {@code [inputDim, outputDim]}
     * @param inputDim  number of rows
     * @param outputDim row length
     */
    public static DoubleTensor embedding(int[] labels, double[] table, int inputDim, int outputDim) {
        checkLength("embedding table", table, inputDim * outputDim);
        double[] y = new double[labels.length * outputDim];
        for (int b = 0; b < labels.length; b++) {
            checkLabel(labels, b, inputDim);
            System.arraycopy(table, labels[b] * outputDim, y, b * outputDim, outputDim);
        }
        return new DoubleTensor(new int[] {labels.length, outputDim}, y);
    }

    /** Backward of {@link #embedding}: adds each {@code dy[n,:]} into row {@code labels[n]} of {@code dTable}. */
    public static void embeddingBackward(int[] labels, int outputDim, DoubleTensor dy, double[] dTable) {
        double[] g = dy.data();
        for (int b = 0; b < labels.length; b++) {
            int row = labels[b] * outputDim;
            for (int j = 0; j < outputDim; j++) {
                dTable[row + j] += g[b * outputDim + j];
            }
        }
    }

    /** One-hot encoding {@code [n] -> [n, depth]}. It has no gradient (its input is an integer). */
    public static DoubleTensor oneHot(int[] labels, int depth) {
        double[] y = new double[labels.length * depth];
        for (int b = 0; b < labels.length; b++) {
            checkLabel(labels, b, depth);
            y[b * depth + labels[b]] = 1;
        }
        return new DoubleTensor(new int[] {labels.length, depth}, y);
    }

    // ------------------------------------------------------------------- Multiply, Concat, shapes

    /** Element-wise product of two or more tensors of equal shape. */
    public static DoubleTensor multiply(List<DoubleTensor> xs) {
        double[] y = xs.get(0).data().clone();
        for (int k = 1; k < xs.size(); k++) {
            double[] x = xs.get(k).data();
            for (int i = 0; i < y.length; i++) {
                y[i] *= x[i];
            }
        }
        return new DoubleTensor(xs.get(0).shape(), y);
    }

    /**
     * Backward of {@link #multiply}: {@code dx_k = dy * prod_{j != k} x_j} (products of the other factors,
     * no division, so zeros are handled exactly).
     */
    public static List<DoubleTensor> multiplyBackward(List<DoubleTensor> xs, DoubleTensor dy) {
        List<DoubleTensor> out = new ArrayList<>();
        double[] g = dy.data();
        for (int k = 0; k < xs.size(); k++) {
            double[] dx = g.clone();
            for (int j = 0; j < xs.size(); j++) {
                if (j == k) {
                    continue;
                }
                double[] x = xs.get(j).data();
                for (int i = 0; i < dx.length; i++) {
                    dx[i] *= x[i];
                }
            }
            out.add(new DoubleTensor(xs.get(k).shape(), dx));
        }
        return out;
    }

    /** Concatenation along the last axis; all other dimensions must agree. */
    public static DoubleTensor concat(List<DoubleTensor> xs) {
        int[] shape = xs.get(0).shape();
        int rank = shape.length;
        int outer = xs.get(0).size() / shape[rank - 1];
        int total = 0;
        for (DoubleTensor x : xs) {
            total += x.lastDim();
        }
        double[] y = new double[outer * total];
        int offset = 0;
        for (DoubleTensor x : xs) {
            int c = x.lastDim();
            double[] d = x.data();
            for (int r = 0; r < outer; r++) {
                System.arraycopy(d, r * c, y, r * total + offset, c);
            }
            offset += c;
        }
        shape[rank - 1] = total;
        return new DoubleTensor(shape, y);
    }

    /**
     * Backward of {@link #concat}: splits {@code dy} along the last axis.
     *
     * @param shapes the forward inputs' shapes (batch included)
     */
    public static List<DoubleTensor> concatBackward(List<int[]> shapes, DoubleTensor dy) {
        int total = dy.lastDim();
        int outer = dy.size() / total;
        double[] g = dy.data();
        List<DoubleTensor> out = new ArrayList<>();
        int offset = 0;
        for (int[] s : shapes) {
            int c = s[s.length - 1];
            double[] dx = new double[outer * c];
            for (int r = 0; r < outer; r++) {
                System.arraycopy(g, r * total + offset, dx, r * c, c);
            }
            out.add(new DoubleTensor(s, dx));
            offset += c;
        }
        return out;
    }

    /**
     * Reshape (and Flatten) keep the row-major NHWC order: only the shape changes. The gradient is the
     * output gradient reshaped back to the input's shape.
     *
     * @param x            the input, batch first
     * @param exampleShape the new per-example shape
     */
    public static DoubleTensor reshape(DoubleTensor x, int[] exampleShape) {
        int[] shape = DoubleTensor.withBatch(x.batch(), exampleShape);
        if (DoubleTensor.sizeOf(shape) != x.size()) {
            throw new IllegalArgumentException(
                    "cannot reshape " + Arrays.toString(x.shape()) + " to " + Arrays.toString(shape));
        }
        return x.reshape(shape);
    }

    /** Flatten to {@code [n, product of the other dimensions]}, NHWC row-major order. */
    public static DoubleTensor flatten(DoubleTensor x) {
        return x.reshape(x.batch(), x.exampleSize());
    }

    /** Repeats {@code [n, c]} over a grid: {@code y[n,h,w,c] = x[n,c]}. */
    public static DoubleTensor repeatSpatial(DoubleTensor x, int height, int width) {
        int n = x.batch();
        int c = x.exampleSize();
        double[] xs = x.data();
        double[] y = new double[n * height * width * c];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < height * width; p++) {
                System.arraycopy(xs, b * c, y, (b * height * width + p) * c, c);
            }
        }
        return new DoubleTensor(new int[] {n, height, width, c}, y);
    }

    /** Backward of {@link #repeatSpatial}: sums {@code dy[n,h,w,c]} over h and w. */
    public static DoubleTensor repeatSpatialBackward(DoubleTensor dy) {
        int n = dy.dim(0);
        int hw = dy.dim(1) * dy.dim(2);
        int c = dy.dim(3);
        double[] g = dy.data();
        double[] dx = new double[n * c];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < hw; p++) {
                int base = (b * hw + p) * c;
                for (int k = 0; k < c; k++) {
                    dx[b * c + k] += g[base + k];
                }
            }
        }
        return new DoubleTensor(new int[] {n, c}, dx);
    }

    // ------------------------------------------------------------------------------ Convolutions

    /**
     * Conv2D: {@code y[n,oh,ow,f] = bias[f] + sum_{i,j,c} x[n, oh*sH-padTop+i, ow*sW-padLeft+j, c] *
     * kernel[i,j,c,f]} with zeros outside the input (no kernel flip, as in TensorFlow).
     *
     * @param x      {@code [n, inH, inW, inC]}
     * @param kernel {@code [kH, kW, inC, outC]}
     * @param bias   {@code [outC]} or {@code null}
     * @param g      the geometry ({@link ConvGeometry#conv2d})
     */
    public static DoubleTensor conv2d(DoubleTensor x, double[] kernel, double[] bias, ConvGeometry g) {
        return conv2d(x, kernel, bias, g, false);
    }

    /** {@link #conv2d}, the products summed in float32 when {@code float32Sums}. */
    static DoubleTensor conv2d(DoubleTensor x, double[] kernel, double[] bias, ConvGeometry g, boolean float32Sums) {
        checkLength("conv2d kernel", kernel, g.kernelSize());
        int n = x.batch();
        double[] y = new double[n * g.outSize()];
        convCorrelate(x.data(), n, kernel, g, y, float32Sums);
        addBias(y, bias, g.outC());
        return new DoubleTensor(new int[] {n, g.outH(), g.outW(), g.outC()}, y);
    }

    /**
     * Backward of {@link #conv2d}.
     *
     * @param x       the forward input
     * @param kernel  {@code [kH, kW, inC, outC]}
     * @param g       the geometry
     * @param dy      {@code [n, outH, outW, outC]}
     * @param dKernel receives the kernel gradient, or {@code null}
     * @param dBias   receives the bias gradient, or {@code null}
     * @return the input gradient {@code [n, inH, inW, inC]}
     */
    public static DoubleTensor conv2dBackward(
            DoubleTensor x, double[] kernel, ConvGeometry g, DoubleTensor dy, double[] dKernel, double[] dBias) {
        return conv2dBackward(x, kernel, g, dy, dKernel, dBias, false);
    }

    /** {@link #conv2dBackward}, the products summed in float32 when {@code float32Sums}. */
    static DoubleTensor conv2dBackward(
            DoubleTensor x,
            double[] kernel,
            ConvGeometry g,
            DoubleTensor dy,
            double[] dKernel,
            double[] dBias,
            boolean float32Sums) {
        int n = x.batch();
        double[] dx = new double[n * g.inSize()];
        convScatter(dy.data(), n, kernel, g, dx, float32Sums);
        if (dKernel != null) {
            convKernelGradient(x.data(), dy.data(), n, g, dKernel, float32Sums);
        }
        if (dBias != null) {
            sumBias(dy.data(), g.outC(), dBias);
        }
        return new DoubleTensor(new int[] {n, g.inH(), g.inW(), g.inC()}, dx);
    }

    /**
     * Conv2DTranspose, defined as TensorFlow's {@code conv2d_transpose}: the gradient of a Conv2D with
     * respect to its input. Each input value {@code x[n,ih,iw,c]} is scattered to output rows
     * {@code ih*sH - padTop + i}, columns {@code iw*sW - padLeft + j}, channels f with weight
     * {@code kernel[i,j,f,c]}; positions outside the output are dropped. Then the bias is added.
     *
     * @param x      {@code [n, h, w, c]} (the convolution's output side)
     * @param kernel {@code [kH, kW, filters, c]}
     * @param bias   {@code [filters]} or {@code null}
     * @param g      the geometry from {@link ConvGeometry#conv2dTranspose}
     * @return {@code [n, h', w', filters]} (the convolution's input side)
     */
    public static DoubleTensor conv2dTranspose(DoubleTensor x, double[] kernel, double[] bias, ConvGeometry g) {
        return conv2dTranspose(x, kernel, bias, g, false);
    }

    /** {@link #conv2dTranspose}, the products summed in float32 when {@code float32Sums}. */
    static DoubleTensor conv2dTranspose(
            DoubleTensor x, double[] kernel, double[] bias, ConvGeometry g, boolean float32Sums) {
        checkLength("conv2d_transpose kernel", kernel, g.kernelSize());
        int n = x.batch();
        double[] y = new double[n * g.inSize()];
        convScatter(x.data(), n, kernel, g, y, float32Sums);
        addBias(y, bias, g.inC());
        return new DoubleTensor(new int[] {n, g.inH(), g.inW(), g.inC()}, y);
    }

    /**
     * Backward of {@link #conv2dTranspose}: the input gradient is the Conv2D of {@code dy} with the same
     * kernel, the kernel gradient that of a Conv2D with input {@code dy} and output gradient {@code x}.
     *
     * @param x       the forward input {@code [n, h, w, c]}
     * @param kernel  {@code [kH, kW, filters, c]}
     * @param g       the geometry
     * @param dy      {@code [n, h', w', filters]}
     * @param dKernel receives the kernel gradient, or {@code null}
     * @param dBias   receives the bias gradient, or {@code null}
     * @return the input gradient {@code [n, h, w, c]}
     */
    public static DoubleTensor conv2dTransposeBackward(
            DoubleTensor x, double[] kernel, ConvGeometry g, DoubleTensor dy, double[] dKernel, double[] dBias) {
        return conv2dTransposeBackward(x, kernel, g, dy, dKernel, dBias, false);
    }

    /** {@link #conv2dTransposeBackward}, the products summed in float32 when {@code float32Sums}. */
    static DoubleTensor conv2dTransposeBackward(
            DoubleTensor x,
            double[] kernel,
            ConvGeometry g,
            DoubleTensor dy,
            double[] dKernel,
            double[] dBias,
            boolean float32Sums) {
        int n = x.batch();
        double[] dx = new double[n * g.outSize()];
        convCorrelate(dy.data(), n, kernel, g, dx, float32Sums);
        if (dKernel != null) {
            convKernelGradient(dy.data(), x.data(), n, g, dKernel, float32Sums);
        }
        if (dBias != null) {
            sumBias(dy.data(), g.inC(), dBias);
        }
        return new DoubleTensor(new int[] {n, g.outH(), g.outW(), g.outC()}, dx);
    }

    /** {@code out[n,oh,ow,f] += sum in[n, oh*s-pad+i, ow*s-pad+j, c] * k[i,j,c,f]}. */
    private static void convCorrelate(
            double[] in, int n, double[] k, ConvGeometry g, double[] out, boolean float32Sums) {
        int inC = g.inC();
        int outC = g.outC();
        for (int b = 0; b < n; b++) {
            int inBatch = b * g.inSize();
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    int outBase = ((b * g.outH() + oh) * g.outW() + ow) * outC;
                    for (int i = 0; i < g.kernelH(); i++) {
                        int ih = oh * g.strideH() - g.padTop() + i;
                        if (ih < 0 || ih >= g.inH()) {
                            continue;
                        }
                        for (int j = 0; j < g.kernelW(); j++) {
                            int iw = ow * g.strideW() - g.padLeft() + j;
                            if (iw < 0 || iw >= g.inW()) {
                                continue;
                            }
                            int inBase = inBatch + (ih * g.inW() + iw) * inC;
                            int kBase = (i * g.kernelW() + j) * inC * outC;
                            for (int c = 0; c < inC; c++) {
                                double v = in[inBase + c];
                                if (v == 0) {
                                    continue;
                                }
                                int kc = kBase + c * outC;
                                for (int f = 0; f < outC; f++) {
                                    out[outBase + f] = sum(float32Sums, out[outBase + f], v * k[kc + f]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** The transpose of {@link #convCorrelate}: {@code in[n, oh*s-pad+i, ow*s-pad+j, c] += sum_f out[n,oh,ow,f] * k[i,j,c,f]}. */
    private static void convScatter(double[] out, int n, double[] k, ConvGeometry g, double[] in, boolean float32Sums) {
        int inC = g.inC();
        int outC = g.outC();
        for (int b = 0; b < n; b++) {
            int inBatch = b * g.inSize();
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    int outBase = ((b * g.outH() + oh) * g.outW() + ow) * outC;
                    for (int i = 0; i < g.kernelH(); i++) {
                        int ih = oh * g.strideH() - g.padTop() + i;
                        if (ih < 0 || ih >= g.inH()) {
                            continue;
                        }
                        for (int j = 0; j < g.kernelW(); j++) {
                            int iw = ow * g.strideW() - g.padLeft() + j;
                            if (iw < 0 || iw >= g.inW()) {
                                continue;
                            }
                            int inBase = inBatch + (ih * g.inW() + iw) * inC;
                            int kBase = (i * g.kernelW() + j) * inC * outC;
                            for (int c = 0; c < inC; c++) {
                                int kc = kBase + c * outC;
                                double s = 0;
                                for (int f = 0; f < outC; f++) {
                                    s = sum(float32Sums, s, out[outBase + f] * k[kc + f]);
                                }
                                in[inBase + c] = sum(float32Sums, in[inBase + c], s);
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code dk[i,j,c,f] += sum in[n, oh*s-pad+i, ow*s-pad+j, c] * dOut[n,oh,ow,f]}. */
    private static void convKernelGradient(
            double[] in, double[] dOut, int n, ConvGeometry g, double[] dk, boolean float32Sums) {
        int inC = g.inC();
        int outC = g.outC();
        for (int b = 0; b < n; b++) {
            int inBatch = b * g.inSize();
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    int outBase = ((b * g.outH() + oh) * g.outW() + ow) * outC;
                    for (int i = 0; i < g.kernelH(); i++) {
                        int ih = oh * g.strideH() - g.padTop() + i;
                        if (ih < 0 || ih >= g.inH()) {
                            continue;
                        }
                        for (int j = 0; j < g.kernelW(); j++) {
                            int iw = ow * g.strideW() - g.padLeft() + j;
                            if (iw < 0 || iw >= g.inW()) {
                                continue;
                            }
                            int inBase = inBatch + (ih * g.inW() + iw) * inC;
                            int kBase = (i * g.kernelW() + j) * inC * outC;
                            for (int c = 0; c < inC; c++) {
                                double v = in[inBase + c];
                                if (v == 0) {
                                    continue;
                                }
                                int kc = kBase + c * outC;
                                for (int f = 0; f < outC; f++) {
                                    dk[kc + f] = sum(float32Sums, dk[kc + f], v * dOut[outBase + f]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------ Up-sampling

    /**
     * Nearest-neighbour up-sampling: {@code y[n,i,j,c] = x[n, i / fh, j / fw, c]} (integer division).
     *
     * @param x  {@code [n, h, w, c]}
     * @param fh factor along the height
     * @param fw factor along the width
     * @return {@code [n, h*fh, w*fw, c]}
     */
    public static DoubleTensor upSampling2d(DoubleTensor x, int fh, int fw) {
        int n = x.dim(0);
        int h = x.dim(1);
        int w = x.dim(2);
        int c = x.dim(3);
        int oh = h * fh;
        int ow = w * fw;
        double[] xs = x.data();
        double[] y = new double[n * oh * ow * c];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    System.arraycopy(xs, ((b * h + i / fh) * w + j / fw) * c, y, ((b * oh + i) * ow + j) * c, c);
                }
            }
        }
        return new DoubleTensor(new int[] {n, oh, ow, c}, y);
    }

    /**
     * Backward of {@link #upSampling2d}: each input value's gradient is the sum of its {@code fh x fw}
     * copies' gradients.
     *
     * @param dy {@code [n, h*fh, w*fw, c]}
     * @param fh factor along the height
     * @param fw factor along the width
     * @return {@code [n, h, w, c]}
     */
    public static DoubleTensor upSampling2dBackward(DoubleTensor dy, int fh, int fw) {
        int n = dy.dim(0);
        int oh = dy.dim(1);
        int ow = dy.dim(2);
        int c = dy.dim(3);
        if (oh % fh != 0 || ow % fw != 0) {
            throw new IllegalArgumentException(
                    "gradient of " + oh + "x" + ow + " is not a multiple of factors " + fh + "x" + fw);
        }
        int h = oh / fh;
        int w = ow / fw;
        double[] g = dy.data();
        double[] dx = new double[n * h * w * c];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int src = ((b * oh + i) * ow + j) * c;
                    int dst = ((b * h + i / fh) * w + j / fw) * c;
                    for (int k = 0; k < c; k++) {
                        dx[dst + k] += g[src + k];
                    }
                }
            }
        }
        return new DoubleTensor(new int[] {n, h, w, c}, dx);
    }

    // ------------------------------------------------------------------------------ Max-pooling

    /**
     * Max-pooling: {@code y[n,oh,ow,c] = max_{i,j} x[n, oh*sH-padTop+i, ow*sW-padLeft+j, c]} over the
     * positions inside the input (padding never wins, as if it held minus infinity, as in TensorFlow).
     *
     * @param x {@code [n, inH, inW, c]}
     * @param g the geometry ({@link ConvGeometry#pool}): window, strides and padding; {@code inC == outC}
     */
    public static DoubleTensor maxPool2d(DoubleTensor x, ConvGeometry g) {
        int n = x.batch();
        double[] xs = x.data();
        double[] y = new double[n * g.outSize()];
        int[] arg = argmax(xs, n, g);
        for (int o = 0; o < y.length; o++) {
            y[o] = xs[arg[o]];
        }
        return new DoubleTensor(new int[] {n, g.outH(), g.outW(), g.outC()}, y);
    }

    /**
     * Backward of {@link #maxPool2d}: each {@code dy} goes to the maximum of its window, the first in
     * row-major window order where several tie; overlapping windows add up.
     *
     * @param x  the forward input
     * @param g  the geometry
     * @param dy {@code [n, outH, outW, c]}
     * @return the input gradient
     */
    public static DoubleTensor maxPool2dBackward(DoubleTensor x, ConvGeometry g, DoubleTensor dy) {
        int n = x.batch();
        double[] dx = new double[x.size()];
        int[] arg = argmax(x.data(), n, g);
        double[] gy = dy.data();
        for (int o = 0; o < arg.length; o++) {
            dx[arg[o]] += gy[o];
        }
        return new DoubleTensor(x.shape(), dx);
    }

    /** Per output element, the flat input index of its window's (first) maximum. */
    private static int[] argmax(double[] in, int n, ConvGeometry g) {
        int c = g.inC();
        int[] arg = new int[n * g.outSize()];
        for (int b = 0; b < n; b++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    for (int ch = 0; ch < c; ch++) {
                        int best = -1;
                        for (int i = 0; i < g.kernelH(); i++) {
                            int ih = oh * g.strideH() - g.padTop() + i;
                            if (ih < 0 || ih >= g.inH()) {
                                continue;
                            }
                            for (int j = 0; j < g.kernelW(); j++) {
                                int iw = ow * g.strideW() - g.padLeft() + j;
                                if (iw < 0 || iw >= g.inW()) {
                                    continue;
                                }
                                int idx = ((b * g.inH() + ih) * g.inW() + iw) * c + ch;
                                if (best < 0 || in[idx] > in[best]) {
                                    best = idx;
                                }
                            }
                        }
                        if (best < 0) {
                            throw new IllegalArgumentException(
                                    "pooling window at (" + oh + ", " + ow + ") lies entirely in the padding");
                        }
                        arg[((b * g.outH() + oh) * g.outW() + ow) * c + ch] = best;
                    }
                }
            }
        }
        return arg;
    }

    /**
     * One step of a sum of products: {@code a + b} in double precision, or rounded to float32 when
     * {@code float32Sums}, which with float32 {@code a} and {@code b} is float32 addition (the products of
     * the bf16 emulation are exact in float32). The float32 sums stand in for a backend's float32
     * accumulators in {@link Arithmetic#BF16_FLOAT32}.
     */
    private static double sum(boolean float32Sums, double a, double b) {
        return float32Sums ? (float) (a + b) : a + b;
    }

    static void addBias(double[] y, double[] bias, int channels) {
        if (bias == null) {
            return;
        }
        checkLength("bias", bias, channels);
        for (int p = 0; p < y.length; p += channels) {
            for (int c = 0; c < channels; c++) {
                y[p + c] += bias[c];
            }
        }
    }

    static void sumBias(double[] dy, int channels, double[] dBias) {
        for (int p = 0; p < dy.length; p += channels) {
            for (int c = 0; c < channels; c++) {
                dBias[c] += dy[p + c];
            }
        }
    }

    // ------------------------------------------------------------------------------- BatchNorm

    /**
     * What a training-mode batch normalisation computed, per channel.
     *
     * @param output   the normalised, scaled and shifted values
     * @param mean     batch mean per channel
     * @param variance biased batch variance per channel (divided by {@code count})
     * @param invStd   {@code 1/sqrt(variance + epsilon)} per channel
     * @param count    values per channel: batch times spatial positions
     */
    public record BatchNormResult(DoubleTensor output, double[] mean, double[] variance, double[] invStd, int count) {

        /**
         * The unbiased variance {@code variance * count/(count-1)} that updates the moving variance; with a
         * single value per channel there is nothing to correct and the biased variance is returned (as
         * TensorFlow's fused batch norm does).
         */
        public double[] unbiasedVariance() {
            double factor = count > 1 ? (double) count / (count - 1) : 1.0;
            double[] u = new double[variance.length];
            for (int c = 0; c < u.length; c++) {
                u[c] = variance[c] * factor;
            }
            return u;
        }
    }

    /**
     * Training-mode batch normalisation over every axis but the last: per channel,
     * {@code y = gamma * (x - mean) / sqrt(var + epsilon) + beta} with the batch mean and biased variance.
     */
    public static BatchNormResult batchNormTraining(DoubleTensor x, double[] gamma, double[] beta, double epsilon) {
        int c = x.lastDim();
        double[] xs = x.data();
        int count = xs.length / c;
        double[] mean = new double[c];
        for (int p = 0; p < xs.length; p += c) {
            for (int k = 0; k < c; k++) {
                mean[k] += xs[p + k];
            }
        }
        for (int k = 0; k < c; k++) {
            mean[k] /= count;
        }
        double[] var = new double[c];
        for (int p = 0; p < xs.length; p += c) {
            for (int k = 0; k < c; k++) {
                double d = xs[p + k] - mean[k];
                var[k] += d * d;
            }
        }
        double[] invStd = new double[c];
        for (int k = 0; k < c; k++) {
            var[k] /= count;
            invStd[k] = 1.0 / Math.sqrt(var[k] + epsilon);
        }
        return new BatchNormResult(normalize(x, mean, invStd, gamma, beta), mean, var, invStd, count);
    }

    /** Inference-mode batch normalisation with the moving statistics. */
    public static DoubleTensor batchNormInference(
            DoubleTensor x,
            double[] gamma,
            double[] beta,
            double[] movingMean,
            double[] movingVariance,
            double epsilon) {
        double[] invStd = new double[movingVariance.length];
        for (int k = 0; k < invStd.length; k++) {
            invStd[k] = 1.0 / Math.sqrt(movingVariance[k] + epsilon);
        }
        return normalize(x, movingMean, invStd, gamma, beta);
    }

    private static DoubleTensor normalize(
            DoubleTensor x, double[] mean, double[] invStd, double[] gamma, double[] beta) {
        int c = x.lastDim();
        double[] xs = x.data();
        double[] y = new double[xs.length];
        for (int p = 0; p < xs.length; p += c) {
            for (int k = 0; k < c; k++) {
                y[p + k] = gamma[k] * (xs[p + k] - mean[k]) * invStd[k] + beta[k];
            }
        }
        return new DoubleTensor(x.shape(), y);
    }

    /**
     * Backward of training-mode batch normalisation, through the batch statistics:
     * {@code dx = invStd/m * (m*dxhat - sum(dxhat) - xhat*sum(dxhat*xhat))} with {@code dxhat = dy*gamma}.
     *
     * @param x      the forward input
     * @param gamma  the scale
     * @param fwd    the forward result (statistics)
     * @param dy     the output gradient
     * @param dGamma receives {@code sum(dy * xhat)}, or {@code null}
     * @param dBeta  receives {@code sum(dy)}, or {@code null}
     */
    public static DoubleTensor batchNormTrainingBackward(
            DoubleTensor x, double[] gamma, BatchNormResult fwd, DoubleTensor dy, double[] dGamma, double[] dBeta) {
        int c = x.lastDim();
        double[] xs = x.data();
        double[] g = dy.data();
        double[] mean = fwd.mean();
        double[] invStd = fwd.invStd();
        int m = fwd.count();
        double[] sumDy = new double[c];
        double[] sumDyXhat = new double[c];
        for (int p = 0; p < xs.length; p += c) {
            for (int k = 0; k < c; k++) {
                double xhat = (xs[p + k] - mean[k]) * invStd[k];
                sumDy[k] += g[p + k];
                sumDyXhat[k] += g[p + k] * xhat;
            }
        }
        double[] dx = new double[xs.length];
        for (int p = 0; p < xs.length; p += c) {
            for (int k = 0; k < c; k++) {
                double xhat = (xs[p + k] - mean[k]) * invStd[k];
                // dxhat = dy*gamma; the sums of dxhat are gamma times the sums of dy.
                dx[p + k] = gamma[k] * invStd[k] / m * (m * g[p + k] - sumDy[k] - xhat * sumDyXhat[k]);
            }
        }
        for (int k = 0; k < c; k++) {
            if (dGamma != null) {
                dGamma[k] += sumDyXhat[k];
            }
            if (dBeta != null) {
                dBeta[k] += sumDy[k];
            }
        }
        return new DoubleTensor(x.shape(), dx);
    }

    /** Backward of inference-mode batch normalisation (the statistics are constants). */
    public static DoubleTensor batchNormInferenceBackward(
            DoubleTensor x,
            double[] gamma,
            double[] movingMean,
            double[] movingVariance,
            double epsilon,
            DoubleTensor dy,
            double[] dGamma,
            double[] dBeta) {
        int c = x.lastDim();
        double[] xs = x.data();
        double[] g = dy.data();
        double[] dx = new double[xs.length];
        for (int p = 0; p < xs.length; p += c) {
            for (int k = 0; k < c; k++) {
                double invStd = 1.0 / Math.sqrt(movingVariance[k] + epsilon);
                dx[p + k] = g[p + k] * gamma[k] * invStd;
                if (dGamma != null) {
                    dGamma[k] += g[p + k] * (xs[p + k] - movingMean[k]) * invStd;
                }
                if (dBeta != null) {
                    dBeta[k] += g[p + k];
                }
            }
        }
        return new DoubleTensor(x.shape(), dx);
    }

    // ------------------------------------------------------------------------------ Activations

    /** {@code max(x, 0)}. */
    public static DoubleTensor relu(DoubleTensor x) {
        return leakyRelu(x, 0);
    }

    /** Backward of ReLU: {@code dy} where {@code x > 0}, else 0 (TensorFlow's choice at 0). */
    public static DoubleTensor reluBackward(DoubleTensor x, DoubleTensor dy) {
        return leakyReluBackward(x, 0, dy);
    }

    /** {@code x} for {@code x >= 0}, {@code alpha*x} otherwise. */
    public static DoubleTensor leakyRelu(DoubleTensor x, double alpha) {
        double[] xs = x.data();
        double[] y = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            y[i] = xs[i] >= 0 ? xs[i] : alpha * xs[i];
        }
        return new DoubleTensor(x.shape(), y);
    }

    /** Backward of LeakyReLU: {@code dy} where {@code x > 0}, {@code alpha*dy} otherwise. */
    public static DoubleTensor leakyReluBackward(DoubleTensor x, double alpha, DoubleTensor dy) {
        double[] xs = x.data();
        double[] g = dy.data();
        double[] dx = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            dx[i] = xs[i] > 0 ? g[i] : alpha * g[i];
        }
        return new DoubleTensor(x.shape(), dx);
    }

    /** Hyperbolic tangent. */
    public static DoubleTensor tanh(DoubleTensor x) {
        double[] xs = x.data();
        double[] y = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            y[i] = Math.tanh(xs[i]);
        }
        return new DoubleTensor(x.shape(), y);
    }

    /** Backward of tanh from its output: {@code dy * (1 - y^2)}. */
    public static DoubleTensor tanhBackward(DoubleTensor y, DoubleTensor dy) {
        double[] ys = y.data();
        double[] g = dy.data();
        double[] dx = new double[ys.length];
        for (int i = 0; i < ys.length; i++) {
            dx[i] = g[i] * (1 - ys[i] * ys[i]);
        }
        return new DoubleTensor(y.shape(), dx);
    }

    /** Logistic sigmoid {@code 1/(1+exp(-x))}, evaluated without overflow. */
    public static DoubleTensor sigmoid(DoubleTensor x) {
        double[] xs = x.data();
        double[] y = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            y[i] = sigmoid(xs[i]);
        }
        return new DoubleTensor(x.shape(), y);
    }

    /** Logistic sigmoid of one value. */
    public static double sigmoid(double v) {
        if (v >= 0) {
            return 1.0 / (1.0 + Math.exp(-v));
        }
        double e = Math.exp(v);
        return e / (1.0 + e);
    }

    /** Backward of sigmoid from its output: {@code dy * y * (1 - y)}. */
    public static DoubleTensor sigmoidBackward(DoubleTensor y, DoubleTensor dy) {
        double[] ys = y.data();
        double[] g = dy.data();
        double[] dx = new double[ys.length];
        for (int i = 0; i < ys.length; i++) {
            dx[i] = g[i] * ys[i] * (1 - ys[i]);
        }
        return new DoubleTensor(y.shape(), dx);
    }

    /** Softmax over the last axis (the maximum is subtracted first). */
    public static DoubleTensor softmax(DoubleTensor x) {
        int c = x.lastDim();
        double[] xs = x.data();
        double[] y = new double[xs.length];
        for (int p = 0; p < xs.length; p += c) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                max = Math.max(max, xs[p + k]);
            }
            double sum = 0;
            for (int k = 0; k < c; k++) {
                y[p + k] = Math.exp(xs[p + k] - max);
                sum += y[p + k];
            }
            for (int k = 0; k < c; k++) {
                y[p + k] /= sum;
            }
        }
        return new DoubleTensor(x.shape(), y);
    }

    /** Backward of softmax from its output: {@code dx = y * (dy - sum_k dy_k y_k)} per row. */
    public static DoubleTensor softmaxBackward(DoubleTensor y, DoubleTensor dy) {
        int c = y.lastDim();
        double[] ys = y.data();
        double[] g = dy.data();
        double[] dx = new double[ys.length];
        for (int p = 0; p < ys.length; p += c) {
            double dot = 0;
            for (int k = 0; k < c; k++) {
                dot += g[p + k] * ys[p + k];
            }
            for (int k = 0; k < c; k++) {
                dx[p + k] = ys[p + k] * (g[p + k] - dot);
            }
        }
        return new DoubleTensor(y.shape(), dx);
    }

    /**
     * Inverted dropout with a caller-supplied keep mask (values 0 or {@code 1/(1-rate)}, NHWC per example):
     * {@code y = x * mask}. The backward pass is {@code dx = dy * mask}, i.e. this same method.
     */
    public static DoubleTensor dropout(DoubleTensor x, float[] mask) {
        double[] xs = x.data();
        if (mask.length != xs.length) {
            throw new IllegalArgumentException("dropout mask has " + mask.length + " values, expected " + xs.length
                    + " for a batch of shape " + Arrays.toString(x.shape()));
        }
        double[] y = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            y[i] = xs[i] * mask[i];
        }
        return new DoubleTensor(x.shape(), y);
    }

    // ---------------------------------------------------------------------------------- helpers

    private static void checkLength(String what, double[] a, int expected) {
        if (a.length != expected) {
            throw new IllegalArgumentException(what + " has " + a.length + " values, expected " + expected);
        }
    }

    private static void checkLabel(int[] labels, int index, int classes) {
        if (labels[index] < 0 || labels[index] >= classes) {
            throw new IllegalArgumentException(
                    "label " + labels[index] + " at index " + index + " is out of range [0, " + classes + ")");
        }
    }
}
