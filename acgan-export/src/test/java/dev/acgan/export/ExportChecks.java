package dev.acgan.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.tck.ParityTolerances;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** What the export tests share: the TCK's output tolerance applied element by element, and test weights. */
final class ExportChecks {

    private ExportChecks() {}

    /**
     * Asserts every element of {@code actual} within the TCK's output tolerance of {@code expected}
     * ({@link ParityTolerances#OUTPUT_RTOL} relative plus {@link ParityTolerances#OUTPUT_ATOL} absolute).
     *
     * @param what names the compared values in a failure, e.g. {@code "acgan-fast on nd4j: image"}
     * @param runtime the runtime that computed {@code actual}, e.g. {@code "onnx"}
     * @return the largest absolute difference
     */
    static double assertWithinOutputTolerance(String what, String runtime, float[] actual, float[] expected) {
        assertEquals(expected.length, actual.length, what + " size");
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(actual[i] - expected[i]);
            max = Math.max(max, diff);
            double allowed = ParityTolerances.OUTPUT_RTOL * Math.abs(expected[i]) + ParityTolerances.OUTPUT_ATOL;
            if (diff > allowed) {
                throw new AssertionError(String.format(
                        Locale.ROOT,
                        "%s element %d differs by %.3g (%s %.7f, backend %.7f), allowed %.3g",
                        what,
                        i,
                        diff,
                        runtime,
                        actual[i],
                        expected[i],
                        allowed));
            }
        }
        return max;
    }

    /**
     * Generator weights with BatchNorm statistics far from their initial 0 and 1 (a few training steps barely move
     * them): random moving means and variances, gammas and betas, so that a wrong epsilon, a swapped statistic or a
     * missed one shows.
     */
    static NamedTensors randomGeneratorWeights(ModelSpec spec, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (ParameterSpec p : spec.validate().generator().parameters()) {
            float[] data = new float[p.size()];
            double scale = p.shape().length == 1 ? 1 : Math.sqrt(2.0 / p.shape()[p.shape().length - 2]);
            for (int i = 0; i < data.length; i++) {
                data[i] = p.name().endsWith("moving_variance")
                        ? (float) (0.05 + rnd.nextDouble() * 2)
                        : (float) (rnd.nextDouble(-1, 1) * scale);
            }
            weights.put(p.name(), new Tensor(p.shape(), data));
        }
        return new NamedTensors(weights);
    }
}
