package dev.acgan.eval.metrics;

import dev.acgan.api.model.ClassifierOutput;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.eval.classifier.Classifier;
import dev.acgan.eval.classifier.CompiledClassifier;
import dev.acgan.eval.classifier.FeatureStats;
import dev.acgan.eval.classifier.ImageSet;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes an {@link EvaluationReport}: classifies the generated images and a class-balanced sample of
 * the real test split of the classifier's dataset with the same {@link Classifier}, and compares them.
 *
 * <ul>
 *   <li>conditional accuracy: the share of generated images whose most probable class is the requested
 *       one, overall and per class;</li>
 *   <li>classifier score: {@link Metrics#classifierScore} (the inception score with this classifier),
 *       at most the number of classes;</li>
 *   <li>FID: {@link Fid} between the Gaussian of the generated images' features (the classifier's
 *       penultimate layer) and that of the training images stored with the classifier; the baseline is
 *       the same distance for the real test sample;</li>
 *   <li>diversity: per class, the mean pairwise Euclidean distance of the features; a generator that
 *       collapses to few images per class scores well below the real images;</li>
 *   <li>checkerboard: the {@link Checkerboard} ratio, the mean share of the images' energy in a pattern
 *       locked to the pixel grid with period 2 or 4 (the artefact of stride-2 transposed convolutions)
 *       divided by that of the real sample; computed from the pixels, not by the classifier.</li>
 * </ul>
 *
 * The real sample is the first {@code countPerClass} images of each class of the test split (fewer where
 * the split has fewer), so it is about as large as the generated set and needs no seed.
 *
 * <p>The classifier runs on a backend: pass one compiled for the session
 * ({@link #evaluate(CompiledClassifier, ImageSet, ImageBatch, int)}, cheapest when evaluating repeatedly),
 * a backend, or nothing (the default backend of {@link Backends#discover()}).
 */
public final class Evaluator {

    private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);

    private Evaluator() {}

    /**
     * Evaluates generated images with the classifier on the default backend ({@link Backends#discover()}
     * and its selection rules), compiled for this call.
     *
     * @see #evaluate(CompiledClassifier, ImageSet, ImageBatch, int)
     */
    public static EvaluationReport evaluate(
            Classifier classifier, ImageSet realTest, ImageBatch generated, int countPerClass) {
        return evaluate(Backends.discover().select(), classifier, realTest, generated, countPerClass);
    }

    /**
     * Evaluates generated images with the classifier compiled on {@code backend} for this call.
     *
     * @see #evaluate(CompiledClassifier, ImageSet, ImageBatch, int)
     */
    public static EvaluationReport evaluate(
            GanBackend backend, Classifier classifier, ImageSet realTest, ImageBatch generated, int countPerClass) {
        try (CompiledClassifier compiled = classifier.compile(backend)) {
            return evaluate(compiled, realTest, generated, countPerClass);
        }
    }

    /**
     * Evaluates generated images.
     *
     * @param compiled      the classifier, compiled on a backend
     * @param realTest      the real test split of the classifier's dataset
     * @param generated     generated images; their labels are the requested classes, or absent for an
     *                      unconditional model
     * @param countPerClass size per class of the real comparison sample
     */
    public static EvaluationReport evaluate(
            CompiledClassifier compiled, ImageSet realTest, ImageBatch generated, int countPerClass) {
        Classifier classifier = compiled.classifier();
        int k = classifier.shape().classes();
        int dim = classifier.shape().dense2();
        if (realTest.numClasses() != k) {
            throw new IllegalArgumentException(
                    realTest.description() + " has " + realTest.numClasses() + " classes but the classifier " + k);
        }
        if (generated.count() < 2) {
            throw new IllegalArgumentException(
                    "evaluation needs at least 2 generated images, got " + generated.count());
        }
        int[] requested = generated.labels();
        if (requested != null) {
            for (int y : requested) {
                if (y < 0 || y >= k) {
                    throw new IllegalArgumentException(
                            "requested class " + y + " is outside the classifier's " + k + " classes");
                }
            }
        }
        LOG.debug("classifying {} real test images", realTest.size());
        ClassifierOutput real = compiled.predict(realTest);
        int[] realLabels = realTest.labels();
        double testAccuracy = real.accuracy(realLabels);
        int[] realRows = firstPerClass(realLabels, k, countPerClass);
        LOG.debug("classifying {} generated images", generated.count());
        ClassifierOutput gen = compiled.predict(generated);
        int[] genRows = Metrics.all(gen.count());
        int[] groups = new int[gen.count()];
        int[] predictedCount = new int[k];
        for (int i = 0; i < gen.count(); i++) {
            int p = gen.predicted(i);
            predictedCount[p]++;
            groups[i] = requested != null ? requested[i] : p;
        }
        List<EvaluationReport.ClassScores> perClass = new ArrayList<>();
        double divSum = 0;
        int divN = 0;
        double realDivSum = 0;
        int realDivN = 0;
        for (int c = 0; c < k; c++) {
            int[] g = rowsOf(groups, genRows, c);
            int[] r = rowsOf(realLabels, realRows, c);
            double acc = requested == null ? Double.NaN : Metrics.accuracy(gen, requested, g);
            double div = Metrics.meanPairwiseDistance(gen.features(), dim, g);
            double realDiv = Metrics.meanPairwiseDistance(real.features(), dim, r);
            if (!Double.isNaN(div)) {
                divSum += div;
                divN++;
            }
            if (!Double.isNaN(realDiv)) {
                realDivSum += realDiv;
                realDivN++;
            }
            perClass.add(new EvaluationReport.ClassScores(
                    c,
                    classifier.classNames().get(c),
                    g.length,
                    acc,
                    predictedCount[c] / (double) gen.count(),
                    div,
                    r.length,
                    Metrics.accuracy(real, realLabels, r),
                    realDiv));
        }
        FeatureStats reference = classifier.reference();
        double realShare = Checkerboard.meanPeriodicShare(realTest, realRows);
        double share = Checkerboard.meanPeriodicShare(generated);
        GeneratedQuality q = quality(classifier, gen, requested, share, realShare);
        double baseline = Fid.distance(FeatureStats.of(real.features(), dim, realRows), reference);
        return new EvaluationReport(
                testAccuracy,
                realTest.size(),
                requested != null,
                gen.count(),
                realRows.length,
                reference.count(),
                q.conditionalAccuracy(),
                Metrics.accuracy(real, realLabels, realRows),
                q.classifierScore(),
                Metrics.classifierScore(real, realRows),
                k,
                q.fid(),
                baseline,
                divN == 0 ? Double.NaN : divSum / divN,
                realDivN == 0 ? Double.NaN : realDivSum / realDivN,
                q.checkerboard(),
                share,
                realShare,
                perClass);
    }

    /**
     * The numbers of generated images alone (no real images are classified): conditional accuracy,
     * classifier score and FID, equal to the "generated" column of {@link #evaluate} for the same images;
     * no checkerboard ratio (NaN).
     *
     * @param generated generated images; their labels are the requested classes, or absent for an
     *                  unconditional model (then the accuracy is NaN)
     * @see #quality(CompiledClassifier, ImageBatch, double)
     */
    public static GeneratedQuality quality(CompiledClassifier compiled, ImageBatch generated) {
        return quality(compiled, generated, Double.NaN);
    }

    /**
     * The numbers of generated images alone, with the checkerboard ratio against a real reference: all
     * equal to the "generated" column of {@link #evaluate} for the same images when {@code realPeriodicShare}
     * is {@link Checkerboard#realReference} of the same real test split and count per class.
     *
     * @param generated        generated images; their labels are the requested classes, or absent for an
     *                         unconditional model (then the accuracy is NaN)
     * @param realPeriodicShare mean {@linkplain Checkerboard periodic share} of real images, the denominator
     *                         of the checkerboard ratio; NaN for none (the ratio is then NaN)
     */
    public static GeneratedQuality quality(
            CompiledClassifier compiled, ImageBatch generated, double realPeriodicShare) {
        if (generated.count() < 2) {
            throw new IllegalArgumentException(
                    "evaluation needs at least 2 generated images, got " + generated.count());
        }
        return quality(
                compiled.classifier(),
                compiled.predict(generated),
                generated.labels(),
                Double.isNaN(realPeriodicShare) ? Double.NaN : Checkerboard.meanPeriodicShare(generated),
                realPeriodicShare);
    }

    private static GeneratedQuality quality(
            Classifier classifier, ClassifierOutput gen, int[] requested, double share, double realShare) {
        int[] rows = Metrics.all(gen.count());
        double fid = Fid.distance(
                FeatureStats.of(gen.features(), classifier.shape().dense2(), rows), classifier.reference());
        return new GeneratedQuality(
                requested == null ? Double.NaN : Metrics.accuracy(gen, requested, rows),
                Metrics.classifierScore(gen, rows),
                fid,
                Checkerboard.ratio(share, realShare));
    }

    /** Indices of the first {@code perClass} examples of each class, in order. */
    static int[] firstPerClass(int[] labels, int classes, int perClass) {
        int[] taken = new int[classes];
        int[] out = new int[labels.length];
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (taken[labels[i]] < perClass) {
                taken[labels[i]]++;
                out[n++] = i;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static int[] rowsOf(int[] labels, int[] rows, int c) {
        int n = 0;
        for (int r : rows) {
            if (labels[r] == c) {
                n++;
            }
        }
        int[] out = new int[n];
        n = 0;
        for (int r : rows) {
            if (labels[r] == c) {
                out[n++] = r;
            }
        }
        return out;
    }
}
