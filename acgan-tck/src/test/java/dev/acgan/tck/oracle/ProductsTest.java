package dev.acgan.tck.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.Padding;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bf16 emulation: its rounding, where it rounds, and how far float32 sums move it. */
class ProductsTest {

    @Test
    void roundsToTheNearestBfloat16TiesToEven() {
        double ulpAt1 = 0x1p-7;
        assertEquals(1.0, Products.round(1.0));
        assertEquals(1.0, Products.round(1 + ulpAt1 / 2), "a tie goes to the even neighbour, 1");
        assertEquals(1 + 2 * ulpAt1, Products.round(1 + 1.5 * ulpAt1), "a tie goes to the even neighbour, 1+2^-6");
        assertEquals(1 + ulpAt1, Products.round(1 + 0.75 * ulpAt1));
        assertEquals(-3.0, Products.round(-3.0078125), "-3 - 2^-7, a tie between -3 and -3 - 2^-6: even");
        assertEquals(0x1.fep127, Products.round(0x1.fep127), "the largest bfloat16");
        assertEquals(Double.POSITIVE_INFINITY, Products.round(Float.MAX_VALUE), "beyond it: overflow");
        assertTrue(Double.isNaN(Products.round(Double.NaN)));
        assertEquals(Double.NEGATIVE_INFINITY, Products.round(Double.NEGATIVE_INFINITY));
        // through float32 first: 1 + 2^-8 + 2^-30 is a tie in float32, so it rounds down to 1
        assertEquals(1.0, Products.round(1 + 0x1p-8 + 0x1p-30));
    }

    @Test
    void roundsBothOperandsAndTheResultButNotTheBias() {
        DoubleTensor x = new DoubleTensor(new int[] {1, 2}, new double[] {1.003, 2.0});
        double[] kernel = {3.0, 0.5};
        double[] bias = {0.001};
        // operands: 1.003 -> 1.0; products summed: 3 + 1 = 4 (exact); + bias 0.001 unrounded
        assertEquals(4.001, Products.dense(x, kernel, bias, 1, false).data()[0], 1e-15);
        // float64: 1.003*3 + 1 + 0.001
        assertEquals(4.01, LayerOps.dense(x, kernel, bias, 1).data()[0], 1e-12);

        double[] dKernel = new double[2];
        double[] dBias = new double[1];
        DoubleTensor dy = new DoubleTensor(new int[] {1, 1}, new double[] {1.0 + 0x1p-9});
        DoubleTensor dx = Products.denseBackward(x, kernel, 1, dy, dKernel, dBias, false);
        assertArrayEquals(new double[] {3.0, 0.5}, dx.data(), "dy rounded to 1 before the product");
        assertArrayEquals(new double[] {1.0, 2.0}, dKernel, "x and dy rounded");
        assertArrayEquals(new double[] {1.0 + 0x1p-9}, dBias, "the bias gradient keeps the unrounded dy");
    }

    @Test
    void convolutionResultsAreBfloat16AndTheirGradientsToo() {
        ConvGeometry g = ConvGeometry.conv2d(5, 4, 3, 2, 3, 3, 2, 1, Padding.SAME);
        SplittableRandom r = new SplittableRandom(3);
        DoubleTensor x = new DoubleTensor(new int[] {2, 5, 4, 3}, random(r, 2 * 60));
        double[] k = random(r, g.kernelSize());
        DoubleTensor y = Products.conv2d(x, k, null, g, false);
        for (double v : y.data()) {
            assertEquals(v, Products.round(v), "a bfloat16 output");
        }
        assertArrayEquals(
                Products.round(LayerOps.conv2d(Products.round(x), Products.round(k), null, g)
                        .data()),
                y.data());
        DoubleTensor dy = new DoubleTensor(y.shape(), random(r, y.size()));
        double[] dk = new double[k.length];
        DoubleTensor dx = Products.conv2dBackward(x, k, g, dy, dk, null, false);
        for (double v : dx.data()) {
            assertEquals(v, Products.round(v));
        }
        for (double v : dk) {
            assertEquals(v, Products.round(v));
        }
        DoubleTensor t = Products.conv2dTranspose(dy, k, null, g, false);
        assertArrayEquals(
                Products.round(LayerOps.conv2dTranspose(Products.round(dy), Products.round(k), null, g)
                        .data()),
                t.data());
    }

    /**
     * Float32 sums flip a few results by one bfloat16 unit and nothing by more: the same statistics as a real
     * bf16 backend's (TensorFlow on AMX flips 4e-5 to 7e-4 of a product's outputs, never by more than a unit).
     */
    @Test
    void float32SumsFlipFewResultsByOneUnit() {
        SplittableRandom r = new SplittableRandom(11);
        int n = 64;
        int in = 2048;
        int units = 64;
        DoubleTensor x = new DoubleTensor(new int[] {n, in}, random(r, n * in));
        double[] k = random(r, in * units);
        double[] exact = Products.dense(x, k, null, units, false).data();
        double[] f32 = Products.dense(x, k, null, units, true).data();
        int flips = 0;
        for (int i = 0; i < exact.length; i++) {
            if (exact[i] != f32[i]) {
                flips++;
                assertEquals(
                        Math.ulp((float) exact[i]) * 65536,
                        Math.abs(exact[i] - f32[i]),
                        Math.ulp((float) exact[i]) * 65536 * 1e-6,
                        "one bfloat16 unit at [" + i + "]");
            }
        }
        double rate = flips / (double) exact.length;
        assertTrue(rate > 0 && rate < 1e-2, "flip rate " + rate);
    }

    private static double[] random(SplittableRandom r, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
