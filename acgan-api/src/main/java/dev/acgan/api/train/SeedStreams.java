package dev.acgan.api.train;

import java.util.SplittableRandom;

/**
 * Derives independent, reproducible random streams from the single training seed. A stream is
 * identified by its purpose and a counter (the step or epoch), so a run resumed at step {@code s}
 * draws exactly what an uninterrupted run would have drawn at step {@code s}: no RNG state needs to be
 * saved beyond the seed and the position.
 */
public final class SeedStreams {

    /** What a stream is used for. The ordinal is part of the derivation: append, never reorder. */
    public enum Purpose {
        /** Initial weights. */
        INIT,
        /** Dataset order, per epoch. */
        SHUFFLE,
        /** Noise of the fakes shown to the discriminator, per step. */
        DISCRIMINATOR_NOISE,
        /** Labels of those fakes, per step. */
        DISCRIMINATOR_LABELS,
        /** Dropout masks of the discriminator step, per step. */
        DISCRIMINATOR_DROPOUT,
        /** Noise of the generator step, per step. */
        GENERATOR_NOISE,
        /** Labels of the generator step, per step. */
        GENERATOR_LABELS,
        /** Dropout masks of the generator step, per step. */
        GENERATOR_DROPOUT,
        /** Fixed noise for sample grids. */
        SAMPLES
    }

    private SeedStreams() {}

    /** A 64-bit seed for the purpose and counter. */
    public static long derive(long seed, Purpose purpose, long counter) {
        return mix(mix(seed ^ 0x9E3779B97F4A7C15L * (purpose.ordinal() + 1)) + counter);
    }

    /** A fresh generator for the purpose and counter. */
    public static SplittableRandom random(long seed, Purpose purpose, long counter) {
        return new SplittableRandom(derive(seed, purpose, counter));
    }

    /** A standard normal draw by Box-Muller, spelled out so values do not depend on the JDK version. */
    public static double gaussian(SplittableRandom rnd) {
        double u1;
        do {
            u1 = rnd.nextDouble();
        } while (u1 <= Double.MIN_NORMAL);
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    /** The SplitMix64 finaliser: a bijective scramble of 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
