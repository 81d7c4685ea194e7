package dev.acgan.api.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.GanKind;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NoiseDistribution;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spec.TinySpecs;
import dev.acgan.api.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NoiseSamplerTest {

    @Test
    void uniformNoiseShapeAndRange() {
        ModelSpec spec = Presets.acgan(ImageShape.mnist(), 10, 100);
        Tensor z = NoiseSampler.sample(spec, 1000, new SplittableRandom(4));
        assertArrayEquals(new int[] {1000, 100}, z.shape());
        double sum = 0;
        double sq = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : z.data()) {
            // NoiseDistribution.UNIFORM documents [-1, 1]: nextDouble()*2-1 lies in [-1, 1), but a double within
            // 2^-25 of 1 rounds to 1.0f, so the float value 1 is possible (probability 2^-26 per draw)
            assertTrue(v >= -1f && v <= 1f, "noise value " + v);
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sq += (double) v * v;
        }
        assertTrue(min < -0.999f && max > 0.999f, "range covered: " + min + ".." + max);
        // 100,000 values: standard error of the mean 0.0018, of the variance 0.3%; tolerances 0.01 and 2%
        assertEquals(0, sum / 1e5, 0.01);
        assertEquals(1.0 / 3, sq / 1e5, 1.0 / 3 * 0.02);
        assertEquals(z, NoiseSampler.sample(spec, 1000, new SplittableRandom(4)));
        assertNotEquals(z, NoiseSampler.sample(spec, 1000, new SplittableRandom(5)));
    }

    @Test
    void normalNoise() {
        ModelSpec t = TinySpecs.gan();
        ModelSpec normal = new ModelSpec(
                t.name(), t.kind(), t.image(), 1, 50, NoiseDistribution.NORMAL, t.generator(), t.discriminator());
        Tensor z = NoiseSampler.sample(normal, 2000, new SplittableRandom(8));
        assertArrayEquals(new int[] {2000, 50}, z.shape());
        double sum = 0;
        double sq = 0;
        for (float v : z.data()) {
            sum += v;
            sq += (double) v * v;
        }
        // 100,000 values: tolerances 0.015 on the mean and 3% on the variance
        assertEquals(0, sum / 1e5, 0.015);
        assertEquals(1, sq / 1e5, 0.03);
    }

    @Test
    void labelsInRangeAndNullForGan() {
        ModelSpec acgan = Presets.acgan(ImageShape.mnist(), 10, 100);
        int[] labels = NoiseSampler.labels(acgan, 10_000, new SplittableRandom(6));
        assertEquals(10_000, labels.length);
        int[] counts = new int[10];
        for (int l : labels) {
            assertTrue(l >= 0 && l < 10, "label " + l);
            counts[l]++;
        }
        for (int k = 0; k < 10; k++) {
            // expected 1000 per class, standard deviation 30; tolerance 150
            assertEquals(1000, counts[k], 150, "class " + k);
        }
        assertArrayEquals(labels, NoiseSampler.labels(acgan, 10_000, new SplittableRandom(6)));
        assertEquals(GanKind.CGAN, Presets.cgan(ImageShape.mnist(), 3, 100).kind());
        for (int l : NoiseSampler.labels(Presets.cgan(ImageShape.mnist(), 3, 100), 500, new SplittableRandom(1))) {
            assertTrue(l >= 0 && l < 3);
        }
        assertNull(NoiseSampler.labels(Presets.ganMlp(ImageShape.mnist(), 10, 100), 10, new SplittableRandom(1)));
        assertNull(NoiseSampler.labels(TinySpecs.gan(), 10, new SplittableRandom(1)));
    }
}
