package dev.acgan.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.eval.classifier.ClassifierData;
import dev.acgan.eval.classifier.ImageSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Checkerboard} on images with a known answer: patterns of period 2 and 4 give a periodic share of
 * 1, a constant image 0, white noise 15/784 and smooth images little; the output of a stride-2 transposed
 * convolution whose kernel overlaps unevenly (3x3) has a checkerboard that one with an even overlap (the
 * 4x4 bilinear kernel) lacks, and a second, even, stride-2 layer after the uneven one turns it into a
 * period-4 pattern that is still found; two disjoint samples of real MNIST test digits give a ratio near 1.
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
        return Checkerboard.meanPeriodicShare(one(img));
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
    void periodicPatternsGiveOne() {
        assertEquals(1, share(image((y, x) -> (y + x) % 2 == 0 ? 1 : -1)), 1e-12, "(pi, pi)");
        assertEquals(1, share(image((y, x) -> y % 2 == 0 ? 1 : -1)), 1e-12, "(pi, 0)");
        assertEquals(1, share(image((y, x) -> x % 2 == 0 ? 1 : -1)), 1e-12, "(0, pi)");
        assertEquals(1, share(image((y, x) -> x % 4 < 2 ? 1 : -1)), 1e-12, "period 4");
        assertEquals(1, share(image((y, x) -> Math.cos(Math.PI * y / 2) * Math.sin(Math.PI * x / 2))), 1e-9);
        // The scale and the mean do not matter.
        assertEquals(1, share(image((y, x) -> 0.3 + 0.1 * ((y + x) % 2 == 0 ? 1 : -1))), 1e-9);
        // A period-4 pattern added to a smooth image: its energy over the image's.
        double ring = share(image(CheckerboardTest::blob));
        double mixed = share(image((y, x) -> blob(y, x) + 0.2 * ((y + x) % 2 == 0 ? 1 : -1)));
        assertTrue(mixed > 10 * ring, mixed + " vs " + ring);
    }

    @Test
    void constantAndSmoothImagesGiveLittle() {
        assertEquals(0, share(image((y, x) -> 0.25)), 0, "constant: no variance");
        double ramp = share(image((y, x) -> (x - 13.5) / 14));
        double ring = share(image(CheckerboardTest::blob));
        System.out.printf("ramp %.6f, smooth ring: %.6f%n", ramp, ring);
        // A ramp's phase means differ by the ramp's steps: 1.25 over the variance (28^2 - 1) / 12.
        assertEquals(1.25 / ((28.0 * 28 - 1) / 12), ramp, 1e-9);
        assertTrue(ring < 0.01, "smooth ring " + ring);
        assertEquals(0, Checkerboard.meanPeriodicShare(ImageBatch.nhwc(1, 3, 3, 1, new float[9], null)), 0);
    }

    @Test
    void whiteNoiseGivesTheShareOfItsFrequencies() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 500;
        float[] px = new float[n * S * S * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) rnd.nextGaussian();
        }
        double share = Checkerboard.meanPeriodicShare(ImageBatch.nhwc(n, S, S, 3, px, null));
        System.out.printf("white noise: %.5f%n", share);
        // 15 of the 783 non-zero frequencies of a 28x28 image.
        assertEquals(15.0 / 783, share, 0.002);
    }

    /**
     * A stride-2 transposed convolution of a smooth 14x14 map to 28x28: with a 3x3 kernel of ones the
     * output pixels receive 1, 2 or 4 contributions in a period-2 pattern (the checkerboard artefact);
     * with the separable bilinear kernel [1, 3, 3, 1] / 4 every output pixel receives the same total
     * weight. Two layers, 7x7 to 14x14 with the uneven kernel then to 28x28 with the even one: the
     * pattern of the first has period 4 in the output.
     */
    @Test
    void unevenTransposedConvolutionHasACheckerboard() {
        double[][] in = new double[14][14];
        for (int y = 0; y < 14; y++) {
            for (int x = 0; x < 14; x++) {
                in[y][x] = (blob(2 * y + 0.5, 2 * x + 0.5) + 1) / 2; // in [0, 1]
            }
        }
        double[][] in7 = new double[7][7];
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 7; x++) {
                in7[y][x] = (blob(4 * y + 1.5, 4 * x + 1.5) + 1) / 2;
            }
        }
        double[] ones = {1, 1, 1};
        double[] bilinear = {0.25, 0.75, 0.75, 0.25};
        double uneven = share(transposed(in, ones, 1, S));
        double even = share(transposed(in, bilinear, 1, S));
        double twoLayers = share(transposed(transposed(in7, ones, 1, 14), bilinear, 1, S));
        double ring = share(image(CheckerboardTest::blob));
        System.out.printf(
                "transposed convolution: 3x3 ones %.4f, 4x4 bilinear %.4f, 3x3 then 4x4 %.4f (ring %.4f)%n",
                uneven, even, twoLayers, ring);
        assertTrue(even < 0.01, "bilinear " + even);
        assertTrue(uneven > 10 * even, uneven + " vs " + even);
        assertTrue(twoLayers > 5 * even, twoLayers + " vs " + even);
    }

    /** out[2i + a - pad][2j + b - pad] += in[i][j] k[a] k[b], cropped to size x size. */
    private static double[][] transposed(double[][] in, double[] k, int pad, int size) {
        double[][] out = new double[size][size];
        for (int i = 0; i < in.length; i++) {
            for (int j = 0; j < in.length; j++) {
                for (int a = 0; a < k.length; a++) {
                    for (int b = 0; b < k.length; b++) {
                        int y = 2 * i + a - pad;
                        int x = 2 * j + b - pad;
                        if (y >= 0 && y < size && x >= 0 && x < size) {
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
        double first = Checkerboard.meanPeriodicShare(test.batch(0, half));
        double second = Checkerboard.meanPeriodicShare(test.batch(half, test.size()));
        double reference = Checkerboard.realReference(test, 100);
        System.out.printf("real MNIST: %.5f, %.5f, reference %.5f%n", first, second, reference);
        assertTrue(first > 0.001 && first < 0.05, "real share " + first);
        assertEquals(1, Checkerboard.ratio(first, second), 0.2);
        assertEquals(1, Checkerboard.ratio(first, reference), 0.2);
    }

    @Test
    void ratio() {
        assertEquals(2, Checkerboard.ratio(0.1, 0.05), 1e-12);
        assertTrue(Double.isNaN(Checkerboard.ratio(0.1, 0)));
        assertTrue(Double.isNaN(Checkerboard.ratio(Double.NaN, 0.05)));
        assertTrue(Double.isNaN(Checkerboard.ratio(0.1, Double.NaN)));
        assertTrue(Double.isNaN(Checkerboard.meanPeriodicShare(ImageBatch.nhwc(0, S, S, 1, new float[0], null))));
    }
}
