package dev.acgan.eval.metrics;

/**
 * The numbers of generated images alone, without real images: what {@code acgan evaluate} prints in its
 * "generated" column for the same images, and what {@code acgan train --eval-every} records while training.
 *
 * @param conditionalAccuracy share of images classified as the class they were generated for (NaN for an
 *                            unconditional model)
 * @param classifierScore     {@link Metrics#classifierScore}, at most the number of classes
 * @param fid                 {@link Fid} of the images' features against the classifier's reference features
 */
public record GeneratedQuality(double conditionalAccuracy, double classifierScore, double fid) {}
