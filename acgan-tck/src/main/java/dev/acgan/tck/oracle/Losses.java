package dev.acgan.tck.oracle;

/**
 * The cross-entropies of {@link dev.acgan.api.model.DiscriminatorBatch} and
 * {@link dev.acgan.api.model.GeneratorBatch}, on probabilities clipped to {@code [EPSILON, 1-EPSILON]}.
 * Like TensorFlow's {@code clip_by_value}, the clip passes the gradient where the probability lies in
 * the closed range and blocks it (zero) outside. And the softmax cross-entropy of
 * {@link dev.acgan.api.model.ClassifierModel}, from logits, unclipped.
 */
public final class Losses {

    /** The clipping epsilon, Keras' {@code backend.epsilon()}. */
    public static final double EPSILON = 1e-7;

    private Losses() {}

    /** {@code p} clipped to {@code [EPSILON, 1-EPSILON]}. */
    public static double clip(double p) {
        return Math.min(Math.max(p, EPSILON), 1 - EPSILON);
    }

    /** Derivative of {@link #clip}: 1 inside the closed range, 0 outside. */
    public static double clipGradient(double p) {
        return p >= EPSILON && p <= 1 - EPSILON ? 1 : 0;
    }

    /**
     * Binary cross-entropy of a probability against a (possibly smoothed) target:
     * {@code -(t*ln(c) + (1-t)*ln(1-c))} with {@code c = clip(p)}.
     */
    public static double binaryCrossEntropy(double p, double target) {
        double c = clip(p);
        return -(target * Math.log(c) + (1 - target) * Math.log(1 - c));
    }

    /** Derivative of {@link #binaryCrossEntropy} with respect to {@code p}: {@code (-t/c + (1-t)/(1-c)) * clip'(p)}. */
    public static double binaryCrossEntropyGradient(double p, double target) {
        double c = clip(p);
        return (-target / c + (1 - target) / (1 - c)) * clipGradient(p);
    }

    /**
     * Sparse categorical cross-entropy of one row of class probabilities: {@code -ln(clip(q[label]))}.
     *
     * @param q      probabilities, row-major rows of {@code classes}
     * @param row    the example
     * @param classes row length
     * @param label  the true class
     */
    public static double sparseCategoricalCrossEntropy(double[] q, int row, int classes, int label) {
        return -Math.log(clip(q[row * classes + label]));
    }

    /**
     * Adds {@code weight} times the gradient of {@link #sparseCategoricalCrossEntropy} with respect to the
     * row into {@code dq}: only the true class gets {@code -clip'(q)/clip(q)}.
     */
    public static void addSparseCategoricalCrossEntropyGradient(
            double[] q, int row, int classes, int label, double weight, double[] dq) {
        int i = row * classes + label;
        dq[i] += weight * -clipGradient(q[i]) / clip(q[i]);
    }

    /**
     * Softmax cross-entropy of one row of logits: {@code logsumexp(z) - z[label]} (the maximum is
     * subtracted before exponentiating), i.e. {@code -ln softmax(z)[label]} without clipping.
     *
     * @param z       logits, row-major rows of {@code classes}
     * @param row     the example
     * @param classes row length
     * @param label   the true class
     */
    public static double softmaxCrossEntropy(double[] z, int row, int classes, int label) {
        int o = row * classes;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            max = Math.max(max, z[o + j]);
        }
        double sum = 0;
        for (int j = 0; j < classes; j++) {
            sum += Math.exp(z[o + j] - max);
        }
        return max + Math.log(sum) - z[o + label];
    }

    /**
     * Adds {@code weight} times the gradient of {@link #softmaxCrossEntropy} with respect to the row of
     * logits into {@code dz}: {@code softmax(z) - onehot(label)}.
     */
    public static void addSoftmaxCrossEntropyGradient(
            double[] z, int row, int classes, int label, double weight, double[] dz) {
        int o = row * classes;
        double lse = softmaxCrossEntropy(z, row, classes, label) + z[o + label];
        for (int j = 0; j < classes; j++) {
            dz[o + j] += weight * (Math.exp(z[o + j] - lse) - (j == label ? 1 : 0));
        }
    }
}
