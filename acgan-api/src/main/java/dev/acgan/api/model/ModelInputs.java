package dev.acgan.api.model;

import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.Layout;
import dev.acgan.api.tensor.Tensor;
import java.util.Arrays;

/**
 * Argument checks every backend applies before running a model, so that bad input fails the same way
 * everywhere: with an {@link IllegalArgumentException} naming what was expected.
 */
public final class ModelInputs {

    private ModelInputs() {}

    /** Noise must be {@code [n, latentDim]} with {@code n >= 1}; returns n. */
    public static int checkNoise(ModelSpec spec, Tensor noise) {
        int[] s = noise.shape();
        if (s.length != 2 || s[1] != spec.latentDim() || s[0] < 1) {
            throw new IllegalArgumentException(
                    "noise must have shape [n, " + spec.latentDim() + "] with n >= 1, got " + Arrays.toString(s));
        }
        return s[0];
    }

    /**
     * Labels must be present, {@code n} long and in range when the network takes them; they are
     * ignored (may be {@code null}) otherwise.
     */
    public static void checkLabels(ModelSpec spec, int[] labels, int n, boolean required) {
        if (!required) {
            return;
        }
        if (labels == null) {
            throw new IllegalArgumentException(
                    spec.kind() + " model " + spec.name() + " needs a class label per image");
        }
        if (labels.length != n) {
            throw new IllegalArgumentException("expected " + n + " labels, got " + labels.length);
        }
        checkRange(labels, spec.numClasses());
    }

    private static void checkRange(int[] labels, int numClasses) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(
                        "label " + labels[i] + " at index " + i + " is out of range [0, " + numClasses + ")");
            }
        }
    }

    /** Images must be NHWC, of the model's shape, non-empty. */
    public static void checkImages(ModelSpec spec, ImageBatch images, String what) {
        checkImages(spec.image(), "model " + spec.name(), images, what);
    }

    /** Images must be NHWC, of the classifier's shape, non-empty. */
    public static void checkImages(ClassifierSpec spec, ImageBatch images, String what) {
        checkImages(spec.image(), "classifier " + spec.name(), images, what);
    }

    /** A training batch: images as {@link #checkImages}, a label per image in {@code [0, numClasses)}. */
    public static void checkLabelledImages(ClassifierSpec spec, ImageBatch images) {
        checkImages(spec, images, "images");
        int[] labels = images.labels();
        if (labels == null) {
            throw new IllegalArgumentException(
                    "classifier " + spec.name() + " trains on labelled images; the batch " + "has no labels");
        }
        checkRange(labels, spec.numClasses());
    }

    private static void checkImages(ImageShape s, String owner, ImageBatch images, String what) {
        if (images.layout() != Layout.NHWC) {
            throw new IllegalArgumentException(what + " must be NHWC, got " + images.layout());
        }
        if (images.height() != s.height() || images.width() != s.width() || images.channels() != s.channels()) {
            throw new IllegalArgumentException(what + " are " + images.height() + "x" + images.width() + "x"
                    + images.channels() + " but " + owner + " expects " + s);
        }
        if (images.count() < 1) {
            throw new IllegalArgumentException(what + " is empty");
        }
    }
}
