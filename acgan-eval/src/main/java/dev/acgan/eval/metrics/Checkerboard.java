package dev.acgan.eval.metrics;

import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.Layout;
import dev.acgan.eval.classifier.ImageSet;

/**
 * The checkerboard number: how much of the images' energy lies in a pattern locked to the pixel grid with
 * period 2 or 4, where stride-2 transposed convolutions put their "checkerboard artefact", relative to
 * real images.
 *
 * <p>A stride-2 transposed convolution whose kernel overlaps unevenly (a 3x3 or 5x5 kernel, or a 4x4 one
 * whose learned weights differ between the four phases) gives the output pixels of the four phases
 * {@code (y mod 2, x mod 2)} systematically different values: a pattern of period 2 at the same place in
 * every image. The layer before it, one resolution lower, leaves a period-2 pattern that the last layer
 * enlarges to period 4. Real images have no preferred phase relative to the pixel grid.
 *
 * <p><b>Per image: the periodic share.</b> Crop the image to a multiple of 4 in both directions (all of a
 * 28x28 image); for every channel, average the pixels of each of the 16 phases {@code (y mod 4, x mod 4)}:
 * these 16 means, repeated, are the part of the image that repeats with period 4 (which includes period 2).
 * The periodic share is the variance of the 16 means divided by the variance of the pixels, summed over
 * channels before dividing: {@code Σ_c var_phase(mean_c[a][b]) / Σ_c var(x_c)}. Equivalently (Parseval),
 * the energy of the discrete Fourier transform at the 15 non-zero frequencies {@code (2πu/4, 2πv/4)},
 * {@code u, v ∈ {0, 1, 2, 3}} (the Nyquist frequencies (π, π), (π, 0), (0, π) and the half-Nyquist ones)
 * over the energy at all non-zero frequencies. It is 1 for a pure pattern of period 2 or 4 (the 2x2
 * checker {@code (-1)^(y+x)}, alternating rows), about {@code 15 / (h w)} for white noise (0.019 at 28x28),
 * and small for real images (about 0.005 for MNIST digits and 0.01 for Fashion-MNIST); 0 for an image of
 * zero variance or smaller than 4x4.
 *
 * <p><b>Over a set: the mean share; the checkerboard ratio</b> is the mean share of generated images
 * divided by that of real images of the same data: about 1 means no more grid-locked pattern than real
 * images, above 1 more (checkerboard texture), below 1 less. It is computed in double precision from the
 * pixels, deterministically, in a few milliseconds for 1,000 28x28 images. Two disjoint sets of 1,000
 * real test images give ratios of 1.13 (MNIST) and 0.95 (Fashion-MNIST).
 */
public final class Checkerboard {

    /** The period of the phases compared: 4, which includes 2. */
    public static final int PERIOD = 4;

    private Checkerboard() {}

    /**
     * The mean {@linkplain Checkerboard periodic share} of the images; NaN for an empty batch.
     *
     * @param images the images, any layout
     */
    public static double meanPeriodicShare(ImageBatch images) {
        if (images.count() == 0) {
            return Double.NaN;
        }
        ImageBatch b = images.toLayout(Layout.NHWC);
        float[] px = b.pixels();
        int size = b.imageSize();
        double sum = 0;
        for (int n = 0; n < b.count(); n++) {
            sum += periodicShare(px, n * size, b.height(), b.width(), b.channels());
        }
        return sum / b.count();
    }

    /**
     * The mean periodic share of the real images {@code rows} of a set (NaN for none).
     *
     * @param real the real images
     * @param rows the indices, in {@code real}, of the images to use
     */
    public static double meanPeriodicShare(ImageSet real, int[] rows) {
        if (rows.length == 0) {
            return Double.NaN;
        }
        int[] all = real.indices();
        int[] indices = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            indices[i] = all[rows[i]];
        }
        return meanPeriodicShare(new ImageSet(real.source(), indices, real.description()).batch(0, rows.length));
    }

    /**
     * The mean periodic share of the real comparison sample of {@link Evaluator#evaluate}: the first
     * {@code countPerClass} images of each class of {@code realTest}. This is the denominator of the
     * checkerboard ratio that {@code acgan evaluate} prints and {@code acgan train --eval-every} records.
     */
    public static double realReference(ImageSet realTest, int countPerClass) {
        return meanPeriodicShare(
                realTest, Evaluator.firstPerClass(realTest.labels(), realTest.numClasses(), countPerClass));
    }

    /** {@code generated / real}; NaN when either is NaN or {@code real} is not positive. */
    public static double ratio(double generated, double real) {
        if (Double.isNaN(generated) || Double.isNaN(real) || !(real > 0)) {
            return Double.NaN;
        }
        return generated / real;
    }

    /** The periodic share of one NHWC image of {@code h x w x c} pixels at {@code offset} of {@code px}. */
    static double periodicShare(float[] px, int offset, int h, int w, int c) {
        int hh = h - h % PERIOD;
        int ww = w - w % PERIOD;
        if (hh == 0 || ww == 0) {
            return 0;
        }
        int pixels = hh * ww;
        int perPhase = pixels / (PERIOD * PERIOD);
        double periodic = 0;
        double variance = 0;
        double[] phase = new double[PERIOD * PERIOD];
        for (int ch = 0; ch < c; ch++) {
            java.util.Arrays.fill(phase, 0);
            double sum = 0;
            for (int y = 0; y < hh; y++) {
                for (int x = 0; x < ww; x++) {
                    double v = px[offset + (y * w + x) * c + ch];
                    phase[(y % PERIOD) * PERIOD + x % PERIOD] += v;
                    sum += v;
                }
            }
            double mean = sum / pixels;
            double var = 0;
            for (int y = 0; y < hh; y++) {
                for (int x = 0; x < ww; x++) {
                    double d = px[offset + (y * w + x) * c + ch] - mean;
                    var += d * d;
                }
            }
            variance += var / pixels;
            double e = 0;
            for (double p : phase) {
                double d = p / perPhase - mean;
                e += d * d;
            }
            periodic += e / phase.length;
        }
        return variance > 0 ? periodic / variance : 0;
    }
}
