package dev.acgan.backend.nd4j;

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
import dev.acgan.api.spec.LayerSpec.Relu;
import dev.acgan.api.spec.LayerSpec.RepeatSpatial;
import dev.acgan.api.spec.LayerSpec.Reshape;
import dev.acgan.api.spec.LayerSpec.Sigmoid;
import dev.acgan.api.spec.LayerSpec.Softmax;
import dev.acgan.api.spec.LayerSpec.Tanh;
import dev.acgan.api.spec.LayerSpec.UpSampling2D;
import dev.acgan.api.spec.Padding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.DataFormat;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compiles one network of a spec into SameDiff ops over shared parameter variables, in the canonical
 * NHWC layout, so canonical weights are used as they are (see {@link Layouts}). The same network can
 * be compiled several times into one or more SameDiff instances (training and inference mode,
 * different inputs).
 *
 * <p>Conventions: the network input {@code label} arrives as a one-hot float matrix {@code [n, classes]}
 * (an Embedding is that matrix times the table, which avoids SameDiff's gather, whose gradient breaks
 * when a graph differentiates more than one); Dropout multiplies by a fed keep mask (SameDiff's dropout
 * op has no gradient); training-mode BatchNorm exposes its batch statistics as outputs so the caller can
 * update the moving statistics after the step.
 */
final class NetworkCompiler {

    /** Batch statistics of one training-mode BatchNorm node (biased variance). */
    record BatchStats(InferredNode node, SDVariable mean, SDVariable variance) {
        /** Values per channel for a batch of {@code n}: batch times spatial positions. */
        int count(int n) {
            int[] s = node.outputShape();
            int per = 1;
            for (int k = 0; k < s.length - 1; k++) {
                per *= s[k];
            }
            return n * per;
        }
    }

    /** The variables of one compiled pass. */
    static final class Pass {
        final Map<String, SDVariable> outputs = new LinkedHashMap<>();
        final Map<String, SDVariable> masks = new LinkedHashMap<>();
        final Map<String, int[]> maskShapes = new LinkedHashMap<>();
        final List<BatchStats> statistics = new ArrayList<>();

        SDVariable output(InferredNetwork net, String role) {
            return outputs.get(net.spec().outputs().get(role));
        }
    }

    /** How transposed convolutions are computed. */
    enum DeconvMode {
        /**
         * SameDiff's deconv2d for stride-1 'valid' layers (no padding question, and 3x faster than a
         * stride-1 convolution over the zero-padded input), {@link TransposedConv} otherwise (strided
         * layers are 3-4x faster that way under oneDNN, and every padding is exact). The default.
         */
        AUTO,
        /** One stride-1 convolution and a phase interleave ({@link TransposedConv}) for every layer. */
        PHASE,
        /** SameDiff's deconv2d for every layer (slow for strided layers; kept for comparison). */
        NATIVE;

        static DeconvMode fromSystemProperty() {
            return switch (System.getProperty("acgan.nd4j.deconv", "auto").toLowerCase(java.util.Locale.ROOT)) {
                case "phase" -> PHASE;
                case "native" -> NATIVE;
                default -> AUTO;
            };
        }

        boolean nativeFor(Conv2DTranspose c) {
            return this == NATIVE
                    || (this == AUTO && c.strideH() == 1 && c.strideW() == 1 && c.padding() == Padding.VALID);
        }
    }

    private final SameDiff sd;
    private final InferredNetwork net;
    private final Map<String, SDVariable> params;
    private final Consumer<INDArray> owned;
    private final DeconvMode deconvMode;
    private final boolean wide3x3;
    /** Outputs of {@link #timesSlope} by name, for a Dropout to fold its mask into the slope. */
    private final Map<String, Sloped> slopes = new HashMap<>();

    /** {@code input * slope}, kept apart. */
    private record Sloped(SDVariable input, SDVariable slope) {}

    /**
     * @param sd     the SameDiff instance to add ops to
     * @param net    the network
     * @param params parameter variables of this SameDiff instance, by canonical name
     * @param owned  receives every constant array created here (closed with the model)
     */
    NetworkCompiler(SameDiff sd, InferredNetwork net, Map<String, SDVariable> params, Consumer<INDArray> owned) {
        this(sd, net, params, owned, WinogradAvoidance.widen());
    }

