package dev.acgan.backend.tensorflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One session run: the tensors it feeds are created here and closed with it, so native memory is
 * released deterministically (TensorFlow Java leaks every unclosed tensor).
 */
final class Feed implements AutoCloseable {

    /** Diagnostics (a per-op profile in the tests): when set, every run is traced and its statistics sent here. */
    static volatile Consumer<RunMetadata> tracer;

    private final Session.Runner runner;
    private final List<Tensor> owned = new ArrayList<>();

    Feed(Session session) {
        this.runner = session.runner();
    }

    Feed floats(Operand<?> placeholder, float[] data, long... shape) {
        TFloat32 t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
        owned.add(t);
        runner.feed(placeholder, t);
        return this;
    }

    Feed ints(Operand<?> placeholder, int[] data) {
        TInt32 t = TInt32.tensorOf(Shape.of(data.length), DataBuffers.of(data, true, false));
        owned.add(t);
        runner.feed(placeholder, t);
        return this;
    }

    Feed scalar(Operand<?> placeholder, float value) {
        TFloat32 t = TFloat32.scalarOf(value);
        owned.add(t);
        runner.feed(placeholder, t);
        return this;
    }

    /** Feeds each mask into its placeholder; the batch size is the mask length over the per-example size. */
    Feed masks(
            Map<String, ? extends Operand<?>> placeholders,
            Map<String, float[]> masks,
            int n,
            Map<String, int[]> shapes) {
        for (Map.Entry<String, ? extends Operand<?>> e : placeholders.entrySet()) {
            float[] m = masks == null ? null : masks.get(e.getKey());
            int[] shape = shapes.get(e.getKey());
            long per = 1;
            for (int d : shape) {
                per *= d;
            }
            if (m == null) {
                // Dropout disabled: a mask of ones.
                m = new float[Math.toIntExact(per * n)];
                java.util.Arrays.fill(m, 1f);
            } else if (m.length != per * n) {
                throw new IllegalArgumentException("dropout mask of node '" + e.getKey() + "' has " + m.length
                        + " values, expected " + per * n + " (" + n + " examples)");
            }
            long[] full = new long[shape.length + 1];
            full[0] = n;
            for (int k = 0; k < shape.length; k++) {
                full[k + 1] = shape[k];
            }
            floats(e.getValue(), m, full);
        }
        return this;
    }

    Feed fetch(Operand<?> operand) {
        runner.fetch(operand);
        return this;
    }

    Feed target(Op op) {
        runner.addTarget(op);
        return this;
    }

    Feed targets(List<? extends Op> ops) {
        ops.forEach(runner::addTarget);
        return this;
    }

    Result run() {
        Consumer<RunMetadata> t = tracer;
        if (t == null) {
            return runner.run();
        }
        runner.setOptions(RunOptions.newBuilder()
                .setTraceLevel(RunOptions.TraceLevel.FULL_TRACE)
                .build());
        Result r = runner.runAndFetchMetadata();
        r.getMetadata().ifPresent(t);
        return r;
    }

    static float[] floats(Tensor t) {
        TFloat32 f = (TFloat32) t;
        float[] out = new float[Math.toIntExact(f.size())];
        f.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    static float scalar(Tensor t) {
        return ((TFloat32) t).getFloat();
    }

    @Override
    public void close() {
        for (Tensor t : owned) {
            t.close();
        }
        owned.clear();
    }
}
