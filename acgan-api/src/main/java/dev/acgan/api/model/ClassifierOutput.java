package dev.acgan.api.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a classifier makes of {@code count} images.
 *
 * @param count         number of images
 * @param classes       number of classes
 * @param featureLength length of a feature vector
 * @param probabilities {@code count * classes} softmax outputs, row-major
 * @param features      {@code count * featureLength} values of the feature output, row-major
 */
public record ClassifierOutput(int count, int classes, int featureLength, float[] probabilities, float[] features) {

    /** Checks the lengths. */
    public ClassifierOutput {
        if (count < 0
                || classes < 1
                || featureLength < 1
                || probabilities.length != (long) count * classes
                || features.length != (long) count * featureLength) {
            throw new IllegalArgumentException("classifier output of " + count + " images, " + classes + " classes and "
                    + featureLength + " features cannot hold " + probabilities.length + " probabilities and "
                    + features.length + " features");
        }
    }

    /** The most probable class of image {@code i} (the lowest index on ties). */
    public int predicted(int i) {
        int best = 0;
        for (int j = 1; j < classes; j++) {
            if (probabilities[i * classes + j] > probabilities[i * classes + best]) {
                best = j;
            }
        }
        return best;
    }

    /** Share of images whose most probable class is their label; NaN for no images. */
    public double accuracy(int[] labels) {
        if (count == 0) {
            return Double.NaN;
        }
        int hits = 0;
        for (int i = 0; i < count; i++) {
            if (predicted(i) == labels[i]) {
                hits++;
            }
        }
        return hits / (double) count;
    }

    /** Equal counts, sizes and values (bit for bit). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ClassifierOutput c
                && count == c.count
                && classes == c.classes
                && featureLength == c.featureLength
                && Arrays.equals(probabilities, c.probabilities)
                && Arrays.equals(features, c.features);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, classes, featureLength, Arrays.hashCode(probabilities), Arrays.hashCode(features));
    }

    @Override
    public String toString() {
        return "ClassifierOutput[" + count + " images, " + classes + " classes, " + featureLength + " features]";
    }
}