    /** As above, with the choice of {@link WinogradAvoidance} made by the caller (tests compare both). */
    NetworkCompiler(
            SameDiff sd,
            InferredNetwork net,
            Map<String, SDVariable> params,
            Consumer<INDArray> owned,
            boolean wide3x3) {
        this.sd = sd;
        this.net = net;
        this.params = params;
        this.owned = owned;
        this.deconvMode = DeconvMode.fromSystemProperty();
        this.wide3x3 = wide3x3;
    }

    /**
     * Builds one forward pass.
     *
     * @param scope    prefix of the pass's placeholder names
     * @param inputs   network inputs ({@code noise}/{@code image} float, {@code label} one-hot float)
     * @param training BatchNorm on batch statistics and dropout masks fed as placeholders
     */
    Pass build(String scope, Map<String, SDVariable> inputs, boolean training) {
        Pass pass = new Pass();
        Map<String, SDVariable> values = new LinkedHashMap<>(inputs);
        for (InferredNode node : net.nodes()) {
            List<SDVariable> in = new ArrayList<>();
            for (String src : node.node().inputs()) {
                in.add(values.get(src));
            }
            SDVariable out = layer(scope, node, in, training, pass);
            values.put(node.name(), out);
            pass.outputs.put(node.name(), out);
        }
        return pass;
    }

    private SDVariable param(InferredNode node, String name) {
        SDVariable v = params.get(net.role() + "/" + node.name() + "/" + name);
        if (v == null) {
            throw new IllegalStateException("no variable for " + net.role() + "/" + node.name() + "/" + name);
        }
        return v;
    }

    private SDVariable constant(INDArray a) {
        owned.accept(a);
        return sd.constant(a);
    }

    private SDVariable layer(String scope, InferredNode node, List<SDVariable> in, boolean training, Pass pass) {
        LayerSpec layer = node.layer();
        int[] outShape = node.outputShape();
        SDVariable x = in.get(0);
        if (layer instanceof Dense d) {
            SDVariable y = x.mmul(param(node, "kernel"));
            return d.useBias() ? sd.nn.biasAdd(y, param(node, "bias"), false) : y;
        }
        if (layer instanceof Embedding) {
            return x.mmul(param(node, "embeddings"));
        }
        if (layer instanceof OneHot) {
            return sd.identity(x);
        }
        if (layer instanceof Multiply) {
            SDVariable y = x;
            for (int k = 1; k < in.size(); k++) {
                y = y.mul(in.get(k));
            }
            return y;
        }
        if (layer instanceof Concat) {
            return sd.concat(node.inputShapes().get(0).length, in.toArray(new SDVariable[0]));
        }
        if (layer instanceof Reshape || layer instanceof Flatten) {
            return sd.reshape(x, Layouts.withBatch(-1, outShape));
        }
        if (layer instanceof RepeatSpatial r) {
            SDVariable v = sd.reshape(x, -1, 1, 1, outShape[2]);
            return sd.tile(v, 1, r.height(), r.width(), 1);
        }
        if (layer instanceof Conv2D c) {
            SDVariable bias = c.useBias() ? param(node, "bias") : null;
            if (training && isSame3x3(c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padding())) {
                return same3x3(x, param(node, "kernel"), bias);
            }
            Conv2DConfig cfg = Conv2DConfig.builder()
                    .kH(c.kernelH())
                    .kW(c.kernelW())
                    .sH(c.strideH())
                    .sW(c.strideW())
                    .paddingMode(c.padding() == Padding.SAME ? PaddingMode.SAME : PaddingMode.VALID)
                    .dataFormat(Conv2DConfig.NHWC)
                    .weightsFormat(WeightsFormat.YXIO)
                    .build();
            return bias != null
                    ? sd.cnn.conv2d(x, param(node, "kernel"), bias, cfg)
                    : sd.cnn.conv2d(x, param(node, "kernel"), cfg);
        }
        if (layer instanceof Conv2DTranspose c) {
            SDVariable y = deconvMode.nativeFor(c) ? nativeDeconv(x, node, c) : phaseDeconv(x, node, c, training);
            // biasAdd's backward is a plain channel sum; a broadcasting add's is much slower in SameDiff
            return c.useBias() ? sd.nn.biasAdd(y, param(node, "bias"), false) : y;
        }
        if (layer instanceof MaxPool2D m) {
            Pooling2DConfig cfg = Pooling2DConfig.builder()
                    .kH(m.poolH())
                    .kW(m.poolW())
                    .sH(m.strideH())
                    .sW(m.strideW())
                    .paddingMode(m.padding() == Padding.SAME ? PaddingMode.SAME : PaddingMode.VALID)
                    .isNHWC(true)
                    .build();
            return sd.cnn.maxPooling2d(x, cfg);
        }
        if (layer instanceof UpSampling2D u) {
            return upSampling2d(sd, x, node.inputShapes().get(0), u.factorH(), u.factorW());
        }
        if (layer instanceof BatchNorm b) {
            return batchNorm(node, b, x, training, pass);
        }
        if (layer instanceof Relu) {
            return training ? timesSlope(x, 0) : sd.nn.relu(x, 0);
        }
        if (layer instanceof LeakyRelu l) {
            // the spec keeps alpha in [0, 1), so max(step, alpha) is the slope
            return training ? timesSlope(x, l.alpha()) : sd.nn.leakyRelu(x, l.alpha());
        }
        if (layer instanceof Tanh) {
            return sd.math.tanh(x);
        }
        if (layer instanceof Sigmoid) {
            return sd.nn.sigmoid(x);
        }
        if (layer instanceof Softmax) {
            return sd.nn.softmax(x, outShape.length);
        }
        if (layer instanceof Dropout) {
            if (!training) {
                return x;
            }
            SDVariable mask =
                    sd.placeHolder(scope + ".mask." + node.name(), DataType.FLOAT, Layouts.withBatch(-1, outShape));
            pass.masks.put(node.name(), mask);
            pass.maskShapes.put(node.name(), outShape.clone());
            Sloped sloped = slopes.get(x.name());
            if (sloped != null) {
                // (x*slope)*mask as x*(slope*mask): one multiply to differentiate instead of two (the product
                // of the two constants needs none), the unused x*slope is never run
                return sloped.input().mul(sloped.slope().mul(mask));
            }
            return x.mul(mask);
        }
        throw new IllegalArgumentException("the ND4J backend cannot compile layer " + layer);
    }

