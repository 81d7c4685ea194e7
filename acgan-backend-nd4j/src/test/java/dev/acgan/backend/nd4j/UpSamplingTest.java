package dev.acgan.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The concat form of nearest up-sampling ({@link NetworkCompiler#upSampling2d}) against a loop over the
 * pixels: values exactly (copies), and the input gradient of {@code sum(up(x) * weights)}, which is the sum
 * of the weights over each input pixel's block, to float32 rounding of at most six terms (1e-6 absolute,
 * weights in [0, 1)). A block misplaced by one pixel, or a swapped height and width factor, gives errors of
 * order 1.
 */
class UpSamplingTest {

    @ParameterizedTest
    @CsvSource({"2, 2", "3, 1", "1, 2", "2, 3"})
    void matchesNearestNeighbourValuesAndGradient(int fh, int fw) {
        int n = 2;
        int h = 3;
        int w = 4;
        int c = 5;
        try (INDArray xv = Nd4j.rand(DataType.FLOAT, n, h, w, c);
                INDArray weights = Nd4j.rand(DataType.FLOAT, n, h * fh, w * fw, c)) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.var("x", xv.dup());
            SDVariable y = NetworkCompiler.upSampling2d(sd, x, new int[] {h, w, c}, fh, fw);
            y.mul(sd.constant(weights.dup())).sum().markAsLoss();
            INDArray out = sd.output(Map.of(), y.name()).get(y.name());
            INDArray grad = sd.calculateGradients(Map.of(), "x").get("x");

            assertArrayEquals(new long[] {n, h * fh, w * fw, c}, out.shape());
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < h * fh; i++) {
                    for (int j = 0; j < w * fw; j++) {
                        for (int k = 0; k < c; k++) {
                            assertEquals(xv.getFloat(b, i / fh, j / fw, k), out.getFloat(b, i, j, k), 0f);
                        }
                    }
                }
            }
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        for (int k = 0; k < c; k++) {
                            double expected = 0;
                            for (int a = 0; a < fh; a++) {
                                for (int d = 0; d < fw; d++) {
                                    expected += weights.getFloat(b, i * fh + a, j * fw + d, k);
                                }
                            }
                            assertEquals(expected, grad.getFloat(b, i, j, k), 1e-6);
                        }
                    }
                }
            }
        }
    }
}
