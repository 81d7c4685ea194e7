package dev.acgan.api.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.train.SeedStreams.Purpose;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DropoutMasksTest {

    @Test
    void maskValuesAreZeroOrTheInverseKeepRate() {
        float keep = (float) (1.0 / (1.0 - 0.3));
        float[] m = DropoutMasks.mask(1_000_000, 0.3, new SplittableRandom(1));
        long kept = 0;
        for (float v : m) {
            assertTrue(v == 0f || v == keep, "mask value " + v);
            if (v != 0f) {
                kept++;
            }
        }
        // keep probability 1 - ceil(0.3 * 2^24) / 2^24 = 0.7 (to 6e-8); the binomial standard deviation of the
        // kept fraction over 1e6 draws is sqrt(0.21 / 1e6) = 4.6e-4; tolerance 0.003 (6.5 sigma)
        assertEquals(0.7, kept / 1e6, 0.003);
        // both halves of each 64-bit draw are used: even and odd positions are each kept at the same rate
        long even = 0;
        long odd = 0;
        for (int i = 0; i < m.length; i += 2) {
            even += m[i] != 0 ? 1 : 0;
            odd += m[i + 1] != 0 ? 1 : 0;
        }
        assertEquals(0.7, even / 5e5, 0.005);
        assertEquals(0.7, odd / 5e5, 0.005);
    }

    @Test
    void otherRatesAndOddSizes() {
        float[] none = DropoutMasks.mask(7, 0.0, new SplittableRandom(1));
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1}, none);
        float[] half = DropoutMasks.mask(200_001, 0.5, new SplittableRandom(2));
        assertEquals(200_001, half.length);
        long kept = 0;
        for (float v : half) {
            assertTrue(v == 0f || v == 2f);
            kept += v != 0 ? 1 : 0;
        }
        // standard deviation of the fraction sqrt(0.25 / 2e5) = 1.1e-3; tolerance 0.006
        assertEquals(0.5, kept / 200_001.0, 0.006);
        assertEquals(0, DropoutMasks.mask(0, 0.3, new SplittableRandom(1)).length);
    }

    @Test
    void eachValueComesFromItsOwn24BitsOfTheStream() {
        // The layout is part of the training semantics (earlier runs and both backends drop the same units):
        // value 2j is bits 40-63 of draw j, value 2j+1 bits 8-31, an odd last value bits 40-63 of a draw of
        // its own; kept when those 24 bits are at least ceil(rate * 2^24).
        for (int size : new int[] {1, 2, 9, 1000, 1001}) {
            for (double rate : new double[] {0.3, 0.5, 0.9}) {
                SplittableRandom rnd = new SplittableRandom(size * 31L + (long) (rate * 10));
                float[] m = DropoutMasks.mask(size, rate, rnd.split());
                SplittableRandom same = new SplittableRandom(size * 31L + (long) (rate * 10)).split();
                long threshold = (long) Math.ceil(rate * (1 << 24));
                float keep = (float) (1.0 / (1.0 - rate));
                for (int i = 0; i < size; i += 2) {
                    long bits = same.nextLong();
                    assertEquals((bits >>> 40) >= threshold ? keep : 0f, m[i], "size " + size + " value " + i);
                    if (i + 1 < size) {
                        assertEquals(
                                ((bits >>> 8) & 0xFFFFFF) >= threshold ? keep : 0f,
                                m[i + 1],
                                "size " + size + " value " + (i + 1));
                    }
                }
            }
        }
    }

    @Test
    void sameSeedSameMaskDifferentSeedsDiffer() {
        InferredNetwork d =
                Presets.acgan(ImageShape.mnist(), 10, 100).validate().discriminator();
        Map<String, float[]> a = DropoutMasks.draw(d, 4, SeedStreams.random(42, Purpose.DISCRIMINATOR_DROPOUT, 5));
        Map<String, float[]> b = DropoutMasks.draw(d, 4, SeedStreams.random(42, Purpose.DISCRIMINATOR_DROPOUT, 5));
        Map<String, float[]> c = DropoutMasks.draw(d, 4, SeedStreams.random(42, Purpose.DISCRIMINATOR_DROPOUT, 6));
        Map<String, float[]> e = DropoutMasks.draw(d, 4, SeedStreams.random(43, Purpose.DISCRIMINATOR_DROPOUT, 5));
        for (String node : a.keySet()) {
            assertArrayEquals(a.get(node), b.get(node), node);
            assertFalse(java.util.Arrays.equals(a.get(node), c.get(node)), node + ": next step must differ");
            assertFalse(java.util.Arrays.equals(a.get(node), e.get(node)), node + ": other seed must differ");
        }
        // two nodes drawn from one stream do not repeat each other
        assertFalse(java.util.Arrays.equals(
                java.util.Arrays.copyOf(a.get("conv3_dropout"), 1000),
                java.util.Arrays.copyOf(a.get("conv4_dropout"), 1000)));
    }

    @Test
    void masksAreSizedPerDropoutNodeOfTheAcganDiscriminator() {
        InferredModel m = Presets.acgan(ImageShape.mnist(), 10, 100).validate();
        int n = 3;
        Map<String, float[]> masks = DropoutMasks.draw(m.discriminator(), n, new SplittableRandom(0));
        assertEquals(
                List.of("conv1_dropout", "conv2_dropout", "conv3_dropout", "conv4_dropout"),
                List.copyOf(masks.keySet()));
        assertEquals(n * 14 * 14 * 32, masks.get("conv1_dropout").length);
        assertEquals(n * 14 * 14 * 64, masks.get("conv2_dropout").length);
        assertEquals(n * 7 * 7 * 128, masks.get("conv3_dropout").length);
        assertEquals(n * 7 * 7 * 256, masks.get("conv4_dropout").length);
        for (InferredNetwork.InferredNode node : m.discriminator().dropoutNodes()) {
            assertEquals(n * node.outputSize(), masks.get(node.name()).length);
        }
        // the generator has no Dropout node
        assertTrue(DropoutMasks.draw(m.generator(), n, new SplittableRandom(0)).isEmpty());
        // gan-mlp's discriminator: dense 512 and 256
        Map<String, float[]> mlp = DropoutMasks.draw(
                Presets.ganMlp(ImageShape.mnist(), 10, 100).validate().discriminator(), 5, new SplittableRandom(0));
        assertEquals(5 * 512, mlp.get("dense1_dropout").length);
        assertEquals(5 * 256, mlp.get("dense2_dropout").length);
    }
}