    /**
     * A (leaky) ReLU as the input times its slope, 1 where {@code x > 0} and {@code alpha} (in [0, 1))
     * elsewhere, so the backward pass is one multiply. The slope is computed through a boolean
     * comparison, which ends the gradient there. Same values as SameDiff's relu/leakyrelu (but -0 for
     * negative inputs of a ReLU) and TensorFlow's gradient at exactly 0 (alpha). SameDiff's own relu and
     * leakyrelu backward ops are several times slower than a multiply's (10-15 ms each on a [200,7,7,256]
     * activation); with their forward ops they were some 8% of an acgan-mnist training step.
     */
    private SDVariable timesSlope(SDVariable x, double alpha) {
        SDVariable slope = x.gt(0.0).castTo(x.dataType());
        if (alpha > 0) {
            slope = sd.scalarMax(slope, alpha);
        }
        SDVariable y = x.mul(slope);
        slopes.put(y.name(), new Sloped(x, slope));
        return y;
    }

    /** Whether {@link #same3x3} applies: a 3x3 stride-1 'same' convolution, with the policy on. */
    private boolean isSame3x3(int kernelH, int kernelW, int strideH, int strideW, Padding padding) {
        return wide3x3 && kernelH == 3 && kernelW == 3 && strideH == 1 && strideW == 1 && padding == Padding.SAME;
    }

    /**
     * A 3x3 stride-1 'same' convolution (kernel {@code [3, 3, in, out]}) computed with the kernel padded to
     * 3x4 by a zero column on the right, so that oneDNN does not pick its slow Winograd backward (see
     * {@link WinogradAvoidance}). 'Same' padding of a width-4 kernel is one column before and two after
     * (TensorFlow's rule, which libnd4j and oneDNN follow), so the zero column meets the extra padding and
     * every output is the same sum as the 3x3 one. The pad's backward is a slice: the canonical kernel gets
     * exactly the 3x3 gradient.
     */
    private SDVariable same3x3(SDVariable x, SDVariable kernel, SDVariable bias) {
        INDArray pads = Nd4j.createFromArray(new int[][] {{0, 0}, {0, 1}, {0, 0}, {0, 0}});
        SDVariable wide = sd.nn.pad(kernel, constant(pads), 0.0);
        Conv2DConfig cfg = Conv2DConfig.builder()
                .kH(3)
                .kW(4)
                .sH(1)
                .sW(1)
                .paddingMode(PaddingMode.SAME)
                .dataFormat(Conv2DConfig.NHWC)
                .weightsFormat(WeightsFormat.YXIO)
                .build();
        return bias != null ? sd.cnn.conv2d(x, wide, bias, cfg) : sd.cnn.conv2d(x, wide, cfg);
    }

