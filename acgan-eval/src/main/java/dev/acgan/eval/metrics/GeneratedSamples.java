package dev.acgan.eval.metrics;

import dev.acgan.api.model.Generator;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.NoiseSampler;
import java.util.SplittableRandom;

/** The images {@code acgan evaluate} scores, generated reproducibly from a seed. */
public final class GeneratedSamples {

    /** Images per class that {@code acgan evaluate} and {@code acgan train --eval-every} score by default. */
    public static final int DEFAULT_COUNT_PER_CLASS = 100;
    /** Seed of their noise by default. */
    public static final long DEFAULT_SEED = 42;

    /** Images per generator call. */
    static final int BATCH = 250;

    private GeneratedSamples() {}

    /**
     * {@code countPerClass} images of every class (class 0 first, then 1, ...; labels = requested
     * classes), or, for an unconditional model, {@code countPerClass * numClasses} unlabelled images. The
     * noise is drawn in order from {@code new SplittableRandom(seed)} from the model's prior, so the same
     * seed gives the same images.
     */
    public static ImageBatch generate(Generator generator, int countPerClass, long seed) {
        ModelSpec spec = generator.spec();
        int n = Math.multiplyExact(countPerClass, spec.numClasses());
        boolean conditional = spec.kind().conditionalGenerator();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i / countPerClass;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int size = spec.image().size();
        float[] pixels = new float[Math.multiplyExact(n, size)];
        for (int from = 0; from < n; from += BATCH) {
            int m = Math.min(BATCH, n - from);
            Tensor z = NoiseSampler.sample(spec, m, rnd);
            int[] l = conditional ? java.util.Arrays.copyOfRange(labels, from, from + m) : null;
            ImageBatch b = generator.generate(z, l).toLayout(dev.acgan.api.tensor.Layout.NHWC);
            System.arraycopy(b.pixels(), 0, pixels, from * size, m * size);
        }
        return ImageBatch.nhwc(
                n,
                spec.image().height(),
                spec.image().width(),
                spec.image().channels(),
                pixels,
                conditional ? labels : null);
    }
}
