package dev.acgan.backend.tensorflow;

import dev.acgan.api.model.Precision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TType;

/**
 * Not a test: the backend's bf16 convolutions ({@link NetworkCompiler#conv2d}, {@link
 * NetworkCompiler#conv2dTranspose}) over a grid of kernel sizes, strides, paddings and channel counts, each
 * forward and backward (input and kernel gradients through TensorFlow's gradient graph), on bfloat16-exact
 * operands, against the same op in float64 rounded once to bfloat16. A correct kernel accumulating in float32
 * is at most one bfloat16 unit off, and rarely (a flip); the summary counts the cases with an element further
 * off. {@code raw} compiles without the odd-channel padding, {@code padded} with it (on any CPU; the backend
 * pads where {@link OneDnnIsa#bf16PadsOddChannels} says). Run from the module directory after
 * {@code mvn test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt} (add {@code ONEDNN_VERBOSE=1}
 * for oneDNN's kernel names):
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) \
 *     dev.acgan.backend.tensorflow.Bf16ConvolutionSweep raw|padded
 * </pre>
 */
public final class Bf16ConvolutionSweep {

    private static final int[][] KERNELS = {{1, 1}, {3, 3}, {5, 5}, {3, 2}};
    private static final int[] CHANNELS = {1, 2, 3, 5, 16, 17};
    private static final int N = 3;
    private static final int H = 9;
    private static final int W = 8;

    private final boolean padded;
    private final SplittableRandom random = new SplittableRandom(11);
    private final Map<String, int[]> tally = new LinkedHashMap<>();
    private final Map<String, Double> worst = new LinkedHashMap<>();
    private final List<String> off = new ArrayList<>();

    private Bf16ConvolutionSweep(boolean padded) {
        this.padded = padded;
    }

    public static void main(String[] args) {
        if (args.length != 1 || !List.of("raw", "padded").contains(args[0])) {
            throw new IllegalArgumentException("usage: Bf16ConvolutionSweep raw|padded");
        }
        TensorFlowBackend here = new TensorFlowBackend();
        here.precisionUnavailable(Precision.BF16).ifPresent(why -> {
            throw new IllegalStateException("no bf16 here: " + why);
        });
        Bf16ConvolutionSweep sweep = new Bf16ConvolutionSweep(args[0].equals("padded"));
        sweep.run();
        sweep.report(args[0]);
    }

    private void run() {
        for (int[] k : KERNELS) {
            for (String pad : List.of("SAME", "VALID")) {
                for (int stride : pad.equals("SAME") ? new int[] {1, 2} : new int[] {1}) {
                    for (int in : CHANNELS) {
                        for (int out : CHANNELS) {
                            geometry(false, k[0], k[1], stride, pad, in, out);
                            geometry(true, k[0], k[1], stride, pad, in, out);
                        }
                    }
                }
            }
        }
    }

