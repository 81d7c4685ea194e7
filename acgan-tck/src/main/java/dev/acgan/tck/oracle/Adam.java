package dev.acgan.tck.oracle;

import dev.acgan.api.train.AdamConfig;

/**
 * The Adam update of {@link AdamConfig}, in double precision:
 * {@code m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2; lr_t = lr*sqrt(1-b2^t)/(1-b1^t);
 * p -= lr_t * m / (sqrt(v) + epsilon)}, where {@code t} counts updates starting at 1.
 */
public final class Adam {

    private Adam() {}

    /** The bias-corrected step size {@code lr*sqrt(1-b2^t)/(1-b1^t)} of update number {@code t} (from 1). */
    public static double stepSize(AdamConfig config, long t) {
        return config.learningRate() * Math.sqrt(1 - Math.pow(config.beta2(), t)) / (1 - Math.pow(config.beta1(), t));
    }

    /**
     * Applies update number {@code t} to one parameter in place.
     *
     * @param config    hyper-parameters
     * @param t         the update's number, 1 for the first update
     * @param parameter values, updated in place
     * @param gradient  the loss gradient, same length
     * @param m         first moment, updated in place
     * @param v         second moment, updated in place
     */
    public static void update(
            AdamConfig config, long t, double[] parameter, double[] gradient, double[] m, double[] v) {
        if (t < 1) {
            throw new IllegalArgumentException("Adam update numbers start at 1, got " + t);
        }
        if (gradient.length != parameter.length || m.length != parameter.length || v.length != parameter.length) {
            throw new IllegalArgumentException("Adam arrays differ in length");
        }
        double b1 = config.beta1();
        double b2 = config.beta2();
        double lrT = stepSize(config, t);
        for (int i = 0; i < parameter.length; i++) {
            double g = gradient[i];
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            parameter[i] -= lrT * m[i] / (Math.sqrt(v[i]) + config.epsilon());
        }
    }
}
