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

    private DropoutMasks() {
    }

    /** Masks for every Dropout node of the network for a batch of {@code n}; empty when it has none. */
    public static Map<String, float[]> draw(InferredNetwork net, int n, SplittableRandom rnd) {
        Map<String, float[]> masks = new LinkedHashMap<>();
        for (InferredNode node : net.dropoutNodes()) {
            double rate = ((LayerSpec.Dropout) node.layer()).rate();
            masks.put(node.name(), mask(n * node.outputSize(), rate, rnd));
        }
        return masks;
    }

    /** One mask of {@code size} values. Uses 24 random bits per value, two values per 64-bit draw. */
    static float[] mask(int size, double rate, SplittableRandom rnd) {
        float[] m = new float[size];
        float keep = (float) (1.0 / (1.0 - rate));
        long threshold = (long) Math.ceil(rate * (1 << 24));
        for (int i = 0; i < size; i += 2) {
            long bits = rnd.nextLong();
            m[i] = ((bits >>> 40) >= threshold) ? keep : 0f;
            if (i + 1 < size) {
                m[i + 1] = (((bits >>> 8) & 0xFFFFFF) >= threshold) ? keep : 0f;
            }
        }
        return m;
    }
}
