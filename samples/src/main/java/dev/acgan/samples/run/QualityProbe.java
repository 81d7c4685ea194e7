package dev.acgan.samples.run;

import dev.acgan.api.model.Generator;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.eval.classifier.Classifier;
import dev.acgan.eval.classifier.ClassifierData;
import dev.acgan.eval.classifier.CompiledClassifier;
import dev.acgan.eval.metrics.Checkerboard;
import dev.acgan.eval.metrics.Evaluator;
import dev.acgan.eval.metrics.GeneratedQuality;
import dev.acgan.eval.metrics.GeneratedSamples;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures a training run's generator every {@code every} steps and at its last step
 * ({@code acgan train --eval-every}): the images and numbers of {@code acgan evaluate} with its defaults
 * ({@value GeneratedSamples#DEFAULT_COUNT_PER_CLASS} images per class, seed
 * {@value GeneratedSamples#DEFAULT_SEED}), so the row of a checkpoint's step in {@code metrics.csv} gives
 * the numbers {@code acgan evaluate} prints for that checkpoint on the same backend. Only generated images
 * are classified, on the training's own backend, which keeps a measurement well under a second for the
 * shipped classifiers. The denominator of the checkerboard ratio ({@link Checkerboard#realReference}) is
 * computed once, from the real test split of the classifier's dataset, as {@code acgan evaluate} does
 * without {@code --real-data}; where that split cannot be read the ratio is left out (NaN).
 * {@link #close()} frees the compiled classifier.
 */
public final class QualityProbe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QualityProbe.class);

    private final CompiledClassifier classifier;
    private final long every;
    private final double realPeriodicShare;

    /**
     * @param classifier the classifier that scores the images
     * @param backend    the backend it runs on (the training's)
     * @param every      steps between measurements (at least 1)
     */
    public QualityProbe(Classifier classifier, GanBackend backend, long every) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be at least 1, got " + every);
        }
        this.every = every;
        this.realPeriodicShare = realPeriodicShare(classifier);
        this.classifier = classifier.compile(backend);
    }

    private static double realPeriodicShare(Classifier classifier) {
        try {
            return Checkerboard.realReference(
                    ClassifierData.test(classifier.dataset()), GeneratedSamples.DEFAULT_COUNT_PER_CLASS);
        } catch (RuntimeException e) {
            LOG.warn(
                    "no checkerboard ratio while training: cannot read the real test images of '{}': {}",
                    classifier.dataset(),
                    e.getMessage());
            return Double.NaN;
        }
    }

    /** The mean periodic share of the real images, the checkerboard ratio's denominator (NaN for none). */
    public double realPeriodicShare() {
        return realPeriodicShare;
    }

    /** Steps between measurements. */
    public long every() {
        return every;
    }

    /** Whether to measure after {@code step}, the run's last step when {@code last}. */
    public boolean due(long step, boolean last) {
        return last || step % every == 0;
    }

    /** Generates the images and scores them. */
    public GeneratedQuality measure(Generator generator) {
        return Evaluator.quality(
                classifier,
                GeneratedSamples.generate(
                        generator, GeneratedSamples.DEFAULT_COUNT_PER_CLASS, GeneratedSamples.DEFAULT_SEED),
                realPeriodicShare);
    }

    @Override
    public void close() {
        classifier.close();
    }
}
