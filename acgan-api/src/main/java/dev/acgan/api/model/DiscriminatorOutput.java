package dev.acgan.api.model;

/**
 * What the discriminator says about a batch.
 *
 * @param validity           probability of being real, one per image
 * @param classProbabilities {@code [n, numClasses]} row-major softmax output for ACGAN, else {@code null}
 * @param numClasses         number of classes (row length of {@code classProbabilities})
 */
public record DiscriminatorOutput(float[] validity, float[] classProbabilities, int numClasses) {

    /** Number of images judged. */
    public int count() {
        return validity.length;
    }

    /** The most probable class of image {@code i} (ACGAN only). */
    public int predictedClass(int i) {
        if (classProbabilities == null) {
            throw new IllegalStateException("this discriminator has no class head");
        }
        int best = 0;
        for (int k = 1; k < numClasses; k++) {
            if (classProbabilities[i * numClasses + k] > classProbabilities[i * numClasses + best]) {
                best = k;
            }
        }
        return best;
    }
}
