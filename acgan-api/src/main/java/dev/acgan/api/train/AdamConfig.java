package dev.acgan.api.train;

/**
 * Adam hyper-parameters. The update is the Keras/TensorFlow one:
 * {@code m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2; lr_t = lr*sqrt(1-b2^t)/(1-b1^t);
 * p -= lr_t * m / (sqrt(v) + epsilon)}.
 *
 * @param learningRate step size
 * @param beta1        first-moment decay
 * @param beta2        second-moment decay
 * @param epsilon      added to the root of the second moment
 */
public record AdamConfig(double learningRate, double beta1, double beta2, double epsilon) {

    /** Validates ranges. */
    public AdamConfig {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learningRate must be positive, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta1 and beta2 must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be positive, got " + epsilon);
        }
    }

    /** The ACGAN examples' setting: lr 2e-4, beta1 0.5, beta2 0.999, epsilon 1e-7. */
    public static AdamConfig acganDefaults() {
        return new AdamConfig(2e-4, 0.5, 0.999, 1e-7);
    }

    /** The same with another learning rate. */
    public AdamConfig withLearningRate(double lr) {
        return new AdamConfig(lr, beta1, beta2, epsilon);
    }

    /** The same with another beta1. */
    public AdamConfig withBeta1(double b1) {
        return new AdamConfig(learningRate, b1, beta2, epsilon);
    }
}
