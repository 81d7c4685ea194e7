package dev.acgan.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.model.DiscriminatorLosses;
import dev.acgan.api.model.GeneratorLosses;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import java.util.Map;
import java.util.TreeMap;

/**
 * Comparison of ND4J results with a reference backend's (the TensorFlow backend, float32, or the TCK's
 * float64 oracle), with the tolerances of the parity tests and a record of the worst difference seen per
 * category (printed after the tests).
 *
 * <h2>Tolerances and why</h2>
 * Both native backends compute in float32 but in different op orders (oneDNN vs Eigen convolutions, a
 * transposed convolution as one phase-decomposed convolution vs TensorFlow's Conv2DBackpropInput,
 * different reduction orders), so smooth results agree to float32 rounding accumulated over a few
 * hundred to a few thousand terms per value: ~1e-7 to 1e-6 relative. Loss thresholds leave two orders of
 * magnitude of margin and stay far below any semantic error (a wrong padding, a missing bias or a
 * misordered kernel gives errors of order 1e-1).
 * <ul>
 *   <li>Loss components: {@value #LOSS_REL} relative (or {@value #LOSS_ABS} absolute for terms near 0).</li>
 *   <li>Images (tanh range [-1, 1]): {@value #IMAGE_ABS} absolute; training-mode BatchNorm divides by
 *       batch standard deviations and amplifies rounding a little.</li>
 *   <li>Gradients, discriminator outputs and Adam moments: the L2 norm of the difference within
 *       {@value #TENSOR_REL} of the reference tensor's norm, and the largest element difference within
 *       {@value #ELEMENT_REL} of its largest magnitude. Gradients are not continuous in the inputs: a
 *       ReLU/LeakyReLU input or a clipped probability that sits at its kink up to float32 rounding
 *       switches a unit's whole gradient path, and a float32 backend can land on either side. This is
 *       not rare: a batch of 4 acgan-mnist examples has ~280k such inputs, several within 1e-6 of a kink;
 *       in one measured case a discriminator LeakyReLU input 4.9e-9 from 0 (float64 oracle) put ND4J
 *       0.7% (L2) away from the oracle on every generator gradient while TensorFlow agreed with it, and in
 *       another TensorFlow was 0.3% away while ND4J was within 0.07%. Smooth cases agree to ~1e-6. A
 *       tensor that is itself ~0 (the gradient of a bias followed by a training-mode BatchNorm is exactly
 *       zero, so both backends return rounding noise) is scaled by {@value #FLOOR} of the largest tensor
 *       of its set instead.</li>
 *   <li>Parameters after Adam steps: {@value #PARAM_ABS} absolute per element, and the step's update of all
 *       parameters together (after minus before, as one vector) within {@value #UPDATE_REL} relative L2.
 *       Adam's first step moves every weight by about the learning rate times sign(gradient), whatever
 *       the gradient's size, so gradient elements that are zero up to rounding (biases followed by a
 *       training-mode BatchNorm, units a ReLU nearly silences) are stepped in random directions by both
 *       backends, and one flipped kink (above) changes the sign of many small gradient elements: on
 *       acgan-mnist with 4 examples that alone makes 5% of the update norm. A wrong learning-rate
 *       correction or moment update changes the whole update (factors of 16 at t=1), and the Adam
 *       arithmetic itself is checked exactly against a float64 implementation in {@code AdamTest}.
 *       Each step starts from identical states (the reference state is loaded into ND4J after every
 *       step).</li>
 *   <li>BatchNorm moving statistics: {@value #STATS_REL} relative to the tensor's largest magnitude.</li>
 * </ul>
 */
final class Parity {

    static final double LOSS_REL = 1e-4;
    static final double LOSS_ABS = 1e-6;
    static final double IMAGE_ABS = 1e-4;
    static final double TENSOR_REL = 2e-2;
    static final double STATS_REL = 1e-4;
    static final double PARAM_ABS = 1e-3;
    static final double FLOOR = 1e-3;
    static final double ELEMENT_REL = 1e-1;
    static final double UPDATE_REL = 1e-1;

