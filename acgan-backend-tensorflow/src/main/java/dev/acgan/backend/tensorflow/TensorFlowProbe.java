package dev.acgan.backend.tensorflow;

import dev.acgan.api.model.Precision;
import dev.acgan.api.spi.ComputeProbe;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The TensorFlow backend's {@link ComputeProbe}: a graph with one {@code MatMul} of two fed placeholders
 * (float32, or bfloat16 for the bf16 peak),
 * run as a target in a session with the configuration the models use ({@link SessionConfig}). The inputs are
 * fed, not constants, so that Grappler cannot fold the product away; the output is not fetched, so no
 * copy is timed.
 */
final class TensorFlowProbe implements ComputeProbe {

    @Override
    public Sgemm prepareSgemm(int n) {
        return prepareGemm(n, Precision.FP32);
    }

    /** fp32, or bf16: a {@code MatMul} of two fed bfloat16 matrices with a bfloat16 result, as in bf16 models. */
    @Override
    public Sgemm prepareGemm(int n, Precision precision) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        Class<? extends TNumber> type =
                precision.requireConcrete() == Precision.BF16 ? TBfloat16.class : TFloat32.class;
        Graph graph = new Graph();
        Session session = null;
        TNumber a = null;
        TNumber b = null;
        try {
            Ops tf = Ops.create(graph);
            Placeholder<? extends TNumber> pa = tf.withName("a").placeholder(type, Placeholder.shape(Shape.of(n, n)));
            Placeholder<? extends TNumber> pb = tf.withName("b").placeholder(type, Placeholder.shape(Shape.of(n, n)));
            Op product = matMul(tf, pa, pb);
            session = new Session(graph, SessionConfig.current());
            a = matrix(precision, n, 1);
            b = matrix(precision, n, 2);
            return new TfSgemm(n, graph, session, a, b, pa, pb, product);
        } catch (RuntimeException | Error e) {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            if (session != null) {
                session.close();
            }
            graph.close();
            throw e;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Op matMul(Ops tf, Placeholder<? extends TNumber> a, Placeholder<? extends TNumber> b) {
        return tf.withName("c").linalg.matMul((Placeholder) a, (Placeholder) b);
    }

    private static TNumber matrix(Precision precision, int n, long seed) {
        float[] v = values(n, seed);
        if (precision == Precision.BF16) {
            return TBfloat16.tensorOf(Shape.of(n, n), DataBuffers.of(v, true, false));
        }
        return TFloat32.tensorOf(Shape.of(n, n), DataBuffers.of(v, true, false));
    }

    static float[] values(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Math.multiplyExact(n, n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    private static final class TfSgemm implements Sgemm {
        private final int n;
        private final Graph graph;
        private final Session session;
        private final TNumber a;
        private final TNumber b;
        private final Placeholder<? extends TNumber> pa;
        private final Placeholder<? extends TNumber> pb;
        private final Op product;
        private boolean closed;

        TfSgemm(
                int n,
                Graph graph,
                Session session,
                TNumber a,
                TNumber b,
                Placeholder<? extends TNumber> pa,
                Placeholder<? extends TNumber> pb,
                Op product) {
            this.n = n;
            this.graph = graph;
            this.session = session;
            this.a = a;
            this.b = b;
            this.pa = pa;
            this.pb = pb;
            this.product = product;
        }

        @Override
        public int n() {
            return n;
        }

        @Override
        public synchronized void run() {
            if (closed) {
                throw new IllegalStateException("this TensorFlow SGEMM probe is closed");
            }
            try (Result ignored =
                    session.runner().feed(pa, a).feed(pb, b).addTarget(product).run()) {
                // the product ran; nothing is fetched
            }
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            a.close();
            b.close();
            session.close();
            graph.close();
        }
    }
}
