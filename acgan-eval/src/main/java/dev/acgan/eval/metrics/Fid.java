package dev.acgan.eval.metrics;

import dev.acgan.eval.classifier.FeatureStats;
import org.apache.commons.math3.exception.MaxCountExceededException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * The Fréchet distance between two Gaussians fitted to feature vectors (FID when the features come
 * from a classifier's penultimate layer):
 * {@code |m1 - m2|^2 + Tr(S1) + Tr(S2) - 2 Tr sqrt(S1 S2)}.
 *
 * <p>{@code Tr sqrt(S1 S2)} is computed on symmetric matrices only, in double precision, with Apache
 * Commons Math's {@link EigenDecomposition}: {@code sqrt(S1) = V diag(sqrt(l)) V^T}, and
 * {@code Tr sqrt(S1 S2)} is the sum of the square roots of the eigenvalues of the symmetric positive
 * semi-definite {@code sqrt(S1) S2 sqrt(S1)} (which has the eigenvalues of {@code S1 S2}). Eigenvalues
 * that rounding makes slightly negative count as zero, so singular covariances (dead feature units)
 * are fine.
 *
 * <p>Commons Math 3.6.1's eigen solver fails to converge on some rank-deficient matrices with repeated
 * eigenvalues, such as the covariance of a generator that collapsed to a handful of images. Then the
 * decomposition falls back to {@link SingularValueDecomposition}, which for a symmetric positive
 * semi-definite matrix is the same decomposition ({@code U = V}, singular values = eigenvalues).
 */
public final class Fid {

    private Fid() {}

    /** The Fréchet distance between the Gaussians of {@code a} and {@code b}; never negative. */
    public static double distance(FeatureStats a, FeatureStats b) {
        int d = a.dim();
        if (b.dim() != d) {
            throw new IllegalArgumentException("feature statistics of " + d + " and " + b.dim() + " dimensions");
        }
        double meanTerm = 0;
        for (int k = 0; k < d; k++) {
            double diff = a.mean()[k] - b.mean()[k];
            meanTerm += diff * diff;
        }
        double trace = 0;
        for (int k = 0; k < d; k++) {
            trace += a.covariance()[k][k] + b.covariance()[k][k];
        }
        double fid = meanTerm + trace - 2 * traceSqrtProduct(a.covariance(), b.covariance());
        return Math.max(0, fid);
    }

    /** {@code Tr sqrt(s1 s2)} for symmetric positive semi-definite {@code s1} and {@code s2}. */
    static double traceSqrtProduct(double[][] s1, double[][] s2) {
        RealMatrix root = sqrtSymmetric(symmetric(s1));
        RealMatrix m = root.multiply(symmetric(s2)).multiply(root);
        double sum = 0;
        for (double l : eigen(symmetrise(m)).values()) {
            sum += Math.sqrt(Math.max(0, l));
        }
        return sum;
    }

    /** The symmetric square root of a symmetric positive semi-definite matrix. */
    static RealMatrix sqrtSymmetric(RealMatrix s) {
        Eigen e = eigen(s);
        double[] l = e.values();
        RealMatrix v = e.vectors();
        int d = l.length;
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double sum = 0;
                for (int k = 0; k < d; k++) {
                    sum += v.getEntry(i, k) * Math.sqrt(Math.max(0, l[k])) * v.getEntry(j, k);
                }
                out[i][j] = sum;
                out[j][i] = sum;
            }
        }
        return new Array2DRowRealMatrix(out, false);
    }

    /** Eigenvalues and eigenvectors (columns) of a symmetric positive semi-definite matrix. */
    record Eigen(double[] values, RealMatrix vectors) {}

    /** {@link EigenDecomposition}, or the singular value decomposition where it does not converge. */
    static Eigen eigen(RealMatrix s) {
        try {
            EigenDecomposition e = new EigenDecomposition(s);
            return new Eigen(e.getRealEigenvalues(), e.getV());
        } catch (MaxCountExceededException e) {
            SingularValueDecomposition svd = new SingularValueDecomposition(s);
            return new Eigen(svd.getSingularValues(), svd.getU());
        }
    }

    private static RealMatrix symmetric(double[][] s) {
        return symmetrise(new Array2DRowRealMatrix(s, true));
    }

    /** {@code (m + m^T) / 2}, exactly symmetric, so the eigen solver takes its symmetric path. */
    private static RealMatrix symmetrise(RealMatrix m) {
        int d = m.getRowDimension();
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double v = 0.5 * (m.getEntry(i, j) + m.getEntry(j, i));
                out[i][j] = v;
                out[j][i] = v;
            }
        }
        return new Array2DRowRealMatrix(out, false);
    }
}
