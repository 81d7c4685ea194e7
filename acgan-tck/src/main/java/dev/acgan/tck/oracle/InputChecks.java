package dev.acgan.tck.oracle;

import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.Layout;
import dev.acgan.api.tensor.Tensor;
import java.util.Arrays;

/** Validation of caller inputs shared by the reference model, generator and discriminator. */
final class InputChecks {

    private InputChecks() {}

    /** The noise as a double tensor {@code [n, latentDim]}, or an error naming expected and actual shapes. */
    static DoubleTensor noise(ModelSpec spec, Tensor noise) {
        if (noise == null) {
            throw new IllegalArgumentException("noise is null, expected shape [n, " + spec.latentDim() + "]");
        }
        int[] s = noise.shape();
        if (s.length != 2 || s[1] != spec.latentDim()) {
            throw new IllegalArgumentException(
                    "noise has shape " + Arrays.toString(s) + ", expected [n, " + spec.latentDim() + "]");
        }
        return DoubleTensor.of(noise);
    }

    /**
     * Checks {@code n} labels in {@code [0, classes)}.
     *
     * @param what what the labels belong to, for messages
     */
    static void labels(int[] labels, int n, int classes, String what) {
        if (labels == null) {
            throw new IllegalArgumentException(what + ": labels are required for this model, got null");
        }
        if (labels.length != n) {
            throw new IllegalArgumentException(what + ": expected " + n + " labels, got " + labels.length);
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(
                        what + ": label " + labels[i] + " at index " + i + " is out of range [0, " + classes + ")");
            }
        }
    }

    /** Checks an image batch against the model's image shape and returns its pixels in NHWC order. */
    static float[] nhwcPixels(ModelSpec spec, ImageBatch images, String what) {
        return nhwcPixels(spec.image(), images, what);
    }

    /** Checks an image batch against an image shape and returns its pixels in NHWC order. */
    static float[] nhwcPixels(ImageShape shape, ImageBatch images, String what) {
        if (images == null) {
            throw new IllegalArgumentException(what + " are null");
        }
        if (images.height() != shape.height()
                || images.width() != shape.width()
                || images.channels() != shape.channels()) {
            throw new IllegalArgumentException(what + " have shape " + images.height() + "x" + images.width() + "x"
                    + images.channels() + ", expected " + shape);
        }
        return images.toLayout(Layout.NHWC).pixels();
    }

    /** Throws the standard use-after-close error. */
    static void open(boolean closed, String what) {
        if (closed) {
            throw new IllegalStateException(what + " is closed");
        }
    }
}