    static Tensor difference(Tensor a, Tensor b) {
        float[] d = new float[a.data().length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.data()[i] - b.data()[i];
        }
        return new Tensor(a.shape(), d);
    }

    /** Worst difference per category, over every comparison made in this JVM. */
    static final Map<String, double[]> WORST = new TreeMap<>();

    private Parity() {}

    static synchronized void record(String category, double value, String where) {
        String prefix = where.substring(0, where.indexOf(' ')) + ": ";
        if (where.contains(" acgan-mnist ")) {
            put(prefix + category + " [acgan-mnist]", value, where);
        }
        put(prefix + category, value, where);
    }

    private static void put(String category, double value, String where) {
        double[] w = WORST.computeIfAbsent(category, k -> new double[] {0, 0});
        w[1]++;
        if (value > w[0]) {
            w[0] = value;
            WHERE.put(category, where);
        }
    }

    private static final Map<String, String> WHERE = new TreeMap<>();

    static synchronized String summary() {
        StringBuilder sb = new StringBuilder("ND4J vs reference backends, worst differences:\n");
        WORST.forEach((k, v) -> sb.append(
                String.format("  %-56s %.3e  (%d comparisons; worst at %s)%n", k, v[0], (long) v[1], WHERE.get(k))));
        return sb.toString();
    }

    static double relative(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
    }

    static void loss(String where, double nd, double tf) {
        double abs = Math.abs(nd - tf);
        double rel = relative(nd, tf);
        record("loss (relative)", rel, where);
        assertTrue(abs <= LOSS_ABS || rel <= LOSS_REL, where + ": ND4J " + nd + " vs TensorFlow " + tf);
    }

    static void losses(String where, DiscriminatorLosses nd, DiscriminatorLosses tf) {
        loss(where + " realAdversarial", nd.realAdversarial(), tf.realAdversarial());
        loss(where + " fakeAdversarial", nd.fakeAdversarial(), tf.fakeAdversarial());
        loss(where + " realAuxiliary", nd.realAuxiliary(), tf.realAuxiliary());
        loss(where + " fakeAuxiliary", nd.fakeAuxiliary(), tf.fakeAuxiliary());
        loss(where + " total", nd.total(), tf.total());
    }

    static void losses(String where, GeneratorLosses nd, GeneratorLosses tf) {
        loss(where + " adversarial", nd.adversarial(), tf.adversarial());
        loss(where + " auxiliary", nd.auxiliary(), tf.auxiliary());
        loss(where + " total", nd.total(), tf.total());
    }

    static void images(String where, ImageBatch nd, ImageBatch tf) {
        assertEquals(tf.count(), nd.count());
        assertArrayEquals(tf.labels(), nd.labels(), where + ": labels");
        double d = nd.asTensor().maxAbsDifference(tf.asTensor());
        record("images (absolute)", d, where);
        assertTrue(d <= IMAGE_ABS, where + ": images differ by " + d);
    }

    static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Largest element difference relative to the reference tensor's largest magnitude. */
    static double scaled(Tensor nd, Tensor tf) {
        assertArrayEquals(tf.shape(), nd.shape());
        double scale = Math.max(maxAbs(tf), 1e-12);
        return nd.maxAbsDifference(tf) / scale;
    }

