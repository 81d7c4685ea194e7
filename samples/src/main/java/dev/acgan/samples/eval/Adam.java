package dev.acgan.samples.eval;

/**
 * The Adam optimiser (Kingma and Ba) on a flat float array, moments in double precision, a fixed update
 * order and {@link StrictMath} powers, so equal inputs give equal bits.
 */
final class Adam {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double[] m;
    private final double[] v;
    private long t;

    Adam(int size, double beta1, double beta2, double epsilon) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.m = new double[size];
        this.v = new double[size];
    }

    /** One update of {@code weights} with {@code grad} at learning rate {@code lr}. */
    void step(float[] weights, float[] grad, double lr) {
        t++;
        double c1 = 1 - StrictMath.pow(beta1, t);
        double c2 = 1 - StrictMath.pow(beta2, t);
        for (int i = 0; i < weights.length; i++) {
            double g = grad[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            double mh = m[i] / c1;
            double vh = v[i] / c2;
            weights[i] = (float) (weights[i] - lr * mh / (Math.sqrt(vh) + epsilon));
        }
    }
}
