package dev.acgan.eval.metrics;

/**
 * The numbers of generated images alone, without classifying real images: what {@code acgan evaluate}
 * prints in its "generated" column for the same images, and what {@code acgan train --eval-every} records
 * while training.
 *
 * @param conditionalAccuracy share of images classified as the class they were generated for (NaN for an
 *                            unconditional model)
 * @param classifierScore     {@link Metrics#classifierScore}, at most the number of classes
 * @param fid                 {@link Fid} of the images' features against the classifier's reference features
 * @param checkerboard        the {@link Checkerboard} ratio: the images' mean periodic share divided by that
 *                            of real images (1 like real images, above 1 more checkerboard texture); NaN
 *                            when no real reference was given
 */
public record GeneratedQuality(double conditionalAccuracy, double classifierScore, double fid, double checkerboard) {

    /** The numbers without a checkerboard ratio (NaN). */
    public GeneratedQuality(double conditionalAccuracy, double classifierScore, double fid) {
        this(conditionalAccuracy, classifierScore, fid, Double.NaN);
    }
}