    /** A transposed convolution as one stride-1 convolution plus a phase interleave (exact TF semantics). */
    private SDVariable phaseDeconv(SDVariable x, InferredNode node, Conv2DTranspose c, boolean training) {
        int[] inShape = node.inputShapes().get(0);
        int[] outShape = node.outputShape();
        TransposedConv plan = TransposedConv.plan(c, inShape[0], inShape[1], inShape[2]);
        TransposedConv.Axis h = plan.h();
        TransposedConv.Axis w = plan.w();
        int f = c.filters();
        int ch = inShape[2];
        int taps = c.kernelH() * c.kernelW();
        // Phase kernels [winH, winW, in, sH*sW*out] gathered from the canonical [kH, kW, out, in] kernel.
        SDVariable selection = constant(Layouts.toArray(plan.selection(), plan.rows(), taps));
        SDVariable k = sd.mmul(selection, sd.reshape(param(node, "kernel"), taps, (long) f * ch));
        k = sd.reshape(k, h.window(), w.window(), h.stride(), w.stride(), f, ch);
        k = sd.permute(k, 0, 1, 5, 2, 3, 4);
        k = sd.reshape(k, h.window(), w.window(), ch, (long) plan.phases() * f);

        SDVariable input = x;
        long padH = h.before();
        long padW = w.before();
        if (!plan.symmetricPadding()) {
            INDArray pads = Nd4j.createFromArray(
                    new int[][] {{0, 0}, {h.before(), h.after()}, {w.before(), w.after()}, {0, 0}});
            input = sd.nn.pad(input, constant(pads), 0.0);
            padH = 0;
            padW = 0;
        }
        SDVariable y;
        if (training
                && padH == 1
                && padW == 1
                && h.convLength() == inShape[0]
                && w.convLength() == inShape[1]
                && isSame3x3(h.window(), w.window(), 1, 1, Padding.SAME)) {
            // a 3x3 window padded by one on every side is a 'same' convolution
            y = same3x3(input, k, null);
        } else {
            Conv2DConfig cfg = Conv2DConfig.builder()
                    .kH(h.window())
                    .kW(w.window())
                    .sH(1)
                    .sW(1)
                    .pH(padH)
                    .pW(padW)
                    .paddingMode(PaddingMode.VALID)
                    .dataFormat(Conv2DConfig.NHWC)
                    .weightsFormat(WeightsFormat.YXIO)
                    .build();
            y = sd.cnn.conv2d(input, k, cfg);
        }
        if (h.convLength() > h.phaseLength() || w.convLength() > w.phaseLength()) {
            y = crop(y, h.phaseLength(), w.phaseLength());
        }
        if (plan.phases() > 1 && h.stride() == w.stride()) {
            // channel (rh, rw, f) of cell (q, p) goes to pixel (q*s + rh, p*s + rw): depth_to_space, NHWC
            y = sd.cnn.depthToSpace(y, h.stride(), DataFormat.NHWC);
        } else if (plan.phases() > 1) {
            y = sd.reshape(y, -1, h.phaseLength(), w.phaseLength(), h.stride(), w.stride(), f);
            y = sd.permute(y, 0, 1, 3, 2, 4, 5);
            y = sd.reshape(y, -1, (long) h.phaseLength() * h.stride(), (long) w.phaseLength() * w.stride(), f);
        }
        if (h.phaseLength() * h.stride() > outShape[0] || w.phaseLength() * w.stride() > outShape[1]) {
            y = crop(y, outShape[0], outShape[1]);
        }
        return y;
    }

    /** The top-left {@code [height, width]} of an NHWC tensor. */
    private SDVariable crop(SDVariable y, int height, int width) {
        // Begin and end masks on the batch and channel axes: take them whole.
        return sd.stridedSlice(
                y,
                new long[] {0, 0, 0, 0},
                new long[] {0, height, width, 0},
                new long[] {1, 1, 1, 1},
                0b1001,
                0b1001,
                0,
                0,
                0);
    }

    /** SameDiff's deconv2d, NHWC, kernel [kH, kW, out, in] as canonical. */
    private SDVariable nativeDeconv(SDVariable x, InferredNode node, Conv2DTranspose c) {
        DeConv2DConfig cfg = DeConv2DConfig.builder()
                .kH(c.kernelH())
                .kW(c.kernelW())
                .sH(c.strideH())
                .sW(c.strideW())
                .isSameMode(c.padding() == Padding.SAME)
                .dataFormat(DeConv2DConfig.NHWC)
                .build();
        return sd.cnn.deconv2d(x, param(node, "kernel"), cfg);
    }

