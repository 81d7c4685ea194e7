package dev.acgan.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.Initializer;
import dev.acgan.api.spec.LayerSpec.Conv2DTranspose;
import dev.acgan.api.spec.Padding;
import dev.acgan.backend.pytorch.NetworkCompiler.TransposedForm;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/**
 * The phase and sub-pixel forms of the transposed convolution against libtorch's {@code conv_transpose2d} (the direct
 * form): values, and the gradients of the input and the kernel, over kernels larger than, equal to and smaller than
 * the stride, unequal strides and kernel sides, 'same' and 'valid' (output sizes as the spec's shape inference gives them), odd and even input sizes. Tolerance: the largest
 * difference at most 1e-5 of the largest magnitude in fp32 (only the order of the sums differs), 1e-2 in bf16 (both
 * forms round their results and the gradients they pass on to bfloat16, whose unit in the last place is 2^-8).
 */
class TransposedConvolutionTest {

    /** {kH, kW, sH, sW}. */
    private static final int[][] SHAPES = {
        {4, 4, 2, 2},
        {3, 3, 2, 2},
        {5, 5, 2, 2},
        {5, 5, 3, 3},
        {2, 2, 2, 2},
        {1, 1, 2, 2},
        {2, 2, 3, 3},
        {3, 3, 1, 1},
        {3, 4, 2, 1},
        {4, 2, 1, 3}
    };

    @Test
    void subpixelFormMatchesTheDirectFormInFp32() {
        assertEquals(0, worst(false, TransposedForm.SUBPIXEL), 1e-5);
    }

    @Test
    void subpixelFormMatchesTheDirectFormInBf16() {
        assertEquals(0, worst(true, TransposedForm.SUBPIXEL), 1e-2);
    }

    @Test
    void phaseFormMatchesTheDirectFormInFp32() {
        assertEquals(0, worst(false, TransposedForm.PHASE), 1e-5);
    }

    @Test
    void phaseFormMatchesTheDirectFormInBf16() {
        assertEquals(0, worst(true, TransposedForm.PHASE), 1e-2);
    }

    @Test
    void theFormIsParsedFromItsProperty() {
        assertEquals(TransposedForm.PHASE, TransposedForm.parse(null, true));
        assertEquals(TransposedForm.DIRECT, TransposedForm.parse("auto", false));
        assertEquals(TransposedForm.DIRECT, TransposedForm.parse(" Direct", true));
        assertEquals(TransposedForm.PHASE, TransposedForm.parse("phase", false));
        assertEquals(TransposedForm.SUBPIXEL, TransposedForm.parse("subpixel", false));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TransposedForm.parse("phases", false));
        assertTrue(e.getMessage().contains(NetworkCompiler.TRANSPOSED_PROPERTY), e.getMessage());
    }

    /** The largest relative difference (to the largest magnitude) of output, input gradient and kernel gradient. */
    private static double worst(boolean bf16, TransposedForm form) {
        PyTorchBackend.loadNatives();
        double worst = 0;
        try (PointerScope scope = new PointerScope()) {
            torch.manual_seed(21);
            for (int[] s : SHAPES) {
                for (Padding padding : Padding.values()) {
                    for (int in : new int[] {5, 6}) {
                        Conv2DTranspose c = new Conv2DTranspose(
                                3,
                                s[0],
                                s[1],
                                s[2],
                                s[3],
                                padding,
                                false,
                                Initializer.GLOROT_UNIFORM,
                                Initializer.ZEROS);
                        int outH = padding == Padding.SAME ? in * s[2] : (in - 1) * s[2] + s[0];
                        int outW = padding == Padding.SAME ? (in + 1) * s[3] : in * s[3] + s[1];
                        Tensor x = torch.randn(2, in, in + 1, 4);
                        Tensor k = torch.randn(s[0], s[1], 3, 4);
                        Tensor g = torch.randn(2, outH, outW, 3);
                        Tensor[] direct = run(x, k, g, c, in, outH, outW, bf16, TransposedForm.DIRECT);
                        Tensor[] phase = run(x, k, g, c, in, outH, outW, bf16, form);
                        String what = java.util.Arrays.toString(s) + " " + padding + " " + in;
                        assertArrayEquals(
                                direct[0].sizes().vec().get(),
                                phase[0].sizes().vec().get(),
                                what);
                        assertArrayEquals(
                                new long[] {2, outH, outW, 3},
                                phase[0].sizes().vec().get(),
                                what);
                        for (int i = 0; i < 3; i++) {
                            double scale = direct[i].abs().max().item_float();
                            double d = direct[i].sub(phase[i]).abs().max().item_float() / scale;
                            assertTrue(scale > 0, what);
                            worst = Math.max(worst, d);
                        }
                    }
                }
            }
        }
        return worst;
    }

    /** Output, input gradient and kernel gradient of {@code sum(y g)}. */
    private static Tensor[] run(
            Tensor x0,
            Tensor k0,
            Tensor g,
            Conv2DTranspose c,
            int in,
            int outH,
            int outW,
            boolean bf16,
            TransposedForm form) {
        Tensor x = x0.detach().clone();
        Tensor k = k0.detach().clone();
        x.set_requires_grad(true);
        k.set_requires_grad(true);
        Tensor y = NetworkCompiler.transposedConvolution(x, k, c, in, in + 1, outH, outW, bf16, form);
        TensorVector grads = torch.grad(new TensorVector(y.mul(g).sum()), new TensorVector(x, k));
        return new Tensor[] {y.detach(), grads.get(0), grads.get(1)};
    }
}
