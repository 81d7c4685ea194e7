package dev.acgan.samples.run;

import dev.acgan.api.model.Generator;
import dev.acgan.samples.eval.Classifier;
import dev.acgan.samples.eval.Evaluator;
import dev.acgan.samples.eval.GeneratedQuality;
import dev.acgan.samples.eval.GeneratedSamples;

/**
 * Measures a training run's generator every {@code every} steps and at its last step
 * ({@code acgan train --eval-every}): the images and numbers of {@code acgan evaluate} with its defaults
 * ({@value GeneratedSamples#DEFAULT_COUNT_PER_CLASS} images per class, seed
 * {@value GeneratedSamples#DEFAULT_SEED}), so the row of a checkpoint's step in {@code metrics.csv} gives
 * the numbers {@code acgan evaluate} prints for that checkpoint on the same backend. Only generated images
 * are classified, which keeps a measurement well under a second for the shipped classifiers.
 *
 * @param classifier the classifier that scores the images
 * @param every      steps between measurements (at least 1)
 */
public record QualityProbe(Classifier classifier, long every) {

    /** Checks the interval. */
    public QualityProbe {
        java.util.Objects.requireNonNull(classifier, "classifier");
        if (every < 1) {
            throw new IllegalArgumentException("every must be at least 1, got " + every);
        }
    }

    /** Whether to measure after {@code step}, the run's last step when {@code last}. */
    public boolean due(long step, boolean last) {
        return last || step % every == 0;
    }

    /** Generates the images and scores them. */
    public GeneratedQuality measure(Generator generator) {
        return Evaluator.quality(classifier, GeneratedSamples.generate(generator,
                GeneratedSamples.DEFAULT_COUNT_PER_CLASS, GeneratedSamples.DEFAULT_SEED));
    }
}
