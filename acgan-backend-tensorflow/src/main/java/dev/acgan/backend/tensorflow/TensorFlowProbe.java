package dev.acgan.backend.tensorflow;

import dev.acgan.api.spi.ComputeProbe;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * The TensorFlow backend's {@link ComputeProbe}: a graph with one {@code MatMul} of two fed placeholders,
 * run as a target in a session with the configuration the models use ({@link SessionConfig}). The inputs are
 * fed, not constants, so that Grappler cannot fold the product away; the output is not fetched, so no
 * copy is timed.
 */
final class TensorFlowProbe implements ComputeProbe {

    @Override
    public Sgemm prepareSgemm(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        Graph graph = new Graph();
        Session session = null;
        TFloat32 a = null;
        TFloat32 b = null;
        try {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> pa = tf.withName("a").placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
            Placeholder<TFloat32> pb = tf.withName("b").placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
            MatMul<TFloat32> product = tf.withName("c").linalg.matMul(pa, pb);
            session = new Session(graph, SessionConfig.current());
            a = TFloat32.tensorOf(Shape.of(n, n), DataBuffers.of(values(n, 1), true, false));
            b = TFloat32.tensorOf(Shape.of(n, n), DataBuffers.of(values(n, 2), true, false));
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
        private final TFloat32 a;
        private final TFloat32 b;
        private final Placeholder<TFloat32> pa;
        private final Placeholder<TFloat32> pb;
        private final MatMul<TFloat32> product;
        private boolean closed;

        TfSgemm(int n, Graph graph, Session session, TFloat32 a, TFloat32 b, Placeholder<TFloat32> pa,
                Placeholder<TFloat32> pb, MatMul<TFloat32> product) {
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
            try (Result ignored = session.runner().feed(pa, a).feed(pb, b).addTarget(product).run()) {
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
