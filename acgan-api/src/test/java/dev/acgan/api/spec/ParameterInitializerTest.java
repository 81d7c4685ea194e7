package dev.acgan.api.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.LayerSpec.Dense;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterInitializerTest {

    private static final InferredModel ACGAN =
            Presets.acgan(ImageShape.mnist(), 10, 100).validate();

    @Test
    void coversEveryParameterWithItsShape() {
        NamedTensors t = ParameterInitializer.initialize(ACGAN, 1);
        assertEquals(ACGAN.parameters().stream().map(ParameterSpec::name).toList(), List.copyOf(t.names()));
        for (ParameterSpec p : ACGAN.parameters()) {
            assertArrayEquals(p.shape(), t.get(p.name()).shape(), p.name());
        }
    }

    @Test
    void sameSeedSameTensorsDifferentSeedDifferentTensors() {
        NamedTensors a = ParameterInitializer.initialize(ACGAN, 42);
        NamedTensors b = ParameterInitializer.initialize(ACGAN, 42);
        NamedTensors c = ParameterInitializer.initialize(ACGAN, 43);
        assertEquals(a, b);
        for (ParameterSpec p : ACGAN.parameters()) {
            boolean random = p.init() != Initializer.ZEROS && p.init() != Initializer.ONES;
            if (random) {
                assertNotEquals(a.get(p.name()), c.get(p.name()), p.name() + " must change with the seed");
            } else {
                assertEquals(a.get(p.name()), c.get(p.name()), p.name() + " is constant");
            }
        }
    }

    @Test
    void parametersAreIndependentOfOtherLayers() {
        // the tiny GAN, and the same with an extra Dense layer inserted in front of the generator's dense
        ModelSpec plain = TinySpecs.gan();
        NetworkSpec g2 = NetworkSpec.builder()
                .add("extra", Dense.of(3), NetworkSpec.NOISE)
                .then("dense", Dense.of(4))
                .then("tanh", new LayerSpec.Tanh())
                .then("reshape", new LayerSpec.Reshape(List.of(2, 2, 1)))
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        ModelSpec extended =
                new ModelSpec("tiny-gan", GanKind.GAN, plain.image(), 1, 3, plain.noise(), g2, plain.discriminator());
        NamedTensors a = ParameterInitializer.initialize(plain.validate(), 7);
        NamedTensors b = ParameterInitializer.initialize(extended.validate(), 7);
        assertEquals(6, b.size());
        for (String name : a.names()) {
            assertEquals(a.get(name), b.get(name), name + " changed when a layer was added");
        }
        // and one parameter alone gives the same values as in the whole model
        for (ParameterSpec p : ACGAN.discriminator().parameters()) {
            if (p.name().endsWith("/kernel")) {
                assertEquals(
                        ParameterInitializer.initialize(ACGAN, 5).get(p.name()), ParameterInitializer.initialize(p, 5));
            }
        }
    }

    @Test
    void glorotUniformBoundsAndVariance() {
        // fanIn 200, fanOut 300: limit = sqrt(6/500) = 0.10954; variance of U[-l, l] = l^2/3 = 2/500 = 0.004.
        // 60,000 values: the standard error of the sample variance is about 0.37% of it, of the mean
        // about 2.6e-4; tolerances: variance within 3% and mean within 2e-3.
        ParameterSpec p =
                new ParameterSpec("discriminator/x/kernel", new int[] {200, 300}, Initializer.GLOROT_UNIFORM, true);
        float[] v = ParameterInitializer.initialize(p, 11).data();
        double limit = Math.sqrt(6.0 / 500);
        Stats s = Stats.of(v);
        assertTrue(s.maxAbs <= limit, "max |v| " + s.maxAbs + " > limit " + limit);
        assertTrue(s.max > 0.99 * limit && s.min < -0.99 * limit, "values should reach both ends of the range");
        assertEquals(0.004, s.variance, 0.004 * 0.03);
        assertEquals(0, s.mean, 2e-3);

        // a conv kernel [3, 3, 16, 32]: receptive field 9, fanIn 144, fanOut 288 -> limit sqrt(6/432) = 0.11785
        ParameterSpec conv =
                new ParameterSpec("discriminator/c/kernel", new int[] {3, 3, 16, 32}, Initializer.GLOROT_UNIFORM, true);
        Stats c = Stats.of(ParameterInitializer.initialize(conv, 11).data());
        double convLimit = Math.sqrt(6.0 / 432);
        assertTrue(c.maxAbs <= convLimit && c.maxAbs > 0.98 * convLimit, "conv max |v| " + c.maxAbs);
        // 4,608 values: standard error of the variance about 1.3%; tolerance 6%
        assertEquals(convLimit * convLimit / 3, c.variance, convLimit * convLimit / 3 * 0.06);
    }

    @Test
    void glorotNormalIsTruncatedAtTwoSigmaOfTheUnderlyingNormal() {
        // variance target 2/(fanIn+fanOut) = 2/500; the underlying normal has sigma = sqrt(2/500)/0.8796
        // (0.8796 = standard deviation of a unit normal truncated at +-2), so values lie within 2*sigma.
        ParameterSpec p =
                new ParameterSpec("generator/x/kernel", new int[] {200, 300}, Initializer.GLOROT_NORMAL, true);
        float[] v = ParameterInitializer.initialize(p, 3).data();
        double sigma = Math.sqrt(2.0 / 500) / 0.87962566103423978;
        Stats s = Stats.of(v);
        assertTrue(s.maxAbs <= 2 * sigma * (1 + 1e-6), "max |v| " + s.maxAbs + " beyond 2 sigma " + 2 * sigma);
        // about 0.7% of values lie beyond 1.94 sigma: the truncation point is reached
        assertTrue(s.maxAbs > 1.97 * sigma, "max |v| " + s.maxAbs + " should approach 2 sigma");
        // 60,000 values: standard error of the sample variance about 0.5%; tolerance 3%
        assertEquals(2.0 / 500, s.variance, 2.0 / 500 * 0.03);
        assertEquals(0, s.mean, 2e-3);
        // shape of a truncated normal: P(|g| < 1 | |g| <= 2) = 0.6827 / 0.9545 = 0.7153 (tolerance 0.01)
        long within = 0;
        for (float x : v) {
            if (Math.abs(x) < sigma) {
                within++;
            }
        }
        assertEquals(0.7153, within / (double) v.length, 0.01);
    }

    @Test
    void heNormalAndDcganNormal() {
        ParameterSpec he = new ParameterSpec("g/he/kernel", new int[] {400, 100}, Initializer.HE_NORMAL, true);
        Stats h = Stats.of(ParameterInitializer.initialize(he, 9).data());
        double sigma = Math.sqrt(2.0 / 400) / 0.87962566103423978;
        assertTrue(h.maxAbs <= 2 * sigma * (1 + 1e-6));
        assertEquals(2.0 / 400, h.variance, 2.0 / 400 * 0.04); // 40,000 values, tolerance 4%
        ParameterSpec n = new ParameterSpec("g/n/kernel", new int[] {200, 200}, Initializer.NORMAL_0_02, true);
        Stats s = Stats.of(ParameterInitializer.initialize(n, 9).data());
        assertEquals(0.02 * 0.02, s.variance, 0.02 * 0.02 * 0.03); // 40,000 values, tolerance 3%
        assertTrue(s.maxAbs > 3 * 0.02, "an untruncated normal exceeds 3 sigma somewhere in 40,000 draws");
    }

    @Test
    void biasesAndBatchNormStartAtZerosAndOnes() {
        NamedTensors t = ParameterInitializer.initialize(ACGAN, 99);
        for (ParameterSpec p : ACGAN.parameters()) {
            float[] v = t.get(p.name()).data();
            if (p.name().endsWith("/bias")
                    || p.name().endsWith("/beta")
                    || p.name().endsWith("/moving_mean")) {
                assertAll(v, 0f, p.name());
            } else if (p.name().endsWith("/gamma") || p.name().endsWith("/moving_variance")) {
                assertAll(v, 1f, p.name());
            } else {
                Stats s = Stats.of(v);
                assertTrue(s.variance > 0, p.name() + " should be random");
            }
        }
        // the embedding table [10, 100] is Glorot-normal with fans 10 and 100
        Stats emb = Stats.of(t.get("generator/embedding/embeddings").data());
        assertTrue(emb.maxAbs <= 2 * Math.sqrt(2.0 / 110) / 0.87962566103423978 * (1 + 1e-6));
        assertFalse(emb.maxAbs == 0);
    }

    private static void assertAll(float[] v, float expected, String name) {
        for (int i = 0; i < v.length; i++) {
            assertEquals(expected, v[i], name + "[" + i + "]");
        }
    }

    private record Stats(double mean, double variance, double min, double max, double maxAbs) {
        static Stats of(float[] v) {
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float x : v) {
                sum += x;
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            double mean = sum / v.length;
            double sq = 0;
            for (float x : v) {
                sq += (x - mean) * (x - mean);
            }
            return new Stats(mean, sq / v.length, min, max, Math.max(-min, max));
        }
    }

    @Test
    void tensorValuesAreFresh() {
        Tensor a = ParameterInitializer.initialize(ACGAN.parameters().get(0), 1);
        a.data()[0] = 1234f;
        assertNotEquals(
                1234f,
                ParameterInitializer.initialize(ACGAN.parameters().get(0), 1).data()[0]);
    }
}
