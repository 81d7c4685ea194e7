package dev.acgan.tck.oracle;

import dev.acgan.api.spec.Padding;

/**
 * The geometry of one 2-D convolution in the TensorFlow sense, seen from the convolution's side:
 * a {@code [inH, inW, inC]} input is convolved with a {@code [kH, kW, inC, outC]} kernel into a
 * {@code [outH, outW, outC]} output. Output position {@code (oh, ow)} reads input rows
 * {@code oh*strideH - padTop + i} for {@code i in [0, kH)} (and likewise columns); positions outside the
 * input read zero.
 *
 * <p>A transposed convolution is described by the geometry of the convolution it is the gradient of:
 * its <em>output</em> is this geometry's input side and its <em>input</em> this geometry's output side.
 *
 * <p>Padding follows TensorFlow: 'valid' pads nothing and has {@code out = ceil((in - k + 1) / stride)};
 * 'same' has {@code out = ceil(in / stride)} and pads {@code max((out-1)*stride + k - in, 0)} in total,
 * {@code floor(total/2)} before and the rest after.
 *
 * @param inH     convolution input height
 * @param inW     convolution input width
 * @param inC     convolution input channels
 * @param outH    convolution output height
 * @param outW    convolution output width
 * @param outC    convolution output channels
 * @param kernelH kernel height
 * @param kernelW kernel width
 * @param strideH vertical stride
 * @param strideW horizontal stride
 * @param padTop  zero rows before the input
 * @param padLeft zero columns before the input
 */
public record ConvGeometry(
        int inH,
        int inW,
        int inC,
        int outH,
        int outW,
        int outC,
        int kernelH,
        int kernelW,
        int strideH,
        int strideW,
        int padTop,
        int padLeft) {

    /**
     * The geometry of a Conv2D layer.
     *
     * @param inH     input height
     * @param inW     input width
     * @param inC     input channels
     * @param filters output channels
     * @param kernelH kernel height
     * @param kernelW kernel width
     * @param strideH vertical stride
     * @param strideW horizontal stride
     * @param padding 'same' or 'valid'
     */
    public static ConvGeometry conv2d(
            int inH,
            int inW,
            int inC,
            int filters,
            int kernelH,
            int kernelW,
            int strideH,
            int strideW,
            Padding padding) {
        int outH = convOutputSize(inH, kernelH, strideH, padding);
        int outW = convOutputSize(inW, kernelW, strideW, padding);
        return new ConvGeometry(
                inH,
                inW,
                inC,
                outH,
                outW,
                filters,
                kernelH,
                kernelW,
                strideH,
                strideW,
                padBefore(inH, outH, kernelH, strideH, padding),
                padBefore(inW, outW, kernelW, strideW, padding));
    }

    /**
     * The geometry of a pooling layer: a {@code poolH x poolW} window moving over a {@code [inH, inW, c]}
     * input as a convolution's kernel would, channels unchanged ({@code inC == outC == c}).
     *
     * @param inH     input height
     * @param inW     input width
     * @param c       channels
     * @param poolH   window height
     * @param poolW   window width
     * @param strideH vertical stride
     * @param strideW horizontal stride
     * @param padding 'same' or 'valid'
     */
    public static ConvGeometry pool(
            int inH, int inW, int c, int poolH, int poolW, int strideH, int strideW, Padding padding) {
        return conv2d(inH, inW, c, c, poolH, poolW, strideH, strideW, padding);
    }

    /**
     * The geometry of the convolution whose input-gradient a Conv2DTranspose layer computes. The layer maps
     * {@code [h, w, c]} to {@code [h', w', filters]} with {@code h' = h*stride} ('same') or
     * {@code (h-1)*stride + k} ('valid'); the returned geometry has input side {@code [h', w', filters]} and
     * output side {@code [h, w, c]}, with padding computed for that convolution from {@code h'}.
     *
     * @param inH     transposed layer input height
     * @param inW     transposed layer input width
     * @param inC     transposed layer input channels
     * @param filters transposed layer output channels
     * @param kernelH kernel height
     * @param kernelW kernel width
     * @param strideH vertical stride
     * @param strideW horizontal stride
     * @param padding 'same' or 'valid'
     */
    public static ConvGeometry conv2dTranspose(
            int inH,
            int inW,
            int inC,
            int filters,
            int kernelH,
            int kernelW,
            int strideH,
            int strideW,
            Padding padding) {
        int bigH = transposeOutputSize(inH, kernelH, strideH, padding);
        int bigW = transposeOutputSize(inW, kernelW, strideW, padding);
        if (convOutputSize(bigH, kernelH, strideH, padding) != inH
                || convOutputSize(bigW, kernelW, strideW, padding) != inW) {
            throw new IllegalStateException("transposed convolution sizes are inconsistent");
        }
        return new ConvGeometry(
                bigH,
                bigW,
                filters,
                inH,
                inW,
                inC,
                kernelH,
                kernelW,
                strideH,
                strideW,
                padBefore(bigH, inH, kernelH, strideH, padding),
                padBefore(bigW, inW, kernelW, strideW, padding));
    }

    /** TensorFlow's convolution output size: ceil(in/stride) for 'same', ceil((in-k+1)/stride) for 'valid'. */
    public static int convOutputSize(int in, int kernel, int stride, Padding padding) {
        int span = padding == Padding.SAME ? in : in - kernel + 1;
        if (span <= 0) {
            throw new IllegalArgumentException(
                    "input size " + in + " is smaller than kernel " + kernel + " with 'valid' padding");
        }
        return (span + stride - 1) / stride;
    }

    /** The output size of a transposed convolution: in*stride ('same') or (in-1)*stride + k ('valid'). */
    public static int transposeOutputSize(int in, int kernel, int stride, Padding padding) {
        return padding == Padding.SAME ? in * stride : (in - 1) * stride + kernel;
    }

    /** Total padding of one axis: {@code max((out-1)*stride + k - in, 0)} for 'same', 0 for 'valid'. */
    public static int padTotal(int in, int out, int kernel, int stride, Padding padding) {
        return padding == Padding.SAME ? Math.max((out - 1) * stride + kernel - in, 0) : 0;
    }

    /** Padding before (top or left): {@code floor(total/2)}; the remainder goes after. */
    public static int padBefore(int in, int out, int kernel, int stride, Padding padding) {
        return padTotal(in, out, kernel, stride, padding) / 2;
    }

    /** Values in the kernel, {@code kH*kW*inC*outC}. */
    public int kernelSize() {
        return kernelH * kernelW * inC * outC;
    }

    /** Values per example on the input side. */
    public int inSize() {
        return inH * inW * inC;
    }

    /** Values per example on the output side. */
    public int outSize() {
        return outH * outW * outC;
    }
}
