package dev.acgan.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.acgan.api.spec.ClassifierPresets;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.Layout;
import dev.acgan.api.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ModelInputsTest {

    private static final ModelSpec ACGAN = Presets.acgan(ImageShape.mnist(), 10, 100);

    @Test
    void noiseShape() {
        assertEquals(5, ModelInputs.checkNoise(ACGAN, Tensor.zeros(5, 100)));
        assertEquals(1, ModelInputs.checkNoise(ACGAN, Tensor.zeros(1, 100)));
        assertMessage(
                "noise must have shape [n, 100] with n >= 1, got [5, 99]",
                () -> ModelInputs.checkNoise(ACGAN, Tensor.zeros(5, 99)));
        assertMessage(
                "noise must have shape [n, 100] with n >= 1, got [0, 100]",
                () -> ModelInputs.checkNoise(ACGAN, Tensor.zeros(0, 100)));
        assertMessage(
                "noise must have shape [n, 100] with n >= 1, got [100]",
                () -> ModelInputs.checkNoise(ACGAN, Tensor.zeros(100)));
        assertMessage(
                "noise must have shape [n, 100] with n >= 1, got [1, 1, 100]",
                () -> ModelInputs.checkNoise(ACGAN, Tensor.zeros(1, 1, 100)));
    }

    @Test
    void classifierImagesAndLabels() {
        ClassifierSpec lenet = ClassifierPresets.lenet(ImageShape.mnist(), 10);
        float[] px = new float[2 * 784];
        ModelInputs.checkLabelledImages(lenet, ImageBatch.nhwc(2, 28, 28, 1, px, new int[] {0, 9}));
        assertMessage(
                "classifier lenet trains on labelled images; the batch has no labels",
                () -> ModelInputs.checkLabelledImages(lenet, ImageBatch.nhwc(2, 28, 28, 1, px, null)));
        assertMessage(
                "label 10 at index 1 is out of range [0, 10)",
                () -> ModelInputs.checkLabelledImages(lenet, ImageBatch.nhwc(2, 28, 28, 1, px, new int[] {0, 10})));
        assertMessage(
                "images are 28x14x2 but classifier lenet expects 28x28x1",
                () -> ModelInputs.checkImages(lenet, ImageBatch.nhwc(1, 28, 14, 2, new float[784], null), "images"));
    }

    @Test
    void labels() {
        ModelInputs.checkLabels(ACGAN, new int[] {0, 9, 5}, 3, true);
        ModelInputs.checkLabels(ACGAN, null, 3, false);
        ModelInputs.checkLabels(ACGAN, new int[] {-7, 99}, 3, false); // ignored when not required
        assertMessage(
                "ACGAN model acgan-mnist needs a class label per image",
                () -> ModelInputs.checkLabels(ACGAN, null, 3, true));
        assertMessage("expected 3 labels, got 2", () -> ModelInputs.checkLabels(ACGAN, new int[] {1, 2}, 3, true));
        assertMessage(
                "label 10 at index 2 is out of range [0, 10)",
                () -> ModelInputs.checkLabels(ACGAN, new int[] {0, 9, 10}, 3, true));
        assertMessage(
                "label -1 at index 0 is out of range [0, 10)",
                () -> ModelInputs.checkLabels(ACGAN, new int[] {-1, 0}, 2, true));
    }

    @Test
    void images() {
        ImageBatch ok = ImageBatch.nhwc(2, 28, 28, 1, new float[2 * 784], null);
        ModelInputs.checkImages(ACGAN, ok, "real images");
        assertMessage(
                "real images must be NHWC, got NCHW",
                () -> ModelInputs.checkImages(ACGAN, ok.toLayout(Layout.NCHW), "real images"));
        assertMessage(
                "real images are 32x32x1 but model acgan-mnist expects 28x28x1",
                () -> ModelInputs.checkImages(
                        ACGAN, ImageBatch.nhwc(1, 32, 32, 1, new float[1024], null), "real images"));
        assertMessage(
                "fakes are 28x28x3 but model acgan-mnist expects 28x28x1",
                () -> ModelInputs.checkImages(ACGAN, ImageBatch.nhwc(1, 28, 28, 3, new float[784 * 3], null), "fakes"));
        assertMessage(
                "images is empty",
                () -> ModelInputs.checkImages(ACGAN, ImageBatch.nhwc(0, 28, 28, 1, new float[0], null), "images"));
    }

    @Test
    void lossAndOutputRecords() {
        DiscriminatorLosses d = DiscriminatorLosses.of(0.5, 0.25, 1.0, 2.0);
        assertEquals(3.75, d.total());
        GeneratorLosses g = GeneratorLosses.of(0.75, 0.5);
        assertEquals(1.25, g.total());
        DiscriminatorOutput out =
                new DiscriminatorOutput(new float[] {0.9f, 0.1f}, new float[] {0.1f, 0.7f, 0.2f, 0.5f, 0.2f, 0.3f}, 3);
        assertEquals(2, out.count());
        assertEquals(1, out.predictedClass(0));
        assertEquals(0, out.predictedClass(1));
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> new DiscriminatorOutput(new float[1], null, 0).predictedClass(0));
        assertEquals("this discriminator has no class head", e.getMessage());
        ImageBatch real = ImageBatch.nhwc(3, 28, 28, 1, new float[3 * 784], null);
        ImageBatch fake = ImageBatch.nhwc(2, 28, 28, 1, new float[2 * 784], null);
        assertEquals(5, new DiscriminatorBatch(real, fake, 0.95f, 0f, 1f, 1f, null).count());
        assertEquals(4, new GeneratorBatch(Tensor.zeros(4, 100), null, 0.95f, 1f, null, null).count());
    }

    private static void assertMessage(String message, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertEquals(message, ex.getMessage());
    }
}
