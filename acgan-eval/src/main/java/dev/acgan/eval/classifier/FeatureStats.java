package dev.acgan.eval.classifier;

import java.util.Arrays;

/**
 * Mean and covariance of a set of feature vectors, in double precision: the Gaussian that the Fréchet
 * distance ({@link dev.acgan.eval.metrics.Fid}) compares; a {@link Classifier} stores that of its training
 * images. The covariance is the unbiased sample covariance (divided by
 * {@code count - 1}), as in the usual FID code.
 *
 * @param count      number of vectors summarised
 * @param mean       the mean vector
 * @param covariance the {@code dim x dim} covariance matrix, symmetric
 */
public record FeatureStats(int count, double[] mean, double[][] covariance) {

    /** Checks the dimensions. */
    public FeatureStats {
        int d = mean.length;
        if (covariance.length != d) {
            throw new IllegalArgumentException("covariance of " + covariance.length + " rows for a mean of " + d);
        }
        for (double[] row : covariance) {
            if (row.length != d) {
                throw new IllegalArgumentException("covariance row of " + row.length + " for a mean of " + d);
            }
        }
    }

    /** Number of dimensions. */
    public int dim() {
        return mean.length;
    }

    /**
     * The statistics of {@code rows.length} vectors of length {@code dim} taken from {@code features}
     * (vector {@code r} at {@code r * dim}); at least two are needed.
     */
    public static FeatureStats of(float[] features, int dim, int[] rows) {
        int n = rows.length;
        if (n < 2) {
            throw new IllegalArgumentException("feature statistics need at least 2 vectors, got " + n);
        }
        double[] mean = new double[dim];
        for (int r : rows) {
            for (int k = 0; k < dim; k++) {
                mean[k] += features[r * dim + k];
            }
        }
        for (int k = 0; k < dim; k++) {
            mean[k] /= n;
        }
        double[][] cov = new double[dim][dim];
        double[] c = new double[dim];
        for (int r : rows) {
            for (int k = 0; k < dim; k++) {
                c[k] = features[r * dim + k] - mean[k];
            }
            for (int a = 0; a < dim; a++) {
                double ca = c[a];
                double[] row = cov[a];
                for (int b = a; b < dim; b++) {
                    row[b] += ca * c[b];
                }
            }
        }
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
        }
        return new FeatureStats(n, mean, cov);
    }

    /** The statistics of the first {@code n} vectors of length {@code dim} in {@code features}. */
    public static FeatureStats of(float[] features, int dim, int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return of(features, dim, rows);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureStats s
                && count == s.count
                && Arrays.equals(mean, s.mean)
                && Arrays.deepEquals(covariance, s.covariance);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * count + Arrays.hashCode(mean)) + Arrays.deepHashCode(covariance);
    }

    @Override
    public String toString() {
        return "FeatureStats[" + count + " vectors of " + dim() + "]";
    }
}
