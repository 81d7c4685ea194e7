package dev.acgan.eval.render;

import dev.acgan.api.model.Generator;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.NoiseSampler;
import dev.acgan.api.train.SeedStreams;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * What to feed a generator for a picture of {@code rows x cols} samples, in row-major order. For a
 * conditional model each row is one class and every column shares one noise vector across the rows, so
 * a column shows one "style" in every class.
 *
 * @param rows   grid rows
 * @param cols   grid columns
 * @param noise  {@code [rows*cols, latentDim]}
 * @param labels {@code rows*cols} labels, or {@code null} for an unconditional model
 */
public record SampleGrid(int rows, int cols, Tensor noise, int[] labels) {

    /** Columns of the training grids. */
    public static final int TRAINING_COLUMNS = 10;
    /** Class rows of the training grids at most. */
    public static final int MAX_CLASS_ROWS = 20;

    /**
     * The fixed grid shown during training: noise from {@code SeedStreams.random(seed, SAMPLES, 0)}, so
     * grids of one run (and of runs with one seed) are comparable. Conditional models: one row per class
     * (at most {@value #MAX_CLASS_ROWS}), {@value #TRAINING_COLUMNS} columns; vanilla GAN: 10x10 samples.
     */
    public static SampleGrid training(ModelSpec spec, long seed) {
        SplittableRandom rnd = SeedStreams.random(seed, SeedStreams.Purpose.SAMPLES, 0);
        if (!spec.kind().conditionalGenerator()) {
            return unconditional(spec, TRAINING_COLUMNS * TRAINING_COLUMNS, TRAINING_COLUMNS, rnd);
        }
        int rows = Math.min(spec.numClasses(), MAX_CLASS_ROWS);
        int[] classes = new int[rows];
        for (int i = 0; i < rows; i++) {
            classes[i] = i;
        }
        return classes(spec, classes, TRAINING_COLUMNS, rnd);
    }

    /** One row per class, {@code cols} noise vectors drawn from {@code rnd} shared by all rows. */
    public static SampleGrid classes(ModelSpec spec, int[] classes, int cols, SplittableRandom rnd) {
        Tensor z = NoiseSampler.sample(spec, cols, rnd);
        return byRows(spec, classes, cols, i -> z.data());
    }

    /** {@code count} samples of an unconditional model from {@code rnd}, {@code cols} per row. */
    public static SampleGrid unconditional(ModelSpec spec, int count, int cols, SplittableRandom rnd) {
        Tensor z = NoiseSampler.sample(spec, count, rnd);
        int c = Math.min(cols, count);
        return new SampleGrid((count + c - 1) / c, c, z, null);
    }

    /** {@code count} samples of one class from {@code rnd}, {@code cols} per row. */
    public static SampleGrid oneClass(ModelSpec spec, int cls, int count, int cols, SplittableRandom rnd) {
        Tensor z = NoiseSampler.sample(spec, count, rnd);
        int[] labels = new int[count];
        java.util.Arrays.fill(labels, cls);
        int c = Math.min(cols, count);
        return new SampleGrid((count + c - 1) / c, c, z, labels);
    }

    /**
     * A latent walk: {@code steps} points on the straight line from the noise vector of seed {@code a}
     * to that of seed {@code b} (each drawn as the first vector of {@code new SplittableRandom(seed)}),
     * one row per class ({@code classes == null}: one row, unconditional).
     */
    public static SampleGrid interpolation(ModelSpec spec, int[] classes, int steps, long a, long b) {
        if (steps < 2) {
            throw new IllegalArgumentException("an interpolation needs at least 2 steps, got " + steps);
        }
        float[] za = NoiseSampler.sample(spec, 1, new SplittableRandom(a)).data();
        float[] zb = NoiseSampler.sample(spec, 1, new SplittableRandom(b)).data();
        int dim = spec.latentDim();
        float[] walk = new float[steps * dim];
        for (int s = 0; s < steps; s++) {
            float t = s / (float) (steps - 1);
            for (int k = 0; k < dim; k++) {
                walk[s * dim + k] = (1 - t) * za[k] + t * zb[k];
            }
        }
        if (classes == null) {
            return new SampleGrid(1, steps, new Tensor(new int[] {steps, dim}, walk), null);
        }
        return byRows(spec, classes, steps, i -> walk);
    }

    private static SampleGrid byRows(
            ModelSpec spec, int[] classes, int cols, java.util.function.IntFunction<float[]> rowNoise) {
        int dim = spec.latentDim();
        int n = classes.length * cols;
        float[] z = new float[n * dim];
        int[] labels = new int[n];
        for (int r = 0; r < classes.length; r++) {
            System.arraycopy(rowNoise.apply(r), 0, z, r * cols * dim, cols * dim);
            java.util.Arrays.fill(labels, r * cols, (r + 1) * cols, classes[r]);
        }
        return new SampleGrid(classes.length, cols, new Tensor(new int[] {n, dim}, z), labels);
    }

    /** Runs the generator on the grid's inputs. */
    public ImageBatch generate(Generator generator) {
        return generator.generate(noise, labels);
    }

    /** Runs the generator and lays the samples out (see {@link ImageGrid}). */
    public BufferedImage render(Generator generator) {
        return ImageGrid.render(generate(generator), rows, cols);
    }
}