    static double norm(Tensor t) {
        double s = 0;
        for (float v : t.data()) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    static double normDifference(Tensor a, Tensor b) {
        assertArrayEquals(b.shape(), a.shape());
        double s = 0;
        for (int i = 0; i < a.data().length; i++) {
            double d = (double) a.data()[i] - b.data()[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /**
     * Compares sets of tensors (gradients, outputs, Adam moments): the L2 norm of the difference relative
     * to the reference tensor's L2 norm must be within {@value #TENSOR_REL}, and the largest element
     * difference within {@value #ELEMENT_REL} of the tensor's largest magnitude. For a tensor that is
     * itself ~0 (the gradient of a bias followed by a training-mode BatchNorm is exactly zero, so both
     * backends return rounding noise there) the scale is {@value #FLOOR} of the largest tensor of the set.
     */
    static void tensors(String category, String where, NamedTensors nd, NamedTensors ref) {
        assertEquals(ref.names(), nd.names(), where + ": names");
        double overallNorm = 0;
        double overallMax = 0;
        for (Tensor t : ref.asMap().values()) {
            overallNorm = Math.max(overallNorm, norm(t));
            overallMax = Math.max(overallMax, maxAbs(t));
        }
        for (String name : ref.names()) {
            compareTensor(category, where + " " + name, nd.get(name), ref.get(name), overallNorm, overallMax);
        }
    }

    private static void compareTensor(
            String category, String where, Tensor a, Tensor b, double overallNorm, double overallMax) {
        for (float v : a.data()) {
            assertTrue(Float.isFinite(v), where + " has a non-finite value");
        }
        double rel = normDifference(a, b) / Math.max(Math.max(norm(b), FLOOR * overallNorm), 1e-30);
        double element = a.maxAbsDifference(b) / Math.max(Math.max(maxAbs(b), FLOOR * overallMax), 1e-30);
        record(category + " (rel. L2)", rel, where);
        record(category + " (max element, rel. to max)", element, where);
        assertTrue(rel <= TENSOR_REL, where + ": relative L2 difference " + rel);
        assertTrue(
                element <= ELEMENT_REL,
                where + ": largest element difference " + element + " of the largest magnitude");
    }

    private static double maxNormWithPrefix(NamedTensors state, String prefix) {
        double m = 0;
        for (Map.Entry<String, Tensor> e : state.asMap().entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                m = Math.max(m, norm(e.getValue()));
            }
        }
        return m;
    }

    private static double maxAbsWithPrefix(NamedTensors state, String prefix) {
        double m = 0;
        for (Map.Entry<String, Tensor> e : state.asMap().entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                m = Math.max(m, maxAbs(e.getValue()));
            }
        }
        return m;
    }

    /** Compares two full states by kind of entry. */
    static void states(String where, NamedTensors nd, NamedTensors tf, java.util.function.Predicate<String> skip) {
        states(where, nd, tf, null, skip);
    }

    /**
     * Compares two full states by kind of entry; with the common state before the step, also each
     * parameter's update (after minus before) as a whole.
     */
    static void states(
            String where,
            NamedTensors nd,
            NamedTensors tf,
            NamedTensors before,
            java.util.function.Predicate<String> skip) {
        assertEquals(tf.names(), nd.names(), where + ": state names");
        double updateDiff = 0;
        double updateNorm = 0;
        for (String name : tf.names()) {
            if (skip.test(name)) {
                continue;
            }
            Tensor a = nd.get(name);
            Tensor b = tf.get(name);
            assertArrayEquals(b.shape(), a.shape(), name);
            if (name.startsWith("adam/iterations/")) {
                assertEquals(b.data()[0], a.data()[0], where + " " + name);
            } else if (name.startsWith("adam/")) {
                String prefix = name.substring(0, 7);
                compareTensor(
                        "adam moments",
                        where + " " + name,
                        a,
                        b,
                        maxNormWithPrefix(tf, prefix),
                        maxAbsWithPrefix(tf, prefix));
            } else if (name.endsWith("/moving_mean") || name.endsWith("/moving_variance")) {
                double d = scaled(a, b);
                record("moving statistics (rel. to max)", d, where + " " + name);
                assertTrue(d <= STATS_REL, where + " " + name + ": differs by " + d);
            } else {
                double d = a.maxAbsDifference(b);
                record("parameters after steps (absolute)", d, where + " " + name);
                assertTrue(d <= PARAM_ABS, where + " " + name + ": differs by " + d);
                if (before != null) {
                    Tensor b0 = before.get(name);
                    Tensor da = difference(a, b0);
                    Tensor db = difference(b, b0);
                    double dd = normDifference(da, db);
                    double nb = norm(db);
                    updateDiff += dd * dd;
                    updateNorm += nb * nb;
                }
            }
        }
        if (before != null && updateNorm > 0) {
            double rel = Math.sqrt(updateDiff / updateNorm);
            record("step's parameter update (rel. L2, all)", rel, where);
            assertTrue(
                    rel <= UPDATE_REL,
                    where + ": the step's update of all parameters differs by " + rel + " (relative L2)");
        }
    }
}
