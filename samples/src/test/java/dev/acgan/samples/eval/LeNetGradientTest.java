package dev.acgan.samples.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The LeNet's forward pass, loss and gradient on a tiny network, checked by central finite differences. */
class LeNetGradientTest {

    /** 16x16x2 input, 3 and 4 filters, dense 6 and 5, 3 classes: every layer, a few hundred weights. */
    static final LeNetShape TINY = new LeNetShape(16, 16, 2, 3, 4, 6, 5, 3);

    static float[] images(int n, LeNetShape s, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n * s.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    @Test
    void shapesAndParameterNames() {
        LeNetShape s = LeNetShape.standard(10);
        assertEquals(256, s.flat());
        assertEquals(156 + 2416 + 30840 + 10164 + 850, s.parameterCount());
        LeNet net = LeNet.initialise(s, 3);
        assertEquals(java.util.List.of("conv1/kernel", "conv1/bias", "conv2/kernel", "conv2/bias", "dense1/kernel",
                "dense1/bias", "dense2/kernel", "dense2/bias", "logits/kernel", "logits/bias"),
                java.util.List.copyOf(net.tensors().names()));
        assertArrayEquals(new int[] {5, 5, 1, 6}, net.tensors().get("conv1/kernel").shape());
        assertEquals(LeNet.of(s, net.tensors()).tensors(), net.tensors(), "weights round-trip by name");
    }

    @Test
    void probabilitiesSumToOneAndPredictionIsDeterministic() {
        LeNet net = LeNet.initialise(TINY, 5);
        float[] x = images(70, TINY, 9);
        LeNet.Predictions a = net.predict(x, 70);
        LeNet.Predictions b = net.predict(x, 70);
        assertArrayEquals(a.probabilities(), b.probabilities());
        assertArrayEquals(a.features(), b.features());
        for (int i = 0; i < 70; i++) {
            double sum = 0;
            for (int j = 0; j < 3; j++) {
                sum += a.probabilities()[i * 3 + j];
            }
            assertEquals(1, sum, 1e-5);
        }
        // One image alone gives the same numbers as inside a batch.
        float[] one = java.util.Arrays.copyOfRange(x, 33 * TINY.inputSize(), 34 * TINY.inputSize());
        LeNet.Predictions single = net.predict(one, 1);
        assertArrayEquals(java.util.Arrays.copyOfRange(a.features(), 33 * 5, 34 * 5), single.features());
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        LeNet net = LeNet.initialise(TINY, 11);
        float[] w = net.weights();
        // Biases start at zero; give them values so that their gradients are exercised off the ReLU kinks too.
        SplittableRandom rnd = new SplittableRandom(12);
        for (LeNetShape.Param p : TINY.params()) {
            if (p.shape().length == 1) {
                for (int i = 0; i < p.size(); i++) {
                    w[p.offset() + i] = (float) (rnd.nextDouble() * 0.2 - 0.05);
                }
            }
        }
        int n = 5;
        float[] x = images(n, TINY, 13);
        int[] labels = {0, 2, 1, 2, 0};
        float[] grad = new float[w.length];
        double loss = net.lossAndGradient(x, labels, n, grad);
        assertTrue(loss > 0 && Double.isFinite(loss));
        float[] scratch = new float[w.length];
        // Small enough not to cross ReLU or max-pool switches (1e-2 does for some conv1 weights), large enough
        // for float32 losses.
        double eps = 1e-3;
        int checked = 0;
        double worst = 0;
        String worstName = "";
        for (LeNetShape.Param p : TINY.params()) {
            double gradNorm = 0;
            double errNorm = 0;
            for (int i = 0; i < p.size(); i++) {
                int idx = p.offset() + i;
                float orig = w[idx];
                w[idx] = (float) (orig + eps);
                double up = net.lossAndGradient(x, labels, n, scratch);
                w[idx] = (float) (orig - eps);
                double down = net.lossAndGradient(x, labels, n, scratch);
                w[idx] = orig;
                double fd = (up - down) / (2 * eps);
                gradNorm += grad[idx] * (double) grad[idx];
                errNorm += (fd - grad[idx]) * (fd - grad[idx]);
                checked++;
            }
            double rel = Math.sqrt(errNorm) / Math.max(Math.sqrt(gradNorm), 1e-3);
            if (rel > worst) {
                worst = rel;
                worstName = p.name();
            }
            assertTrue(rel < 2e-2, () -> p.name() + ": finite differences differ from the gradient by " + rel
                    + " of its norm");
        }
        assertEquals(TINY.parameterCount(), checked);
        System.out.printf("LeNet gradient: %d weights, worst relative error %.2e (%s)%n", checked, worst, worstName);
    }

    @Test
    void gradientIsTheMeanOverTheBatchAndIndependentOfTheSplit() {
        // The batch gradient equals the mean of single-image gradients (up to float rounding), so splitting
        // the batch over threads changes nothing but the (fixed) summation order.
        LeNet net = LeNet.initialise(TINY, 21);
        int n = 9;
        float[] x = images(n, TINY, 22);
        int[] labels = {0, 1, 2, 0, 1, 2, 0, 1, 2};
        float[] g = new float[TINY.parameterCount()];
        double loss = net.lossAndGradient(x, labels, n, g);
        double[] sum = new double[g.length];
        double lossSum = 0;
        float[] gi = new float[g.length];
        for (int i = 0; i < n; i++) {
            float[] xi = java.util.Arrays.copyOfRange(x, i * TINY.inputSize(), (i + 1) * TINY.inputSize());
            lossSum += net.lossAndGradient(xi, new int[] {labels[i]}, 1, gi);
            for (int k = 0; k < g.length; k++) {
                sum[k] += gi[k];
            }
        }
        assertEquals(lossSum / n, loss, 1e-6);
        for (int k = 0; k < g.length; k++) {
            assertEquals(sum[k] / n, g[k], 1e-5 + 1e-4 * Math.abs(g[k]));
        }
        float[] again = new float[g.length];
        net.lossAndGradient(x, labels, n, again);
        assertArrayEquals(g, again, "bit-identical on repetition");
    }
}
