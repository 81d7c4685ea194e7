package dev.acgan.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.eval.classifier.ClassifierData;
import dev.acgan.eval.classifier.ImageSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Checkerboard} on images with a known answer: period-2 patterns give a Nyquist share of 1, constant
 * and linear images 0, white noise about 0.42 and smooth blobs almost 0; the output of a stride-2
 * transposed convolution whose kernel overlaps unevenly (3x3) has a checkerboard that one with an even
 * overlap (the 4x4 bilinear kernel) lacks; and two disjoint samples of real MNIST test digits give a
 * ratio near 1.
 */
class CheckerboardTest {

    private static final int S = 28;

    private static ImageBatch one(double[][] img) {
        float[] px = new float[S * S];
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                px[y * S + x] = (float) img[y][x];
            }
        }
        return ImageBatch.nhwc(1, S, S, 1, px, null);
    }

    private static double share(double[][] img) {
        return Checkerboard.meanNyquistShare(one(img));
    }

    private interface Pixel {
        double at(int y, int x);
    }

    private static double[][] image(Pixel p) {
        double[][] img = new double[S][S];
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                img[y][x] = p.at(y, x);
            }
        }
        return img;
    }

    /** A digit-sized smooth blob in [-1, 1]: background -1, a Gaussian stroke of width about 3 pixels. */
    private static double blob(double y, double x) {
        double r = Math.hypot(y - 13.5, x - 13.5);
        return -1 + 2 * Math.exp(-(r - 7) * (r - 7) / 4.5);
    }

    @Test
    void periodTwoPatternsGiveOne() {
        assertEquals(1, share(image((y, x) -> (y + x) % 2 == 0 ? 1 : -1)), 1e-12, "(pi, pi)");
        assertEquals(1, share(image((y, x) -> y % 2 == 0 ? 1 : -1)), 1e-12, "(pi, 0)");
        assertEquals(1, share(image((y, x) -> x % 2 == 0 ? 1 : -1)), 1e-12, "(0, pi)");
        // The scale and the mean do not matter.
        assertEquals(1, share(image((y, x) -> 0.3 + 0.1 * ((y + x) % 2 == 0 ? 1 : -1))), 1e-9);
    }

    @Test
    void constantLinearAndSmoothImagesGiveAlmostZero() {
        assertEquals(0, share(image((y, x) -> 0.25)), 0, "constant: no variance");
        assertEquals(0, share(image((y, x) -> (x - 13.5) / 14)), 1e-12, "horizontal ramp");
        assertEquals(0, share(image((y, x) -> (x + 2 * y) / 100.0 - 0.5)), 1e-12, "oblique ramp");
        double blob = share(image(CheckerboardTest::blob));
        System.out.printf("smooth ring: %.6f%n", blob);
        assertTrue(blob < 0.02, "smooth ring " + blob);
    }

    @Test
    void whiteNoiseGivesTheMeanResponse() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 200;
        float[] px = new float[n * S * S];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) rnd.nextGaussian();
        }
        double share = Checkerboard.meanNyquistShare(ImageBatch.nhwc(n, S, S, 1, px, null));
        System.out.printf("white noise: %.4f%n", share);
        // 3 (3/8)^2: the squared responses sin^4 sin^4 + sin^4 cos^4 + cos^4 sin^4 averaged over frequencies.
        assertEquals(3 * 9.0 / 64, share, 0.01);
    }

    /**
     * A stride-2 transposed convolution of a smooth 14x14 map to 28x28: with a 3x3 kernel of ones the
     * output pixels receive 1, 2 or 4 contributions in a period-2 pattern (the checkerboard artefact);
     * with the separable bilinear kernel [1, 3, 3, 1] / 4 every output pixel receives the same total weight.
     */
    @Test
    void unevenTransposedConvolutionHasACheckerboard() {
        double[][] in = new double[14][14];
        for (int y = 0; y < 14; y++) {
            for (int x = 0; x < 14; x++) {
                in[y][x] = (blob(2 * y + 0.5, 2 * x + 0.5) + 1) / 2; // in [0, 1]
            }
        }
        double[] ones = {1, 1, 1};
        double[] bilinear = {0.25, 0.75, 0.75, 0.25};
        double uneven = share(transposed(in, ones, 1));
        double even = share(transposed(in, bilinear, 1));
        System.out.printf("transposed convolution: 3x3 ones %.4f, 4x4 bilinear %.4f%n", uneven, even);
        assertTrue(even < 0.01, "bilinear " + even);
        assertTrue(uneven > 0.1, "3x3 " + uneven);
        assertTrue(uneven > 20 * even, uneven + " vs " + even);
    }

    /** out[2i + a - pad][2j + b - pad] += in[i][j] k[a] k[b], cropped to 28x28, then mapped to [-1, 1]. */
    private static double[][] transposed(double[][] in, double[] k, int pad) {
        double[][] out = new double[S][S];
        for (int i = 0; i < 14; i++) {
            for (int j = 0; j < 14; j++) {
                for (int a = 0; a < k.length; a++) {
                    for (int b = 0; b < k.length; b++) {
                        int y = 2 * i + a - pad;
                        int x = 2 * j + b - pad;
                        if (y >= 0 && y < S && x >= 0 && x < S) {
                            out[y][x] += in[i][j] * k[a] * k[b];
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void realDigitsAgainstRealDigitsGiveAboutOne() {
        ImageSet test = ClassifierData.test("mnist");
        int half = test.size() / 2;
        double first = Checkerboard.meanNyquistShare(test.batch(0, half));
        double second = Checkerboard.meanNyquistShare(test.batch(half, test.size()));
        double reference = Checkerboard.realReference(test, 100);
        System.out.printf("real MNIST: %.5f, %.5f, reference %.5f%n", first, second, reference);
        assertTrue(first > 0.005 && first < 0.2, "real share " + first);
        assertEquals(1, Checkerboard.ratio(first, second), 0.1);
        assertEquals(1, Checkerboard.ratio(first, reference), 0.1);
    }

    @Test
    void ratio() {
        assertEquals(2, Checkerboard.ratio(0.1, 0.05), 1e-12);
        assertTrue(Double.isNaN(Checkerboard.ratio(0.1, 0)));
        assertTrue(Double.isNaN(Checkerboard.ratio(Double.NaN, 0.05)));
        assertTrue(Double.isNaN(Checkerboard.ratio(0.1, Double.NaN)));
        assertTrue(Double.isNaN(Checkerboard.meanNyquistShare(ImageBatch.nhwc(0, S, S, 1, new float[0], null))));
    }
}
