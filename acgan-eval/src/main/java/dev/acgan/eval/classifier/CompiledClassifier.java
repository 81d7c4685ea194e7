package dev.acgan.eval.classifier;

import dev.acgan.api.model.ClassifierModel;
import dev.acgan.api.model.ClassifierOutput;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.Layout;
import java.util.Objects;

/**
 * A {@link Classifier} compiled on a backend ({@link Classifier#compile}): class probabilities and features
 * of any number of images, computed in blocks of {@value #BLOCK} so that memory stays bounded. Thread-safe;
 * {@link #close()} releases the backend's native memory.
 */
public final class CompiledClassifier implements AutoCloseable {

    /** Images per backend call. */
    public static final int BLOCK = 1000;

    private final Classifier classifier;
    private final ClassifierModel model;

    CompiledClassifier(Classifier classifier, ClassifierModel model) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.model = Objects.requireNonNull(model, "model");
    }

    /** The classifier. */
    public Classifier classifier() {
        return classifier;
    }

    /** The name of the backend it runs on. */
    public String backendName() {
        return model.backendName();
    }

    /**
     * Probabilities and features of a batch; its image shape must be the classifier's input and its values
     * in [-1, 1] (anything a generator or dataset gives).
     */
    public ClassifierOutput predict(ImageBatch batch) {
        LeNetShape s = classifier.shape();
        if (batch.height() != s.height() || batch.width() != s.width() || batch.channels() != s.channels()) {
            throw new IllegalArgumentException("the classifier takes " + s.input() + " images, got " + batch.height()
                    + "x" + batch.width() + "x" + batch.channels());
        }
        ImageBatch nhwc = batch.toLayout(Layout.NHWC);
        return predict(model, batch.count(), (from, to) -> nhwc.slice(from, to));
    }

    /** Probabilities and features of a set of real images, read in blocks. */
    public ClassifierOutput predict(ImageSet images) {
        if (!images.source().info().image().equals(classifier.shape().input())) {
            throw new IllegalArgumentException(
                    "the classifier takes " + classifier.shape().input() + " images, " + images.description() + " has "
                            + images.source().info().image());
        }
        return predict(model, images);
    }

    /** Releases the backend's native memory; calling it twice is harmless. */
    @Override
    public void close() {
        model.close();
    }

    /** Images {@code [from, to)} of something to classify. */
    @FunctionalInterface
    interface Blocks {
        ImageBatch get(int from, int to);
    }

    /** The predictions of a set of images, block by block, on any classifier model. */
    static ClassifierOutput predict(ClassifierModel model, ImageSet images) {
        return predict(model, images.size(), images::batch);
    }

    static ClassifierOutput predict(ClassifierModel model, int n, Blocks blocks) {
        int k = model.spec().numClasses();
        float[] probs = new float[n * k];
        float[] feats = null;
        int f = 0;
        for (int from = 0; from < n; from += BLOCK) {
            int to = Math.min(n, from + BLOCK);
            ClassifierOutput p = model.predict(blocks.get(from, to));
            if (feats == null) {
                f = p.featureLength();
                feats = new float[n * f];
            }
            System.arraycopy(p.probabilities(), 0, probs, from * k, (to - from) * k);
            System.arraycopy(p.features(), 0, feats, from * f, (to - from) * f);
        }
        if (feats == null) {
            throw new IllegalArgumentException("nothing to classify");
        }
        return new ClassifierOutput(n, k, f, probs, feats);
    }
}