    /**
     * Nearest-neighbour up-sampling as copies concatenated along a width axis, then along a height axis:
     * {@code [n, h, w, 1, c]} to {@code [n, h, w, fw, c]}, seen as {@code [n, h, 1, w*fw*c]}, to
     * {@code [n, h, fh, w*fw*c]}, seen as {@code [n, h*fh, w*fw, c]}. Concat's gradient is slices, summed
     * per input. SameDiff's tile (the TensorFlow backend's formulation) gives the same values, but libnd4j's
     * tile and tile_bp copy element by element: 7-30x slower, some 80% of an acgan-hq step.
     */
    static SDVariable upSampling2d(SameDiff sd, SDVariable x, int[] inShape, int fh, int fw) {
        int h = inShape[0];
        int w = inShape[1];
        int c = inShape[2];
        // the spec checked that the output sizes fit an int
        long row = (long) w * fw * c;
        SDVariable y = x;
        if (fw > 1) {
            SDVariable split = sd.reshape(x, -1, h, w, 1, c);
            y = sd.concat(3, copies(split, fw));
        }
        y = sd.reshape(y, -1, h, 1, row);
        if (fh > 1) {
            y = sd.concat(2, copies(y, fh));
        }
        return sd.reshape(y, -1, (long) h * fh, (long) w * fw, c);
    }

    private static SDVariable[] copies(SDVariable v, int count) {
        SDVariable[] out = new SDVariable[count];
        Arrays.fill(out, v);
        return out;
    }

    private SDVariable batchNorm(InferredNode node, BatchNorm b, SDVariable x, boolean training, Pass pass) {
        SDVariable gamma = param(node, "gamma");
        SDVariable beta = param(node, "beta");
        int rank = node.outputShape().length + 1;
        SDVariable mean;
        SDVariable variance;
        if (training) {
            int[] axes = new int[rank - 1];
            for (int k = 0; k < axes.length; k++) {
                axes[k] = k;
            }
            // SameDiff's legacy reduction fails (NullPointerException in BaseReduceOp.noOp) when it reduces
            // nothing, i.e. a batch of one with one position per channel. Statistics of the batch
            // stacked twice are the same mean and biased variance, with the same gradients.
            SDVariable stats = x;
            if (node.outputSize() == node.outputShape()[node.outputShape().length - 1]) {
                stats = sd.concat(0, x, x);
            }
            mean = stats.mean(false, axes);
            // d*d rather than square(d): the same values, and a multiply's backward instead of SameDiff's
            // pow derivative, which is several times slower
            SDVariable deviation = stats.sub(mean);
            variance = deviation.mul(deviation).mean(false, axes);
            pass.statistics.add(new BatchStats(node, mean, variance));
        } else {
            mean = param(node, "moving_mean");
            variance = param(node, "moving_variance");
        }
        if (!training) {
            // Inference needs no gradient, so SameDiff's fused op can run it (its gradient is broken in
            // 1.0.0-M2.1: BatchNorm.doDiff builds a BatchNormDerivative without the axis).
            return sd.nn.batchNorm(x, mean, variance, gamma, beta, b.epsilon(), rank - 1);
        }
        // y = x*scale + shift, scale = gamma/sqrt(var + eps), shift = beta - mean*scale. The per-channel
        // scale is a product with the diagonal matrix diag(scale) over the activation seen as [rows, C]:
        // SameDiff's broadcasting multiply_bp takes ~100 ms on a [200,14,14,96] activation, the matmul's
        // backward a few.
        SDVariable scale = gamma.mul(sd.math.rsqrt(variance.add(b.epsilon())));
        SDVariable shift = beta.sub(mean.mul(scale));
        int channels = node.outputShape()[node.outputShape().length - 1];
        float[] identity = new float[channels * channels];
        for (int c = 0; c < channels; c++) {
            identity[c * channels + c] = 1f;
        }
        SDVariable diagonal =
                constant(Layouts.toArray(identity, channels, channels)).mul(scale);
        SDVariable scaled =
                sd.reshape(sd.mmul(sd.reshape(x, -1, channels), diagonal), Layouts.withBatch(-1, node.outputShape()));
        return sd.nn.biasAdd(scaled, shift, false);
    }
}
