package dev.acgan.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.model.ClassifierOutput;
import org.junit.jupiter.api.Test;

/** Classifier score, accuracy and diversity on hand-made predictions. */
class MetricsTest {

    static ClassifierOutput predictions(int classes, float[][] probs) {
        float[] p = new float[probs.length * classes];
        for (int i = 0; i < probs.length; i++) {
            System.arraycopy(probs[i], 0, p, i * classes, classes);
        }
        return new ClassifierOutput(probs.length, classes, 1, p, new float[probs.length]);
    }

    @Test
    void confidentBalancedPredictionsScoreTheNumberOfClasses() {
        float[][] p = new float[8][4];
        for (int i = 0; i < 8; i++) {
            p[i][i % 4] = 1;
        }
        assertEquals(4, Metrics.classifierScore(predictions(4, p), null), 1e-9);
    }

    @Test
    void oneClassOrUncertainPredictionsScoreOne() {
        float[][] same = new float[5][3];
        for (float[] r : same) {
            r[1] = 1;
        }
        assertEquals(1, Metrics.classifierScore(predictions(3, same), null), 1e-9);
        float[][] flat = new float[5][3];
        for (float[] r : flat) {
            java.util.Arrays.fill(r, 1f / 3);
        }
        assertEquals(1, Metrics.classifierScore(predictions(3, flat), null), 1e-6);
    }

    @Test
    void twoOfFourClassesScoreTwo() {
        float[][] p = new float[6][4];
        for (int i = 0; i < 6; i++) {
            p[i][i % 2] = 1;
        }
        double s = Metrics.classifierScore(predictions(4, p), null);
        assertEquals(2, s, 1e-9);
        assertTrue(s <= 4);
    }

    @Test
    void accuracyAndPredictedClass() {
        float[][] p = {{0.1f, 0.7f, 0.2f}, {0.5f, 0.5f, 0f}, {0f, 0.1f, 0.9f}};
        ClassifierOutput pr = predictions(3, p);
        assertEquals(1, pr.predicted(0));
        assertEquals(0, pr.predicted(1), "ties go to the lower class");
        assertEquals(2.0 / 3, pr.accuracy(new int[] {1, 1, 2}), 1e-12);
        assertEquals(1, Metrics.accuracy(pr, new int[] {1, 1, 2}, new int[] {0, 2}), 1e-12);
    }

    @Test
    void meanPairwiseDistance() {
        float[] f = {0, 0, 3, 4, 6, 8}; // points (0,0), (3,4), (6,8): distances 5, 10, 5
        assertEquals(20.0 / 3, Metrics.meanPairwiseDistance(f, 2, new int[] {0, 1, 2}), 1e-12);
        assertEquals(5, Metrics.meanPairwiseDistance(f, 2, new int[] {1, 2}), 1e-12);
        assertTrue(Double.isNaN(Metrics.meanPairwiseDistance(f, 2, new int[] {1})));
        assertEquals(0, Metrics.meanPairwiseDistance(new float[] {1, 1, 1, 1}, 2, new int[] {0, 1}), 0);
    }
}
