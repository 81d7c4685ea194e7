package dev.acgan.eval.metrics;

import dev.acgan.api.model.ClassifierOutput;

/**
 * The sample-quality numbers computed from a classifier's outputs, in double precision: the classifier
 * score (the inception score computed with this classifier) and the diversity of feature vectors.
 */
public final class Metrics {

    private Metrics() {}

    /**
     * The classifier score {@code exp(E_x KL(p(y|x) || p(y)))} of the images {@code rows} (all when
     * {@code null}), where {@code p(y)} is the mean of their {@code p(y|x)}. It is 1 when every image
     * gets the same distribution (or the classifier cannot tell) and at most the number of classes,
     * reached when each image is one class with certainty and the classes are equally frequent.
     */
    public static double classifierScore(ClassifierOutput p, int[] rows) {
        int k = p.classes();
        int[] r = rows == null ? all(p.count()) : rows;
        if (r.length == 0) {
            return Double.NaN;
        }
        float[] probs = p.probabilities();
        double[] marginal = new double[k];
        for (int i : r) {
            for (int j = 0; j < k; j++) {
                marginal[j] += probs[i * k + j];
            }
        }
        for (int j = 0; j < k; j++) {
            marginal[j] /= r.length;
        }
        double kl = 0;
        for (int i : r) {
            for (int j = 0; j < k; j++) {
                double q = probs[i * k + j];
                if (q > 0) {
                    kl += q * (Math.log(q) - Math.log(marginal[j]));
                }
            }
        }
        return Math.exp(kl / r.length);
    }

    /**
     * The mean Euclidean distance between all pairs of the feature vectors {@code rows} (vector {@code r}
     * at {@code r * dim} of {@code features}); NaN for fewer than two vectors.
     */
    public static double meanPairwiseDistance(float[] features, int dim, int[] rows) {
        int n = rows.length;
        if (n < 2) {
            return Double.NaN;
        }
        double sum = 0;
        for (int a = 0; a < n; a++) {
            int oa = rows[a] * dim;
            for (int b = a + 1; b < n; b++) {
                int ob = rows[b] * dim;
                double s = 0;
                for (int k = 0; k < dim; k++) {
                    double d = features[oa + k] - features[ob + k];
                    s += d * d;
                }
                sum += Math.sqrt(s);
            }
        }
        return sum / ((double) n * (n - 1) / 2);
    }

    /** The share of {@code rows} whose most probable class is {@code labels[row]}. */
    public static double accuracy(ClassifierOutput p, int[] labels, int[] rows) {
        if (rows.length == 0) {
            return Double.NaN;
        }
        int hits = 0;
        for (int i : rows) {
            if (p.predicted(i) == labels[i]) {
                hits++;
            }
        }
        return hits / (double) rows.length;
    }

    static int[] all(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
