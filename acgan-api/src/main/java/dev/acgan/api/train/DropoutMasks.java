package dev.acgan.api.train;

import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.InferredNetwork.InferredNode;
import dev.acgan.api.spec.LayerSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Draws inverted-dropout keep masks in plain Java so that every backend drops the same units: a value
 * is kept with probability {@code 1-rate} and then scaled by {@code 1/(1-rate)}. Masks are NHWC per
 * example, examples in batch order.
 */
public final class DropoutMasks {

    private DropoutMasks() {}

    /** Masks for every Dropout node of the network for a batch of {@code n}; empty when it has none. */
    public static Map<String, float[]> draw(InferredNetwork net, int n, SplittableRandom rnd) {
        Map<String, float[]> masks = new LinkedHashMap<>();
        for (InferredNode node : net.dropoutNodes()) {
            double rate = ((LayerSpec.Dropout) node.layer()).rate();
            masks.put(node.name(), mask(n * node.outputSize(), rate, rnd));
        }
        return masks;
    }

    /**
     * One mask of {@code size} values. Uses 24 random bits per value, two values per 64-bit draw (the
     * high 24 bits, then bits 8-31); an odd last value takes a draw of its own.
     */
    static float[] mask(int size, double rate, SplittableRandom rnd) {
        float[] m = new float[size];
        float keep = (float) (1.0 / (1.0 - rate));
        long threshold = (long) Math.ceil(rate * (1 << 24));
        int pairs = size >>> 1;
        for (int j = 0; j < pairs; j++) {
            long bits = rnd.nextLong();
            m[2 * j] = keep * kept(bits >>> 40, threshold);
            m[2 * j + 1] = keep * kept((bits >>> 8) & 0xFFFFFF, threshold);
        }
        if ((size & 1) != 0) {
            m[size - 1] = keep * kept(rnd.nextLong() >>> 40, threshold);
        }
        return m;
    }

    /**
     * 1 when {@code value >= threshold}, else 0, without a branch: a kept-or-dropped branch is
     * mispredicted a third of the time, and a batch of 100 draws some 15 million values a step (the
     * branch-free loop takes about half the time).
     */
    private static int kept(long value, long threshold) {
        return 1 - (int) ((value - threshold) >>> 63);
    }
}
