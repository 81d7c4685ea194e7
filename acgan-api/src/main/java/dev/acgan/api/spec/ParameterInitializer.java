package dev.acgan.api.spec;

import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.SeedStreams;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Draws initial parameter values in plain Java, so a seed gives the same starting weights in every
 * backend. Each parameter has its own stream derived from the seed and its name, so adding a layer
 * does not change the other layers' initial values.
 */
public final class ParameterInitializer {

    private ParameterInitializer() {}

    /** Initial values for every parameter and statistic of both networks, in canonical layout. */
    public static NamedTensors initialize(InferredModel model, long seed) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ParameterSpec p : model.parameters()) {
            out.put(p.name(), initialize(p, seed));
        }
        return new NamedTensors(out);
    }

    /** Initial values for every parameter and statistic of one network (a classifier), in canonical layout. */
    public static NamedTensors initialize(InferredNetwork network, long seed) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ParameterSpec p : network.parameters()) {
            out.put(p.name(), initialize(p, seed));
        }
        return new NamedTensors(out);
    }

    /** Initial values of one parameter. */
    public static Tensor initialize(ParameterSpec p, long seed) {
        int[] shape = p.shape();
        float[] v = new float[p.size()];
        SplittableRandom rnd = SeedStreams.random(seed, SeedStreams.Purpose.INIT, nameHash(p.name()));
        long field = 1;
        for (int i = 0; i < shape.length - 2; i++) {
            field *= shape[i];
        }
        double fanIn = shape.length >= 2 ? field * shape[shape.length - 2] : shape.length == 1 ? shape[0] : 1;
        double fanOut = shape.length >= 2 ? field * shape[shape.length - 1] : shape.length == 1 ? shape[0] : 1;
        switch (p.init()) {
            case ZEROS -> {}
            case ONES -> java.util.Arrays.fill(v, 1f);
            case GLOROT_UNIFORM -> uniform(v, rnd, Math.sqrt(6.0 / (fanIn + fanOut)));
            case HE_UNIFORM -> uniform(v, rnd, Math.sqrt(6.0 / fanIn));
            case GLOROT_NORMAL -> truncatedNormal(v, rnd, Math.sqrt(2.0 / (fanIn + fanOut)) / TRUNCATION_STDDEV);
            case HE_NORMAL -> truncatedNormal(v, rnd, Math.sqrt(2.0 / fanIn) / TRUNCATION_STDDEV);
            case NORMAL_0_02 -> {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (SeedStreams.gaussian(rnd) * 0.02);
                }
            }
            default -> throw new IllegalStateException("unhandled initializer " + p.init());
        }
        return new Tensor(shape.clone(), v);
    }

    /** 64-bit FNV-1a of the name: distinct parameters get distinct streams (String.hashCode collides easily). */
    static long nameHash(String name) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            h ^= name.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** Standard deviation of a unit normal truncated at +-2; dividing by it keeps the intended variance. */
    private static final double TRUNCATION_STDDEV = 0.87962566103423978;

    private static void uniform(float[] v, SplittableRandom rnd, double limit) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
        }
    }

    private static void truncatedNormal(float[] v, SplittableRandom rnd, double stddev) {
        for (int i = 0; i < v.length; i++) {
            double g;
            do {
                g = SeedStreams.gaussian(rnd);
            } while (Math.abs(g) > 2);
            v[i] = (float) (g * stddev);
        }
    }
}
