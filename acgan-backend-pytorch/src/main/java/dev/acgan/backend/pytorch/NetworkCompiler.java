package dev.acgan.backend.pytorch;

import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.InferredNetwork.InferredNode;
import dev.acgan.api.spec.LayerSpec;
import dev.acgan.api.spec.LayerSpec.BatchNorm;
import dev.acgan.api.spec.LayerSpec.Concat;
import dev.acgan.api.spec.LayerSpec.Conv2D;
import dev.acgan.api.spec.LayerSpec.Conv2DTranspose;
import dev.acgan.api.spec.LayerSpec.Dense;
import dev.acgan.api.spec.LayerSpec.Dropout;
import dev.acgan.api.spec.LayerSpec.Embedding;
import dev.acgan.api.spec.LayerSpec.Flatten;
import dev.acgan.api.spec.LayerSpec.LeakyRelu;
import dev.acgan.api.spec.LayerSpec.MaxPool2D;
import dev.acgan.api.spec.LayerSpec.Multiply;
import dev.acgan.api.spec.LayerSpec.OneHot;
import dev.acgan.api.spec.LayerSpec.RepeatSpatial;
import dev.acgan.api.spec.LayerSpec.Reshape;
import dev.acgan.api.spec.LayerSpec.Sigmoid;
import dev.acgan.api.spec.LayerSpec.Softmax;
import dev.acgan.api.spec.LayerSpec.Tanh;
import dev.acgan.api.spec.LayerSpec.UpSampling2D;
import dev.acgan.api.spec.Padding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Runs one network of a spec eagerly on libtorch, in the canonical NHWC layout, over the model's parameter tensors
 * (canonical shapes, so canonical weights are used as they are). Autograd records the pass when a parameter requires
 * gradients, so the same code serves inference, loss evaluation and training.
 *
 * <p>libtorch computes convolutions and pooling in NCHW: an NHWC activation is handed over as its permuted view
 * (which is NCHW in channels-last memory, oneDNN's preferred layout, so no copy is made) and the result permuted
 * back. TensorFlow's 'same' padding, which puts the odd pixel after, is an explicit {@code constant_pad_nd} before
 * the op (zeros for convolutions, minus infinity for max-pooling, so that padding never wins); a transposed
 * convolution is computed unpadded, as one stride-1 convolution over its stride phases (or libtorch's
 * {@code conv_transpose2d}: {@link TransposedForm}), and cropped (or zero-extended) to the spec's output size, which
 * is exactly TensorFlow's {@code Conv2DBackpropInput}.
 */
final class NetworkCompiler {

    private final InferredNetwork net;
    private final Map<String, Tensor> parameters;
    private final boolean bf16;
    private final TransposedForm transposedForm;

    /** The system property that picks how transposed convolutions are computed: {@link TransposedForm}. */
    static final String TRANSPOSED_PROPERTY = "acgan.pytorch.transposedConv";

    /**
     * @param net        the network
     * @param parameters every parameter and statistic by canonical name ({@code <role>/<node>/<param>})
     * @param bf16       compute the convolutions and matrix products on bfloat16 operands
     */
    NetworkCompiler(InferredNetwork net, Map<String, Tensor> parameters, boolean bf16) {
        this.net = net;
        this.parameters = parameters;
        this.bf16 = bf16;
        this.transposedForm = TransposedForm.parse(System.getProperty(TRANSPOSED_PROPERTY), bf16);
    }

    /** The precision this network computes in. */
    dev.acgan.api.model.Precision precision() {
        return bf16 ? dev.acgan.api.model.Precision.BF16 : dev.acgan.api.model.Precision.FP32;
    }

    /** An operand of a convolution or matrix product: itself in fp32, rounded to bfloat16 in bf16. */
    private Tensor narrowed(Tensor x) {
        return bf16 ? x.to(torch.ScalarType.BFloat16) : x;
    }

    /** The result of a convolution or matrix product as float32 (cast back from bfloat16 in bf16). */
    private Tensor widened(Tensor y) {
        return bf16 ? y.to(torch.ScalarType.Float) : y;
    }

    /**
     * One forward pass; every tensor it makes belongs to the caller's {@link org.bytedeco.javacpp.PointerScope}.
     *
     * @param inputs      network inputs ({@code noise}/{@code image} float32, {@code label} int64)
     * @param n           the batch size
     * @param training    BatchNorm on batch statistics and dropout by {@code masks}
     * @param updateStats also update the BatchNorm moving statistics (training only), in place
     * @param masks       keep masks of the Dropout nodes (training), or {@code null} for no dropout
     * @return the output of every node by name
     */
    Map<String, Tensor> forward(
            Map<String, Tensor> inputs, int n, boolean training, boolean updateStats, Map<String, float[]> masks) {
        Map<String, Tensor> values = new LinkedHashMap<>(inputs);
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        for (InferredNode node : net.nodes()) {
            List<Tensor> in = new ArrayList<>();
            for (String src : node.node().inputs()) {
                in.add(values.get(src));
            }
            Tensor out = layer(node, in, n, training, updateStats, masks);
            values.put(node.name(), out);
            outputs.put(node.name(), out);
        }
        return outputs;
    }

    private Tensor param(InferredNode node, String name) {
        Tensor t = parameters.get(net.role() + "/" + node.name() + "/" + name);
        if (t == null) {
            throw new IllegalStateException("no tensor for " + net.role() + "/" + node.name() + "/" + name);
        }
        return t;
    }

    private Tensor layer(
            InferredNode node,
            List<Tensor> in,
            int n,
            boolean training,
            boolean updateStats,
            Map<String, float[]> masks) {
        LayerSpec layer = node.layer();
        int[] outShape = node.outputShape();
        Tensor x = in.get(0);
        if (layer instanceof Dense d) {
            Tensor y = widened(narrowed(x).matmul(narrowed(param(node, "kernel"))));
            return d.useBias() ? y.add(param(node, "bias")) : y;
        }
        if (layer instanceof Embedding) {
            return torch.embedding(param(node, "embeddings"), x);
        }
        if (layer instanceof OneHot o) {
            return torch.one_hot(x, o.depth()).to(torch.ScalarType.Float);
        }
        if (layer instanceof Multiply) {
            Tensor y = x;
            for (int k = 1; k < in.size(); k++) {
                y = y.mul(in.get(k));
            }
            return y;
        }
        if (layer instanceof Concat) {
            return torch.cat(
                    new TensorVector(in.toArray(new Tensor[0])),
                    node.inputShapes().get(0).length);
        }
        if (layer instanceof Reshape || layer instanceof Flatten) {
            return x.reshape(Feed.withBatch(-1, outShape));
        }
        if (layer instanceof RepeatSpatial r) {
            return x.reshape(-1, 1, 1, outShape[2]).repeat(1, r.height(), r.width(), 1);
        }
        if (layer instanceof Conv2D c) {
            int[] inShape = node.inputShapes().get(0);
            Tensor nchw = samePad(
                    nchw(narrowed(x)),
                    c.padding(),
                    inShape[0],
                    inShape[1],
                    c.kernelH(),
                    c.kernelW(),
                    c.strideH(),
                    c.strideW(),
                    0);
            // The weight contiguous: with oneDNN off, slow_conv2d's backward allocates the weight's gradient in the
            // weight's
            // suggested memory format and then requires it contiguous, and the permuted view of a kernel with one
            // output channel (acgan-hq's last convolution) reads as channels-last. slow_conv2d's forward makes
            // the same copy, so the values are unchanged.
            Tensor kernel = torchKernel(narrowed(param(node, "kernel"))).contiguous();
            long[] stride = {c.strideH(), c.strideW()};
            Tensor y = nhwc(widened(
                    torch.conv2d(nchw, kernel, new TensorOptional(), stride, new long[] {0, 0}, new long[] {1, 1}, 1)));
            return c.useBias() ? y.add(param(node, "bias")) : y;
        }
        if (layer instanceof Conv2DTranspose c) {
            int[] inShape = node.inputShapes().get(0);
            Tensor y = transposedConvolution(
                    x,
                    param(node, "kernel"),
                    c,
                    inShape[0],
                    inShape[1],
                    outShape[0],
                    outShape[1],
                    bf16,
                    transposedForm);
            return c.useBias() ? y.add(param(node, "bias")) : y;
        }
        if (layer instanceof MaxPool2D m) {
            int[] inShape = node.inputShapes().get(0);
            Tensor padded = samePad(
                    nchw(x),
                    m.padding(),
                    inShape[0],
                    inShape[1],
                    m.poolH(),
                    m.poolW(),
                    m.strideH(),
                    m.strideW(),
                    Double.NEGATIVE_INFINITY);
            return nhwc(torch.max_pool2d(
                    padded,
                    new long[] {m.poolH(), m.poolW()},
                    new long[] {m.strideH(), m.strideW()},
                    new long[] {0, 0},
                    new long[] {1, 1},
                    false));
        }
        if (layer instanceof UpSampling2D u) {
            // nearest neighbour, exact: each value copied factorH x factorW times through a [n, h, 1, w, 1, c]
            // view; autograd's gradient of repeat sums the copies
            int[] inShape = node.inputShapes().get(0);
            return x.reshape(-1, inShape[0], 1, inShape[1], 1, inShape[2])
                    .repeat(1, 1, u.factorH(), 1, u.factorW(), 1)
                    .reshape(Feed.withBatch(-1, outShape));
        }
        if (layer instanceof BatchNorm b) {
            return batchNorm(node, b, x, training, updateStats);
        }
        if (layer instanceof LayerSpec.Relu) {
            return x.relu();
        }
        if (layer instanceof LeakyRelu l) {
            return torch.leaky_relu(x, Feed.scalar(l.alpha()));
        }
        if (layer instanceof Tanh) {
            return x.tanh();
        }
        if (layer instanceof Sigmoid) {
            return x.sigmoid();
        }
        if (layer instanceof Softmax) {
            return x.softmax(-1);
        }
        if (layer instanceof Dropout) {
            if (!training) {
                return x;
            }
            Tensor mask = Feed.mask(masks, node.name(), n, outShape);
            return mask == null ? x : x.mul(mask);
        }
        throw new IllegalArgumentException("the PyTorch backend cannot compile layer " + layer + " (node '"
                + node.name() + "' of the " + net.role() + ")");
    }

    /**
     * A Conv2DTranspose of an NHWC {@code x} with a {@code [kH, kW, out, in]} kernel, cropped (or zero-extended) to
     * the spec's output size exactly as TensorFlow's {@code Conv2DBackpropInput}; the result is float32 NHWC. In bf16
     * both operands are rounded to bfloat16 first.
     *
     * <p>{@link TransposedForm#DIRECT} is libtorch's {@code conv_transpose2d}, unpadded, then cropped.
     * {@link TransposedForm#SUBPIXEL} computes the same sums as one stride-1 convolution (oneDNN's brgemm kernels, on
     * AMX in bf16): output row {@code q s + p} of the unpadded transposed convolution is {@code sum_j x[q - j]
     * k[j s + p]}, a correlation of {@code x} with the taps {@code k[p::s]} reversed. The kernel is zero-extended to a
     * multiple of the stride ({@code m = ceil(k / s)} taps per phase), split into its {@code sH sW} phases, reversed
     * and stacked as {@code sH sW out} output channels, all by differentiable views and one copy, so that autograd
     * gives the kernel's gradient. Only the phase rows {@code q} whose output rows {@code q s + p} meet the spec's
     * window are computed: the input is zero-padded (or cropped) to them explicitly and convolved unpadded, the
     * {@code sH sW} phases are interleaved by one copy and the result is cropped to the window (a view). Rows past the
     * unpadded output come out as zeros, so kernels smaller than the stride need no special case.
     * {@link TransposedForm#PHASE} runs one convolution per phase with exactly its taps ({@link #phaseConvolutions}):
     * the multiply-adds of the direct form, where the sub-pixel one does up to {@code m^2 s^2 / k^2} times as many
     * plus the rows past the window. A stride of 1 in both directions always takes the direct form: as a convolution
     * it would run over the output's {@code (H + k - 1)^2} positions where the transposed convolution scatters from
     * the input's {@code H^2} (acgan-mnist's first layer, 3x3 to 7x7, was several times slower so).
     */
    static Tensor transposedConvolution(
            Tensor x,
            Tensor kernel,
            Conv2DTranspose c,
            int inH,
            int inW,
            int outH,
            int outW,
            boolean bf16,
            TransposedForm form) {
        int kh = c.kernelH();
        int kw = c.kernelW();
        int sh = c.strideH();
        int sw = c.strideW();
        long top = c.padding() == Padding.SAME ? Math.max(kh - sh, 0) / 2 : 0;
        long left = c.padding() == Padding.SAME ? Math.max(kw - sw, 0) / 2 : 0;
        Tensor xb = bf16 ? x.to(torch.ScalarType.BFloat16) : x;
        Tensor kb = bf16 ? kernel.to(torch.ScalarType.BFloat16) : kernel;
        if (form == TransposedForm.DIRECT || (sh == 1 && sw == 1)) {
            // Unpadded, then cropped: libtorch's conv_transpose2d with its own padding is not used (an earlier
            // version saw wrong oneDNN results with it; unpadded, the TCK passes in fp32 and bf16).
            Tensor full = torch.conv_transpose2d(
                    nchw(xb),
                    torchKernel(kb),
                    new TensorOptional(),
                    new long[] {sh, sw},
                    new long[] {0, 0},
                    new long[] {0, 0},
                    1,
                    1,
                    1);
            if (bf16) {
                full = full.to(torch.ScalarType.Float);
            }
            long fullH = (long) (inH - 1) * sh + kh;
            long fullW = (long) (inW - 1) * sw + kw;
            long bottom = outH - fullH + top;
            long right = outW - fullW + left;
            Tensor cropped = top == 0 && left == 0 && bottom == 0 && right == 0
                    ? full
                    : torch.constant_pad_nd(full, -left, right, -top, bottom);
            return nhwc(cropped);
        }
        long outC = kernel.size(2);
        long inC = kernel.size(3);
        if (form == TransposedForm.PHASE && outH % sh == 0 && outW % sw == 0 && kh >= sh && kw >= sw) {
            return phaseConvolutions(xb, kb, kh, kw, sh, sw, top, left, inH, inW, outH / sh, outW / sw, outC, bf16);
        }
        int mh = ceilDiv(kh, sh);
        int mw = ceilDiv(kw, sw);
        if (mh * sh != kh || mw * sw != kw) {
            kb = torch.constant_pad_nd(kb, new long[] {0, 0, 0, 0, 0, (long) mw * sw - kw, 0, (long) mh * sh - kh});
        }
        // [mh, sh, mw, sw, out, in] -> taps reversed -> [sh, sw, out, in, mh, mw] -> OIHW with sh sw out channels
        Tensor weight = kb.reshape(mh, sh, mw, sw, outC, inC)
                .flip(0, 2)
                .permute(1, 3, 4, 5, 0, 2)
                .reshape((long) sh * sw * outC, inC, mh, mw);
        // Only the phase rows q that reach the spec's window: output row o = q s + p for o in [top, top + outH).
        long qh0 = top / sh;
        long qh1 = (top + outH - 1) / sh;
        long qw0 = left / sw;
        long qw1 = (left + outW - 1) / sw;
        long rows = qh1 - qh0 + 1;
        long cols = qw1 - qw0 + 1;
        // Padded explicitly (negative: cropped), the convolution itself unpadded, as Conv2D does: oneDNN's fp32
        // weight gradient of a padded convolution of this shape ran on jit:avx2, not avx512_core.
        Tensor padded =
                torch.constant_pad_nd(nchw(xb), new long[] {mw - 1 - qw0, qw1 - inW + 1, mh - 1 - qh0, qh1 - inH + 1});
        Tensor phases = nhwc(torch.conv2d(
                padded, weight, new TensorOptional(), new long[] {1, 1}, new long[] {0, 0}, new long[] {1, 1}, 1));
        // [n, rows, cols, sh, sw, out] -> [n, rows, sh, cols, sw, out], copied once (and widened in bf16)
        Tensor interleaved = phases.reshape(-1, rows, cols, sh, sw, outC).permute(0, 1, 3, 2, 4, 5);
        interleaved = bf16
                ? interleaved.to(
                        torch.ScalarType.Float,
                        false,
                        false,
                        new org.bytedeco.pytorch.MemoryFormatOptional(torch.MemoryFormat.Contiguous))
                : interleaved.contiguous();
        Tensor full = interleaved.reshape(-1, rows * sh, cols * sw, outC);
        long dh = top - qh0 * sh;
        long dw = left - qw0 * sw;
        boolean exact = dh == 0 && dw == 0 && rows * sh == outH && cols * sw == outW;
        return exact ? full : full.narrow(1, dh, outH).narrow(2, dw, outW);
    }

    /**
     * The phase form as {@code sH sW} convolutions, one per output phase with exactly its own taps (no zero taps),
     * each over exactly its {@code u x v} output rows and columns, stacked and interleaved. Output row {@code top + a
     * + s i} ({@code a < s}) is phase {@code p = (top + a) mod s}, row {@code q = (top + a) div s + i} of it.
     */
    private static Tensor phaseConvolutions(
            Tensor xb,
            Tensor kb,
            int kh,
            int kw,
            int sh,
            int sw,
            long top,
            long left,
            int inH,
            int inW,
            long u,
            long v,
            long outC,
            boolean bf16) {
        Tensor[] parts = new Tensor[sh * sw];
        Tensor x = nchw(xb);
        for (int a = 0; a < sh; a++) {
            long ph = (top + a) % sh;
            long qh = (top + a) / sh;
            long mh = ceilDiv((int) (kh - ph), sh);
            for (int b = 0; b < sw; b++) {
                long pw = (left + b) % sw;
                long qw = (left + b) / sw;
                long mw = ceilDiv((int) (kw - pw), sw);
                // taps k[p::s], reversed, as an OIHW kernel
                Tensor w = kb.slice(
                                0,
                                new org.bytedeco.pytorch.LongOptional(ph),
                                new org.bytedeco.pytorch.LongOptional(),
                                sh)
                        .slice(
                                1,
                                new org.bytedeco.pytorch.LongOptional(pw),
                                new org.bytedeco.pytorch.LongOptional(),
                                sw)
                        .flip(0, 1)
                        .permute(2, 3, 0, 1)
                        .contiguous();
                Tensor padded =
                        torch.constant_pad_nd(x, new long[] {mw - 1 - qw, qw + v - inW, mh - 1 - qh, qh + u - inH});
                parts[a * sw + b] = nhwc(torch.conv2d(
                        padded, w, new TensorOptional(), new long[] {1, 1}, new long[] {0, 0}, new long[] {1, 1}, 1));
            }
        }
        // [n, u, v, sh sw, out] -> [n, u, sh, v, sw, out]
        Tensor interleaved = torch.stack(new TensorVector(parts), 3)
                .reshape(-1, u, v, sh, sw, outC)
                .permute(0, 1, 3, 2, 4, 5);
        interleaved = bf16
                ? interleaved.to(
                        torch.ScalarType.Float,
                        false,
                        false,
                        new org.bytedeco.pytorch.MemoryFormatOptional(torch.MemoryFormat.Contiguous))
                : interleaved.contiguous();
        return interleaved.reshape(-1, u * sh, v * sw, outC);
    }

    /**
     * How a Conv2DTranspose is computed: system property {@value #TRANSPOSED_PROPERTY} ({@code auto}, the default:
     * {@link #PHASE} in bf16, {@link #DIRECT} in fp32, the faster of each in interleaved A/B runs on an AMX Xeon).
     * Every form computes the same sums; a stride of 1 in both directions always runs direct.
     */
    enum TransposedForm {
        /** libtorch's {@code conv_transpose2d}, unpadded, then cropped. */
        DIRECT,
        /** One stride-1 convolution with {@code sH sW out} output channels (zero taps where a phase has fewer). */
        SUBPIXEL,
        /**
         * One stride-1 convolution per stride phase, exactly its taps and output rows, interleaved; where the spec's
         * output size is not a multiple of the stride or the kernel is smaller than it, {@link #SUBPIXEL}.
         */
        PHASE;

        /** The form named by {@code value} ({@code auto}, {@code direct}, {@code subpixel} or {@code phase}). */
        static TransposedForm parse(String value, boolean bf16) {
            String v = value == null || value.isBlank() ? "auto" : value.trim().toLowerCase(java.util.Locale.ROOT);
            return switch (v) {
                case "auto" -> bf16 ? PHASE : DIRECT;
                case "direct" -> DIRECT;
                case "subpixel" -> SUBPIXEL;
                case "phase" -> PHASE;
                default ->
                    throw new IllegalArgumentException("system property " + TRANSPOSED_PROPERTY + "='" + value
                            + "': expected auto, direct, subpixel or phase");
            };
        }
    }

    /** NHWC to libtorch's NCHW: a permuted view, channels-last in memory. */
    private static Tensor nchw(Tensor x) {
        return x.permute(0, 3, 1, 2);
    }

    /** NCHW back to NHWC. */
    private static Tensor nhwc(Tensor x) {
        return x.permute(0, 2, 3, 1);
    }

    /**
     * A canonical kernel as libtorch's weight: Conv2D {@code [kH, kW, in, out]} to {@code [out, in, kH, kW]}, and
     * Conv2DTranspose {@code [kH, kW, out, in]} to {@code conv_transpose2d}'s {@code [in, out, kH, kW]}: the same
     * permutation. Neither is flipped: both TensorFlow's and libtorch's transposed convolutions are the gradient of
     * the convolution with that weight.
     */
    private static Tensor torchKernel(Tensor kernel) {
        return kernel.permute(3, 2, 0, 1);
    }

    /**
     * TensorFlow's 'same' padding of an NCHW tensor for a window {@code k} and stride {@code s}: a total of
     * {@code max((ceil(size/s) - 1) s + k - size, 0)} per axis, the smaller half before. 'valid' is unpadded.
     */
    private static Tensor samePad(
            Tensor x, Padding padding, int h, int w, int kh, int kw, int sh, int sw, double value) {
        if (padding != Padding.SAME) {
            return x;
        }
        int totalH = Math.max((ceilDiv(h, sh) - 1) * sh + kh - h, 0);
        int totalW = Math.max((ceilDiv(w, sw) - 1) * sw + kw - w, 0);
        if (totalH == 0 && totalW == 0) {
            return x;
        }
        return torch.constant_pad_nd(
                x, new long[] {totalW / 2, totalW - totalW / 2, totalH / 2, totalH - totalH / 2}, Feed.scalar(value));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private Tensor batchNorm(InferredNode node, BatchNorm b, Tensor x, boolean training, boolean updateStats) {
        Tensor gamma = param(node, "gamma");
        Tensor beta = param(node, "beta");
        Tensor movingMean = param(node, "moving_mean");
        Tensor movingVar = param(node, "moving_variance");
        Tensor mean;
        Tensor variance;
        if (training) {
            long[] axes = new long[node.outputShape().length];
            for (int k = 0; k < axes.length; k++) {
                axes[k] = k;
            }
            mean = x.mean(axes, false, new org.bytedeco.pytorch.ScalarTypeOptional());
            variance = x.sub(mean).square().mean(axes, false, new org.bytedeco.pytorch.ScalarTypeOptional());
            if (updateStats) {
                // The moving variance takes the unbiased batch variance, var * n/(n-1), with factor 1 when n = 1.
                int channels = node.outputShape()[node.outputShape().length - 1];
                double count = (double) x.numel() / channels;
                double correction = count / Math.max(count - 1, 1);
                try (NoGradGuard noGrad = new NoGradGuard()) {
                    movingMean
                            .mul_(Feed.scalar(b.momentum()))
                            .add_(mean.detach().mul(Feed.scalar(1 - b.momentum())));
                    movingVar
                            .mul_(Feed.scalar(b.momentum()))
                            .add_(variance.detach().mul(Feed.scalar((1 - b.momentum()) * correction)));
                }
            }
        } else {
            mean = movingMean;
            variance = movingVar;
        }
        Tensor scale = gamma.mul(variance.add(Feed.scalar(b.epsilon())).rsqrt());
        return x.sub(mean).mul(scale).add(beta);
    }
}
