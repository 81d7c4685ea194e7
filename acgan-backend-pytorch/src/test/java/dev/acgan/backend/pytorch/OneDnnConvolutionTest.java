package dev.acgan.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * libtorch's oneDNN convolutions against its native ones, on the shapes where an earlier version of this backend saw
 * oneDNN's transposed convolution go wrong, now and then (1 output channel with 3x3 and 5x5 kernels, 3 with 5x5;
 * see the TCK guide): the transposed convolution unpadded, as the backend calls it, and the input gradient of a
 * convolution over 1 channel, each repeated, in NCHW and channels-last memory.
 */
class OneDnnConvolutionTest {

    private static final int REPEATS = 50;

    @Test
    void transposedConvolutionsMatchTheNativeKernels() {
        PyTorchBackend.loadNatives();
        double worst = 0;
        try (PointerScope scope = new PointerScope()) {
            torch.manual_seed(11);
            for (int out : new int[] {1, 3, 4}) {
                for (int k : new int[] {3, 5}) {
                    for (boolean channelsLast : new boolean[] {false, true}) {
                        Tensor x = torch.randn(2, 4, 4, 4);
                        if (channelsLast) {
                            x = x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
                        }
                        Tensor w = torch.randn(4, out, k, k);
                        Tensor exact = nativeTransposed(x.contiguous(), w, k);
                        for (int r = 0; r < REPEATS; r++) {
                            Tensor y = torch.conv_transpose2d(
                                    x,
                                    w,
                                    new TensorOptional(),
                                    new long[] {2, 2},
                                    new long[] {0, 0},
                                    new long[] {0, 0},
                                    1,
                                    1,
                                    1);
                            worst = Math.max(worst, maxAbs(y.sub(exact)));
                        }
                    }
                }
            }
        }
        assertTrue(worst < 1e-4, "oneDNN's transposed convolution differs from the native one by " + worst);
    }

    @Test
    void inputGradientsOfOneChannelConvolutionsMatchTheNativeKernels() {
        PyTorchBackend.loadNatives();
        double worst = 0;
        try (PointerScope scope = new PointerScope()) {
            torch.manual_seed(12);
            for (int k : new int[] {3, 5}) {
                Tensor x = torch.randn(3, 1, 9, 9);
                Tensor w = torch.randn(8, 1, k, k);
                int o = (9 - k) / 2 + 1;
                Tensor grad = torch.randn(3, 8, o, o);
                // the input gradient of a convolution is the transposed convolution of its output gradient
                Tensor exact = nativeTransposed(grad, w, k);
                for (int r = 0; r < REPEATS; r++) {
                    Tensor y = torch.convolution_backward(
                                    grad,
                                    x,
                                    w,
                                    new org.bytedeco.pytorch.LongArrayRefOptional(),
                                    new long[] {2, 2},
                                    new long[] {0, 0},
                                    new long[] {1, 1},
                                    false,
                                    new long[] {0, 0},
                                    1,
                                    new org.bytedeco.javacpp.BoolPointer(3)
                                            .put(0, true)
                                            .put(1, false)
                                            .put(2, false))
                            .get0();
                    worst = Math.max(worst, maxAbs(y.sub(exact)));
                }
            }
        }
        assertTrue(worst < 1e-4, "oneDNN's input gradient differs from the native one by " + worst);
    }

    /** libtorch's native transposed convolution, stride 2, unpadded (im2col and a matrix product). */
    private static Tensor nativeTransposed(Tensor x, Tensor w, int k) {
        return torch.slow_conv_transpose2d(
                x,
                w,
                new long[] {k, k},
                new TensorOptional(),
                new long[] {2, 2},
                new long[] {0, 0},
                new long[] {0, 0},
                1,
                1);
    }

    private static double maxAbs(Tensor t) {
        return t.abs().max().item_float();
    }
}
