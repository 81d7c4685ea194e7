package dev.acgan.tck.oracle;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.DoubleSupplier;

/**
 * Central finite differences in double precision. A value {@code x[i]} is perturbed by {@code +-H}
 * and the derivative estimated as {@code (f(x+H) - f(x-H)) / 2H} (truncation error O(H^2), about
 * 1e-10 here, round-off about 1e-11). An analytic derivative {@code a} passes against the estimate
 * {@code n} when {@code |a - n| <= TOLERANCE * max(1, |a|, |n|)}: relative 1e-6 for derivatives above
 * 1 in magnitude, absolute 1e-6 below.
 */
final class FiniteDifferences {

    /** The perturbation. */
    static final double H = 1e-5;
    /** The tolerance, relative above magnitude 1 and absolute below. */
    static final double TOLERANCE = 1e-6;

    private FiniteDifferences() {}

    /** The central difference of {@code f} with respect to {@code x[i]}; restores {@code x[i]}. */
    static double derivative(DoubleSupplier f, double[] x, int i) {
        double saved = x[i];
        x[i] = saved + H;
        double plus = f.getAsDouble();
        x[i] = saved - H;
        double minus = f.getAsDouble();
        x[i] = saved;
        return (plus - minus) / (2 * H);
    }

    /** Fails unless the analytic and numeric derivatives agree within the tolerance. */
    static void assertClose(String what, double analytic, double numeric) {
        double scale = Math.max(1, Math.max(Math.abs(analytic), Math.abs(numeric)));
        if (!(Math.abs(analytic - numeric) <= TOLERANCE * scale)) {
            fail(what + ": analytic " + analytic + " vs finite difference " + numeric + " (difference "
                    + Math.abs(analytic - numeric) + ")");
        }
    }

    /** Checks every element of an analytic gradient of {@code f} with respect to {@code x}; returns the count. */
    static int checkAll(String what, DoubleSupplier f, double[] x, double[] analytic) {
        if (analytic.length != x.length) {
            fail(what + ": gradient has " + analytic.length + " values, parameter " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            assertClose(what + "[" + i + "]", analytic[i], derivative(f, x, i));
        }
        return x.length;
    }
}
