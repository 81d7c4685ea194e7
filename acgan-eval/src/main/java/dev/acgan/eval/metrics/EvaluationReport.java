package dev.acgan.eval.metrics;

import java.util.List;

/**
 * The quality numbers of a set of generated images, measured with a
 * {@link dev.acgan.eval.classifier.Classifier}, next to the same
 * numbers for real test images. NaN marks a number that does not exist (the conditional accuracy of an
 * unconditional model, the diversity of a class with fewer than two images).
 *
 * @param classifierTestAccuracy accuracy of the classifier on the whole real test split
 * @param testImages             images in that split
 * @param conditional            whether the images were generated for requested classes
 * @param generatedImages        generated images evaluated
 * @param realImages             real test images of the comparison sample (the first
 *                               {@code countPerClass} of each class of the test split)
 * @param referenceImages        training images whose features are the FID reference
 * @param conditionalAccuracy    share of generated images classified as their requested class
 * @param realAccuracy           the same for the real sample (labels as requested classes)
 * @param classifierScore        {@link Metrics#classifierScore} of the generated images
 * @param realClassifierScore    the same for the real sample
 * @param classes                number of classes: the largest possible classifier score
 * @param fid                    FID of the generated images against the training features
 * @param fidBaseline            FID of the real sample against the training features (what a perfect
 *                               generator would get with as many images)
 * @param diversity              mean of the per-class diversities of the generated images
 * @param realDiversity          the same for the real sample
 * @param checkerboard           the {@link Checkerboard} ratio: {@code periodicShare / realPeriodicShare}
 *                               (1 like real images, above 1 more checkerboard texture)
 * @param periodicShare           mean {@linkplain Checkerboard periodic share} of the generated images
 * @param realPeriodicShare       the same for the real sample
 * @param perClass               per-class numbers, by class
 */
public record EvaluationReport(
        double classifierTestAccuracy,
        int testImages,
        boolean conditional,
        int generatedImages,
        int realImages,
        int referenceImages,
        double conditionalAccuracy,
        double realAccuracy,
        double classifierScore,
        double realClassifierScore,
        int classes,
        double fid,
        double fidBaseline,
        double diversity,
        double realDiversity,
        double checkerboard,
        double periodicShare,
        double realPeriodicShare,
        List<ClassScores> perClass) {

    /** Copies the list. */
    public EvaluationReport {
        perClass = List.copyOf(perClass);
    }

    /**
     * The numbers of one class.
     *
     * @param label         class index
     * @param name          class name
     * @param generated     generated images of this class: requested for it, or, for an unconditional
     *                      model, classified as it
     * @param accuracy      share of the images requested for it that are classified as it (NaN when
     *                      unconditional)
     * @param share         share of all generated images classified as it (class balance; 1/classes ideally)
     * @param diversity     mean pairwise distance of the features of its generated images
     * @param real          real images of this class in the comparison sample
     * @param realAccuracy  classifier accuracy on them
     * @param realDiversity mean pairwise distance of their features
     */
    public record ClassScores(
            int label,
            String name,
            int generated,
            double accuracy,
            double share,
            double diversity,
            int real,
            double realAccuracy,
            double realDiversity) {}
}
