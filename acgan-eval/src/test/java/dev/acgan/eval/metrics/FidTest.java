package dev.acgan.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.eval.classifier.FeatureStats;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Fréchet distance and feature statistics on cases with known answers. */
class FidTest {

    static float[] gaussian(int n, int dim, long seed, double[] mean, double[] sd) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] f = new float[n * dim];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < dim; k++) {
                double u1 = rnd.nextDouble();
                double u2 = rnd.nextDouble();
                double z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
                f[i * dim + k] = (float) (mean[k] + sd[k] * z);
            }
        }
        return f;
    }

    static FeatureStats diagonal(double[] mean, double[] var) {
        int d = mean.length;
        double[][] cov = new double[d][d];
        for (int i = 0; i < d; i++) {
            cov[i][i] = var[i];
        }
        return new FeatureStats(100, mean, cov);
    }

    @Test
    void statisticsOfKnownVectors() {
        float[] f = {1, 2, 3, 6, 5, 10}; // three vectors of two: (1,2), (3,6), (5,10)
        FeatureStats s = FeatureStats.of(f, 2, 3);
        assertEquals(3, s.mean()[0], 1e-12);
        assertEquals(6, s.mean()[1], 1e-12);
        assertEquals(4, s.covariance()[0][0], 1e-12); // ((-2)^2 + 0 + 2^2) / 2
        assertEquals(16, s.covariance()[1][1], 1e-12);
        assertEquals(8, s.covariance()[0][1], 1e-12);
        assertEquals(8, s.covariance()[1][0], 1e-12);
    }

    @Test
    void identicalSetsAreAtZero() {
        int dim = 12;
        double[] mean = new double[dim];
        double[] sd = new double[dim];
        for (int k = 0; k < dim; k++) {
            mean[k] = k * 0.3;
            sd[k] = 0.5 + k * 0.1;
        }
        float[] f = gaussian(500, dim, 1, mean, sd);
        FeatureStats s = FeatureStats.of(f, dim, 500);
        assertEquals(0, Fid.distance(s, s), 1e-8);
    }

    @Test
    void shiftedMeansGiveTheSquaredDistance() {
        int dim = 8;
        double[] mean = new double[dim];
        double[] sd = new double[dim];
        java.util.Arrays.fill(sd, 1.0);
        float[] f = gaussian(400, dim, 2, mean, sd);
        float[] g = f.clone();
        double[] d = {1, -2, 0.5, 0, 0, 3, 0, -1};
        double expected = 0;
        for (int i = 0; i < 400; i++) {
            for (int k = 0; k < dim; k++) {
                g[i * dim + k] = (float) (f[i * dim + k] + d[k]);
            }
        }
        for (double v : d) {
            expected += v * v;
        }
        FeatureStats a = FeatureStats.of(f, dim, 400);
        FeatureStats b = FeatureStats.of(g, dim, 400);
        assertEquals(expected, Fid.distance(a, b), 1e-4 * expected);
    }

    @Test
    void diagonalCovariancesHaveTheClosedForm() {
        // For diagonal covariances: |m1-m2|^2 + sum (sqrt(a_i) - sqrt(b_i))^2.
        double[] va = {1, 4, 9, 0.25};
        double[] vb = {4, 1, 9, 1};
        double[] ma = {0, 0, 1, 2};
        double[] mb = {1, 0, 1, 0};
        double expected = 1 + 4 + (1 - 2) * (1 - 2) + (2 - 1) * (2 - 1) + 0 + (0.5 - 1) * (0.5 - 1);
        assertEquals(expected, Fid.distance(diagonal(ma, va), diagonal(mb, vb)), 1e-10);
        assertEquals(
                Fid.distance(diagonal(ma, va), diagonal(mb, vb)),
                Fid.distance(diagonal(mb, vb), diagonal(ma, va)),
                1e-10,
                "symmetric");
    }

    @Test
    void rotatedCovarianceAgainstTheSameEigenvalues() {
        // S1 = R diag(1, 9) R^T (45 degrees), S2 = diag(1, 9): Tr sqrt(S1 S2) computed by hand.
        double c = Math.sqrt(0.5);
        double[][] r = {{c, -c}, {c, c}};
        double[] l = {1, 9};
        double[][] s1 = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 2; k++) {
                    s1[i][j] += r[i][k] * l[k] * r[j][k];
                }
            }
        }
        FeatureStats a = new FeatureStats(10, new double[2], s1);
        FeatureStats b = diagonal(new double[2], new double[] {1, 9});
        // s1 = [[5, 4], [4, 5]], s2 = diag(1, 9); s1 s2 = [[5, 36], [4, 45]]: trace 50, det 9, so the
        // eigenvalues l satisfy l^2 - 50 l + 81 = 0 and Tr sqrt = sqrt(l1) + sqrt(l2) = sqrt(50 + 2*sqrt(81)).
        double trSqrt = Math.sqrt(50 + 2 * 9);
        double expected = 10 + 10 - 2 * trSqrt;
        assertEquals(expected, Fid.distance(a, b), 1e-9);
    }

    @Test
    void singularCovariancesAreFine() {
        // Dead feature units give zero rows and columns.
        double[] m = {1, 2, 3};
        FeatureStats a = diagonal(m, new double[] {0, 1, 0});
        FeatureStats b = diagonal(m, new double[] {0, 4, 0});
        assertEquals(1, Fid.distance(a, b), 1e-10);
        assertTrue(Fid.distance(a, a) < 1e-12);
    }

    @Test
    void collapsedSetsOnWhichTheEigenSolverFails() {
        // Ten distinct vectors repeated 30 times, every 7th feature dead: Commons Math's eigen solver does not
        // converge on such covariances (repeated eigenvalues), the singular value decomposition does.
        int dim = 84;
        int k = 10;
        SplittableRandom rnd = new SplittableRandom(4);
        float[] points = new float[k * dim];
        for (int i = 0; i < points.length; i++) {
            points[i] = i % dim % 7 == 0 ? 0 : (float) (rnd.nextDouble() * 6 - 3);
        }
        float[] f = new float[300 * dim];
        float[] g = new float[300 * dim];
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < dim; j++) {
                f[i * dim + j] = points[(i % k) * dim + j];
                g[i * dim + j] = f[i * dim + j] + (j == 3 ? 2f : 0f);
            }
        }
        FeatureStats a = FeatureStats.of(f, dim, 300);
        FeatureStats b = FeatureStats.of(g, dim, 300);
        assertEquals(0, Fid.distance(a, a), 1e-6);
        assertEquals(4, Fid.distance(a, b), 1e-5, "the means differ by 2 in one feature");
    }

    @Test
    void singularValueFallbackAgreesWithTheEigenDecomposition() {
        int dim = 6;
        float[] f = gaussian(50, dim, 8, new double[dim], new double[] {1, 2, 3, 0.5, 1, 4});
        FeatureStats s = FeatureStats.of(f, dim, 50);
        var m = new org.apache.commons.math3.linear.Array2DRowRealMatrix(s.covariance());
        double[] eig = new org.apache.commons.math3.linear.EigenDecomposition(m).getRealEigenvalues();
        double[] sv = new org.apache.commons.math3.linear.SingularValueDecomposition(m).getSingularValues();
        java.util.Arrays.sort(eig);
        java.util.Arrays.sort(sv);
        for (int i = 0; i < dim; i++) {
            assertEquals(eig[i], sv[i], 1e-10 * eig[dim - 1]);
        }
        double[] fromEigen = Fid.eigen(m).values().clone();
        java.util.Arrays.sort(fromEigen);
        assertEquals(eig[0], fromEigen[0], 0);
    }
}