    /** One convolution (or transposed convolution from {@code in} to {@code out} channels), three results. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void geometry(boolean transposed, int kh, int kw, int stride, String pad, int in, int out) {
        int small = pad.equals("SAME") ? (H + stride - 1) / stride : (H - kh) / stride + 1;
        int smallW = pad.equals("SAME") ? (W + stride - 1) / stride : (W - kw) / stride + 1;
        // A transposed convolution maps the small map back to H x W (its x is a convolution's output).
        long[] xShape = transposed ? new long[] {N, small, smallW, in} : new long[] {N, H, W, in};
        long[] yShape = transposed ? new long[] {N, H, W, out} : new long[] {N, small, smallW, out};
        long[] kShape = transposed ? new long[] {kh, kw, out, in} : new long[] {kh, kw, in, out};
        String name = String.format(
                Locale.ROOT,
                "%s k%dx%d s%d %s, %d -> %d channels",
                transposed ? "Conv2DTranspose" : "Conv2D",
                kh,
                kw,
                stride,
                pad,
                in,
                out);
        try (Graph g = new Graph();
                Session session = new Session(g, SessionConfig.current())) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(xShape)));
            Placeholder<TFloat32> kernel = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(kShape)));
            Placeholder<TFloat32> dy = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(yShape)));
            List<Operand<TFloat32>> fetch = new ArrayList<>();
            for (Class<? extends TType> type : List.of(TFloat64.class, TBfloat16.class)) {
                Operand xc = tf.dtypes.cast(x, (Class) type);
                Operand kc = tf.dtypes.cast(kernel, (Class) type);
                boolean padHere = padded && type == TBfloat16.class;
                Operand y = transposed
                        ? NetworkCompiler.conv2dTranspose(
                                tf,
                                tf.constant(new int[] {N}),
                                xc,
                                kc,
                                new int[] {H, W, out},
                                in,
                                out,
                                stride,
                                stride,
                                pad,
                                padHere)
                        : NetworkCompiler.conv2d(tf, xc, kc, in, out, stride, stride, pad, padHere);
                Operand loss =
                        tf.sum(tf.math.mul(y, tf.dtypes.cast(dy, (Class) type)), tf.constant(new int[] {0, 1, 2, 3}));
                Output<?>[] grads = g.addGradients(loss.asOutput(), new Output<?>[] {xc.asOutput(), kc.asOutput()});
                fetch.add(tf.dtypes.cast(y, TFloat32.class));
                fetch.add(tf.dtypes.cast((Operand) grads[0], TFloat32.class));
                fetch.add(tf.dtypes.cast((Operand) grads[1], TFloat32.class));
            }
            try (TFloat32 tx = exact(xShape);
                    TFloat32 tk = exact(kShape);
                    TFloat32 tdy = exact(yShape)) {
                Session.Runner runner =
                        session.runner().feed(x, tx).feed(kernel, tk).feed(dy, tdy);
                fetch.forEach(runner::fetch);
                try (Result r = runner.run()) {
                    String[] what = {"forward", "input gradient", "kernel gradient"};
                    for (int q = 0; q < 3; q++) {
                        compare(
                                name,
                                (transposed ? "Conv2DTranspose " : "Conv2D ") + what[q],
                                floats(r.get(q)),
                                floats(r.get(q + 3)));
                    }
                }
            }
        }
    }

    /** Random normal values rounded to bfloat16, so the casts in the graph are exact. */
    private TFloat32 exact(long[] shape) {
        float[] v = new float[Math.toIntExact(Shape.of(shape).size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = bf16((float) gaussian());
        }
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(v));
    }

    private double gaussian() {
        double u = random.nextDouble();
        double w = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w);
    }

    private static float[] floats(org.tensorflow.Tensor t) {
        return Feed.floats(t);
    }

    /** Rounds to bfloat16, to nearest, ties to even. */
    static float bf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        return Float.intBitsToFloat((bits + 0x7fff + ((bits >>> 16) & 1)) & 0xffff0000);
    }

    /**
     * The largest error in bfloat16 units of the element, or of 2^-8 of the result's largest element where that
     * is larger: a sum that cancels to nearly 0 carries float32 rounding of its terms, which are as large.
     */
    private void compare(String name, String quantity, float[] reference, float[] got) {
        float scale = 0;
        for (float v : reference) {
            scale = Math.max(scale, Math.abs(v));
        }
        double maxUnits = 0;
        int differ = 0;
        for (int i = 0; i < reference.length; i++) {
            float expected = bf16(reference[i]);
            if (got[i] != expected) {
                differ++;
                float magnitude = Math.max(Math.abs(expected), Math.max(scale / 256, Float.MIN_NORMAL));
                double units = Float.isFinite(got[i])
                        ? Math.abs(got[i] - expected) / (Math.ulp(magnitude) * 65536.0)
                        : Double.POSITIVE_INFINITY; // NaN and infinities from garbage count as off
                maxUnits = Math.max(maxUnits, units);
            }
        }
        int[] t = tally.computeIfAbsent(quantity, q -> new int[2]);
        t[0]++;
        worst.merge(quantity, maxUnits, Math::max);
        if (maxUnits > 1.01) {
            t[1]++;
            off.add(String.format(
                    Locale.ROOT,
                    "%s, %s: %d of %d elements differ, up to %.3g bfloat16 units",
                    name,
                    quantity.substring(quantity.indexOf(' ') + 1),
                    differ,
                    reference.length,
                    maxUnits));
        }
    }

    private void report(String mode) {
        off.forEach(line -> System.out.println("  off: " + line));
        System.out.printf(
                Locale.ROOT,
                "%nbf16 convolutions, %s (%s)%n",
                mode,
                new TensorFlowBackend().describeCompute(Precision.BF16));
        System.out.printf(
                Locale.ROOT, "%-32s %6s %22s %14s%n", "result", "cases", "more than 1 unit off", "worst, units");
        tally.forEach((q, t) -> System.out.printf(Locale.ROOT, "%-32s %6d %22d %14.3g%n", q, t[0], t[1], worst.get(q)));
    }
}
