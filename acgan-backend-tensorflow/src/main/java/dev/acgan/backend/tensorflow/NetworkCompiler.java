package dev.acgan.backend.tensorflow;

import dev.acgan.api.model.Precision;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * Compiles one network of a spec into TensorFlow ops, in the canonical NHWC layout, so canonical
 * weights are used as they are. The same network can be compiled several times over shared
 * variables (training and inference mode, different inputs).
 *
 * <p>In {@link Precision#BF16} the two operands of every Conv2D, transposed convolution
 * ({@code Conv2DBackpropInput}) and Dense {@code MatMul} are cast to bfloat16 and the op's bfloat16 result
 * back to float32; everything else (variables, bias additions, BatchNorm, activations, losses, Adam) stays
 * float32. TensorFlow's gradient of a Cast is the opposite Cast, so the backward products run in bfloat16
 * too (the incoming gradient rounded to bfloat16, the input and filter gradients rounded to bfloat16) and
 * reach the float32 variables and Adam in float32: mixed precision with float32 master weights. oneDNN
 * runs these bfloat16 ops on AMX or AVX512_BF16 and accumulates in float32. Explicit casts rather than
 * Grappler's auto-mixed-precision, which also moves logarithms, softmax and means to bfloat16.
 *
 * <p>Where oneDNN computes these on its {@code avx512_core_bf16} kernels ({@link OneDnnIsa#bf16PadsOddChannels}),
 * a convolution's channel counts that its filter reorder mishandles get zero channels ({@link #conv2d},
 * {@link #conv2dTranspose}): an odd number of input channels one more, a single filter a second one whose output
 * is sliced off. Zero terms change no sum and the slice's gradient is zero, so the results are those of the
 * unpadded op.
 */
final class NetworkCompiler {

    /** The ops of one compiled pass. */
    static final class Pass {
        final Map<String, Operand<TFloat32>> outputs = new LinkedHashMap<>();
        final Map<String, Placeholder<TFloat32>> masks = new LinkedHashMap<>();
        final List<Op> statisticUpdates = new ArrayList<>();

        Operand<TFloat32> output(InferredNetwork net, String role) {
            return outputs.get(net.spec().outputs().get(role));
        }
    }

    private final Ops tf;
    private final InferredNetwork net;
    private final Map<String, Variable<TFloat32>> variables;
    private final boolean bf16;
    private final boolean padOddChannels;

    /**
     * @param padOddChannels in bf16, pad the channel counts oneDNN's avx512_core_bf16 filter reorder mishandles
     *                       ({@link OneDnnIsa#bf16PadsOddChannels}); ignored in fp32
     */
    NetworkCompiler(
            Ops tf,
            InferredNetwork net,
            Map<String, Variable<TFloat32>> variables,
            Precision precision,
            boolean padOddChannels) {
        this.tf = tf;
        this.net = net;
        this.variables = variables;
        this.bf16 = precision.requireConcrete() == Precision.BF16;
        this.padOddChannels = bf16 && padOddChannels;
    }

    /**
     * Builds one forward pass.
     *
     * @param scope       name scope of the pass (for readable graphs)
     * @param inputs      network inputs ({@code noise}/{@code image} float, {@code label} int32)
     * @param training    BatchNorm on batch statistics and dropout masks fed as placeholders
     * @param updateStats also build assignments of BatchNorm moving statistics (training only)
     */
    Pass build(String scope, Map<String, Operand<? extends TType>> inputs, boolean training, boolean updateStats) {
        Ops s = tf.withSubScope(scope);
        Pass pass = new Pass();
        Map<String, Operand<? extends TType>> values = new LinkedHashMap<>(inputs);
        for (InferredNode node : net.nodes()) {
            List<Operand<? extends TType>> in = new ArrayList<>();
            for (String src : node.node().inputs()) {
                in.add(values.get(src));
            }
            Operand<TFloat32> out = layer(s.withSubScope(node.name()), node, in, training, updateStats, pass);
            values.put(node.name(), out);
            pass.outputs.put(node.name(), out);
        }
        return pass;
    }

    @SuppressWarnings("unchecked")
    private static Operand<TFloat32> f(Operand<? extends TType> o) {
        return (Operand<TFloat32>) o;
    }

    @SuppressWarnings("unchecked")
    private static Operand<TInt32> i(Operand<? extends TType> o) {
        return (Operand<TInt32>) o;
    }

    /**
     * An operand of a convolution or matrix product: itself in fp32, cast to bfloat16 in bf16. The static
     * type stays {@code TFloat32} so that the same op builders serve both; the graph carries the real
     * dtype, and the op's result goes through {@link #widened} before anything else sees it.
     */
    @SuppressWarnings("unchecked")
    private Operand<TFloat32> narrowed(Ops s, Operand<TFloat32> x) {
        return bf16 ? (Operand<TFloat32>) (Operand<?>) s.dtypes.cast(x, TBfloat16.class) : x;
    }

    /** The result of a convolution or matrix product as float32 (cast back from bfloat16 in bf16). */
    private Operand<TFloat32> widened(Ops s, Operand<TFloat32> y) {
        return bf16 ? s.dtypes.cast(y, TFloat32.class) : y;
    }

    /**
     * A Conv2D of {@code x} {@code [n, h, w, in]} and {@code kernel} {@code [kh, kw, in, filters]}, its operands
     * and result in their own dtype (bfloat16 after {@link #narrowed}). With {@code padOddChannels} an odd input
     * channel count (which pairs up in oneDNN's forward bf16 filter layouts; 1 too, as 1x1 kernels pair it) gets
     * a zero channel, and a single filter (which pairs up in the backward-data layout) a zero filter whose output
     * is sliced off.
     */
    static Operand<TFloat32> conv2d(
            Ops s,
            Operand<TFloat32> x,
            Operand<TFloat32> kernel,
            int in,
            int filters,
            int strideH,
            int strideW,
            String padding,
            boolean padOddChannels) {
        int inExtra = padOddChannels ? extraForPairs(in) : 0;
        int outExtra = padOddChannels ? extraForSingle(filters) : 0;
        Operand<TFloat32> y = s.nn.conv2d(
                padLast(s, x, inExtra),
                padFilter(s, kernel, inExtra, outExtra),
                List.of(1L, (long) strideH, (long) strideW, 1L),
                padding);
        return firstChannels(s, y, filters, outExtra);
    }

    /**
     * A transposed convolution ({@code Conv2DBackpropInput}) of {@code x} {@code [n, h, w, in]} and {@code kernel}
     * {@code [kh, kw, filters, in]} to {@code [batch, outShape]}, in the operands' own dtype. As a convolution's
     * backward data, its filters are the input channels (pairing in that layout: a single one gets a zero
     * companion), and its gradient with respect to x is a forward convolution over the output channels (an odd
     * count gets a zero channel, sliced off).
     */
    static Operand<TFloat32> conv2dTranspose(
            Ops s,
            Operand<TInt32> batch,
            Operand<TFloat32> x,
            Operand<TFloat32> kernel,
            int[] outShape,
            int in,
            int filters,
            int strideH,
            int strideW,
            String padding,
            boolean padOddChannels) {
        int outExtra = padOddChannels ? extraForPairs(filters) : 0;
        int inExtra = padOddChannels ? extraForSingle(in) : 0;
        Operand<TInt32> sizes = s.concat(
                List.of(batch, s.constant(new int[] {outShape[0], outShape[1], outShape[2] + outExtra})),
                s.constant(0));
        Operand<TFloat32> y = s.nn.conv2dBackpropInput(
                sizes,
                padFilter(s, kernel, outExtra, inExtra),
                padLast(s, x, inExtra),
                List.of(1L, (long) strideH, (long) strideW, 1L),
                padding);
        return firstChannels(s, y, filters, outExtra);
    }

    /** Zero channels for a channel count that pairs up in the forward bf16 filter layouts: one if odd. */
    private static int extraForPairs(int channels) {
        return channels % 2 != 0 ? 1 : 0;
    }

    /** Zero channels for a channel count that must not be 1 in the bf16 backward-data filter layouts. */
    private static int extraForSingle(int channels) {
        return channels == 1 ? 1 : 0;
    }

    /** {@code x} (NHWC) with {@code extra} zero channels appended. */
    private static Operand<TFloat32> padLast(Ops s, Operand<TFloat32> x, int extra) {
        return extra == 0 ? x : zeroPad(s, x, new int[][] {{0, 0}, {0, 0}, {0, 0}, {0, extra}});
    }

    /** A filter {@code [kh, kw, a, b]} with zero slices appended to its dimensions a and b. */
    private static Operand<TFloat32> padFilter(Ops s, Operand<TFloat32> kernel, int extraA, int extraB) {
        return extraA + extraB == 0
                ? kernel
                : zeroPad(s, kernel, new int[][] {{0, 0}, {0, 0}, {0, extraA}, {0, extraB}});
    }

    /** {@code x} padded with zeros of its own dtype (bfloat16 after {@link #narrowed}). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Operand<TFloat32> zeroPad(Ops s, Operand<TFloat32> x, int[][] paddings) {
        Operand zero = s.dtypes.cast(s.constant(0f), (Class) x.type());
        return s.pad(x, s.constant(paddings), zero);
    }

    /** The first {@code channels} channels of {@code y} (NHWC), dropping {@code extra} padded ones. */
    private static Operand<TFloat32> firstChannels(Ops s, Operand<TFloat32> y, int channels, int extra) {
        if (extra == 0) {
            return y;
        }
        return s.stridedSlice(
                y,
                s.constant(new int[] {0, 0, 0, 0}),
                s.constant(new int[] {0, 0, 0, channels}),
                s.constant(new int[] {1, 1, 1, 1}),
                StridedSlice.beginMask(0b0111L),
                StridedSlice.endMask(0b0111L));
    }

    private Variable<TFloat32> param(InferredNode node, String name) {
        Variable<TFloat32> v = variables.get(net.role() + "/" + node.name() + "/" + name);
        if (v == null) {
            throw new IllegalStateException("no variable for " + net.role() + "/" + node.name() + "/" + name);
        }
        return v;
    }

    private Operand<TFloat32> layer(
            Ops s,
            InferredNode node,
            List<Operand<? extends TType>> in,
            boolean training,
            boolean updateStats,
            Pass pass) {
        LayerSpec layer = node.layer();
        int[] outShape = node.outputShape();
        if (layer instanceof Dense d) {
            Operand<TFloat32> y =
                    widened(s, s.linalg.matMul(narrowed(s, f(in.get(0))), narrowed(s, param(node, "kernel"))));
            return d.useBias() ? s.math.add(y, param(node, "bias")) : y;
        }
        if (layer instanceof Embedding e) {
            Operand<TFloat32> oneHot = s.oneHot(i(in.get(0)), s.constant(e.inputDim()), s.constant(1f), s.constant(0f));
            return s.linalg.matMul(oneHot, param(node, "embeddings"));
        }
        if (layer instanceof OneHot o) {
            return s.oneHot(i(in.get(0)), s.constant(o.depth()), s.constant(1f), s.constant(0f));
        }
        if (layer instanceof Multiply) {
            Operand<TFloat32> y = f(in.get(0));
            for (int k = 1; k < in.size(); k++) {
                y = s.math.mul(y, f(in.get(k)));
            }
            return y;
        }
        if (layer instanceof Concat) {
            List<Operand<TFloat32>> parts = new ArrayList<>();
            in.forEach(x -> parts.add(f(x)));
            return s.concat(parts, s.constant(node.inputShapes().get(0).length));
        }
        if (layer instanceof Reshape || layer instanceof Flatten) {
            return s.reshape(f(in.get(0)), s.constant(withBatch(outShape)));
        }
        if (layer instanceof RepeatSpatial r) {
            Operand<TFloat32> x = s.reshape(f(in.get(0)), s.constant(new int[] {-1, 1, 1, outShape[2]}));
            return s.tile(x, s.constant(new int[] {1, r.height(), r.width(), 1}));
        }
        if (layer instanceof Conv2D c) {
            Operand<TFloat32> y = widened(
                    s,
                    conv2d(
                            s,
                            narrowed(s, f(in.get(0))),
                            narrowed(s, param(node, "kernel")),
                            node.inputShapes().get(0)[2],
                            c.filters(),
                            c.strideH(),
                            c.strideW(),
                            padding(c.padding()),
                            padOddChannels));
            return c.useBias() ? s.math.add(y, param(node, "bias")) : y;
        }
        if (layer instanceof Conv2DTranspose c) {
            Operand<TFloat32> x = f(in.get(0));
            Operand<TInt32> batch = s.reshape(
                    s.stridedSlice(
                            s.shape(x, TInt32.class),
                            s.constant(new int[] {0}),
                            s.constant(new int[] {1}),
                            s.constant(new int[] {1})),
                    s.constant(new int[] {1}));
            Operand<TFloat32> y = widened(
                    s,
                    conv2dTranspose(
                            s,
                            batch,
                            narrowed(s, x),
                            narrowed(s, param(node, "kernel")),
                            outShape,
                            node.inputShapes().get(0)[2],
                            c.filters(),
                            c.strideH(),
                            c.strideW(),
                            padding(c.padding()),
                            padOddChannels));
            return c.useBias() ? s.math.add(y, param(node, "bias")) : y;
        }
        if (layer instanceof MaxPool2D m) {
            return s.nn.maxPool(
                    f(in.get(0)),
                    s.constant(new int[] {1, m.poolH(), m.poolW(), 1}),
                    s.constant(new int[] {1, m.strideH(), m.strideW(), 1}),
                    padding(m.padding()));
        }
        if (layer instanceof UpSampling2D u) {
            return upSampling2d(s, f(in.get(0)), node.inputShapes().get(0), u.factorH(), u.factorW());
        }
        if (layer instanceof BatchNorm b) {
            return batchNorm(s, node, b, f(in.get(0)), training, updateStats, pass);
        }
        if (layer instanceof Relu) {
            return s.nn.relu(f(in.get(0)));
        }
        if (layer instanceof LeakyRelu l) {
            return s.nn.leakyRelu(f(in.get(0)), org.tensorflow.op.nn.LeakyRelu.alpha((float) l.alpha()));
        }
        if (layer instanceof Tanh) {
            return s.math.tanh(f(in.get(0)));
        }
        if (layer instanceof Sigmoid) {
            return s.math.sigmoid(f(in.get(0)));
        }
        if (layer instanceof Softmax) {
            return s.nn.softmax(f(in.get(0)));
        }
        if (layer instanceof Dropout) {
            if (!training) {
                return f(in.get(0));
            }
            Placeholder<TFloat32> mask = s.withName("mask")
                    .placeholder(TFloat32.class, Placeholder.shape(Shape.of(withBatchLong(outShape))));
            pass.masks.put(node.name(), mask);
            return s.math.mul(f(in.get(0)), mask);
        }
        throw new IllegalArgumentException("the TensorFlow backend cannot compile layer " + layer);
    }

    /**
     * Nearest-neighbour up-sampling as a reshape, a tile and a reshape: {@code [n, h, w, c]} to
     * {@code [n, h, 1, w, 1, c]}, each value repeated {@code fh x fw} times, to {@code [n, h*fh, w*fw, c]}.
     * Tile's gradient sums the copies, exactly; ResizeNearestNeighbor would do the same forward but
     * computes its source pixel in float arithmetic. Always float32, in the bf16 profile too: only
     * products are narrowed.
     */
    private static Operand<TFloat32> upSampling2d(Ops s, Operand<TFloat32> x, int[] inShape, int fh, int fw) {
        int h = inShape[0];
        int w = inShape[1];
        int c = inShape[2];
        Operand<TFloat32> split = s.reshape(x, s.constant(new int[] {-1, h, 1, w, 1, c}));
        Operand<TFloat32> tiled = s.tile(split, s.constant(new int[] {1, 1, fh, 1, fw, 1}));
        return s.reshape(tiled, s.constant(new int[] {-1, h * fh, w * fw, c}));
    }

    private Operand<TFloat32> batchNorm(
            Ops s,
            InferredNode node,
            BatchNorm b,
            Operand<TFloat32> x,
            boolean training,
            boolean updateStats,
            Pass pass) {
        Variable<TFloat32> gamma = param(node, "gamma");
        Variable<TFloat32> beta = param(node, "beta");
        Variable<TFloat32> movingMean = param(node, "moving_mean");
        Variable<TFloat32> movingVar = param(node, "moving_variance");
        Operand<TFloat32> eps = s.constant((float) b.epsilon());
        Operand<TFloat32> mean;
        Operand<TFloat32> variance;
        if (training) {
            int rank = node.outputShape().length + 1;
            int[] axes = new int[rank - 1];
            for (int k = 0; k < axes.length; k++) {
                axes[k] = k;
            }
            Operand<TInt32> reduce = s.constant(axes);
            mean = s.math.mean(x, reduce, Mean.keepDims(false));
            variance = s.math.mean(s.math.square(s.math.sub(x, mean)), reduce, Mean.keepDims(false));
            if (updateStats) {
                // The moving variance takes the unbiased batch variance, var * n/(n-1), with factor 1 when n = 1.
                int channels = node.outputShape()[node.outputShape().length - 1];
                Operand<TFloat32> n =
                        s.math.div(s.dtypes.cast(s.size(x), TFloat32.class), s.constant((float) channels));
                Operand<TFloat32> one = s.constant(1f);
                Operand<TFloat32> unbiased =
                        s.math.mul(variance, s.math.div(n, s.math.maximum(s.math.sub(n, one), one)));
                Operand<TFloat32> m = s.constant((float) b.momentum());
                Operand<TFloat32> oneMinus = s.constant((float) (1 - b.momentum()));
                pass.statisticUpdates.add(
                        s.assign(movingMean, s.math.add(s.math.mul(m, movingMean), s.math.mul(oneMinus, mean))));
                pass.statisticUpdates.add(
                        s.assign(movingVar, s.math.add(s.math.mul(m, movingVar), s.math.mul(oneMinus, unbiased))));
            }
        } else {
            mean = movingMean;
            variance = movingVar;
        }
        Operand<TFloat32> scale = s.math.mul(gamma, s.math.rsqrt(s.math.add(variance, eps)));
        return s.math.add(s.math.mul(s.math.sub(x, mean), scale), beta);
    }

    static String padding(Padding p) {
        return p == Padding.SAME ? "SAME" : "VALID";
    }

    private static int[] withBatch(int[] shape) {
        int[] out = new int[shape.length + 1];
        out[0] = -1;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }

    private static long[] withBatchLong(int[] shape) {
        long[] out = new long[shape.length + 1];
        out[0] = -1;
        for (int k = 0; k < shape.length; k++) {
            out[k + 1] = shape[k];
        }
        return out;
    }
}
