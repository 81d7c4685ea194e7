package dev.acgan.api.train;

import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NoiseDistribution;
import dev.acgan.api.tensor.Tensor;
import java.util.SplittableRandom;

/** Draws noise vectors and class labels in plain Java, so every backend sees the same inputs. */
public final class NoiseSampler {

    private NoiseSampler() {}

    /** {@code [n, latentDim]} noise from the model's prior. */
    public static Tensor sample(ModelSpec spec, int n, SplittableRandom rnd) {
        float[] z = new float[n * spec.latentDim()];
        if (spec.noise() == NoiseDistribution.UNIFORM) {
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) (rnd.nextDouble() * 2 - 1);
            }
        } else {
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) SeedStreams.gaussian(rnd);
            }
        }
        return new Tensor(new int[] {n, spec.latentDim()}, z);
    }

    /** {@code n} labels uniform over the model's classes, or {@code null} for an unconditional model. */
    public static int[] labels(ModelSpec spec, int n, SplittableRandom rnd) {
        if (!spec.kind().conditionalGenerator()) {
            return null;
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(spec.numClasses());
        }
        return labels;
    }
}
