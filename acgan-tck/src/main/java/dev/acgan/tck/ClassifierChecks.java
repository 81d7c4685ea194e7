package dev.acgan.tck;

import static dev.acgan.tck.ParityTolerances.LOSS_ATOL;
import static dev.acgan.tck.ParityTolerances.LOSS_RTOL;

import dev.acgan.api.model.ClassifierBatch;
import dev.acgan.api.model.ClassifierModel;
import dev.acgan.api.model.ClassifierOutput;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.spi.Capability;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import dev.acgan.tck.ParityChecks.Tally;
import dev.acgan.tck.oracle.ReferenceClassifier;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Assumptions;

/**
 * The classifier half of the parity checks: a backend's {@link ClassifierModel} against the oracle's
 * {@link ReferenceClassifier} from identical weights, images, labels and dropout masks, with the
 * tolerances of {@link ParityTolerances} (the same float32-against-float64 reasoning as for the GANs).
 * Skipped (JUnit assumption) when the backend does not declare {@link Capability#CLASSIFIER}.
 */
public final class ClassifierChecks {

    /** Adam of every check: LeNet's training settings (beta1 0.9, beta2 0.999, epsilon 1e-8). */
    public static final AdamConfig ADAM = new AdamConfig(2e-3, 0.9, 0.999, 1e-8);
    /** Learning rate of the first update-parity step; later steps halve it, so the per-step rate matters. */
    public static final double FIRST_LEARNING_RATE = 2e-3;

    private final GanBackend backend;

    /** Checks of the given backend against the oracle. */
    public ClassifierChecks(GanBackend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    private void requireClassifiers() {
        Assumptions.assumeTrue(
                backend.capabilities().contains(Capability.CLASSIFIER),
                () -> backend.name() + " does not declare " + Capability.CLASSIFIER);
    }

    private ClassifierModel candidate(ClassifierSpec spec, NamedTensors state) {
        return backend.createClassifier(spec, ADAM, state);
    }

    private static ReferenceClassifier oracle(ClassifierSpec spec, NamedTensors state) {
        return new ReferenceClassifier(spec, ADAM, state);
    }

    /**
     * Loss parity: the loss of {@code n} labelled images with dropout masks, for each batch size, within
     * {@link ParityTolerances#LOSS_RTOL} and {@link ParityTolerances#LOSS_ATOL}.
     */
    public ParityReport lossParity(ClassifierSpec spec, long seed, int... batchSizes) {
        requireClassifiers();
        Tally t = new Tally("classifier loss parity", spec.name());
        NamedTensors weights = TckFixtures.weights(spec, seed);
        try (ClassifierModel cand = candidate(spec, weights);
                ReferenceClassifier oracle = oracle(spec, weights)) {
            for (int n : batchSizes) {
                ClassifierBatch b = TckFixtures.classifierBatch(spec, n, seed * 1_000 + n);
                t.context(n + " labelled images, training mode");
                t.scalar("classifier loss", cand.loss(b), oracle.loss(b), LOSS_RTOL, LOSS_ATOL);
            }
        }
        return t.finish(backend.name());
    }

    /**
     * Prediction parity, element by element ({@link ParityTolerances#OUTPUT_RTOL},
     * {@link ParityTolerances#OUTPUT_ATOL}): class probabilities and features in inference mode (moving
     * BatchNorm statistics, no dropout).
     */
    public ParityReport predictionParity(ClassifierSpec spec, long seed, int batchSize) {
        requireClassifiers();
        Tally t = new Tally("classifier prediction parity", spec.name());
        NamedTensors weights = TckFixtures.weights(spec, seed);
        try (ClassifierModel cand = candidate(spec, weights);
                ReferenceClassifier oracle = oracle(spec, weights)) {
            ImageBatch images =
                    TckFixtures.classifierBatch(spec, batchSize, seed + 4).images();
            t.context(batchSize + " images, inference mode");
            ClassifierOutput b = cand.predict(images);
            ClassifierOutput o = oracle.predict(images);
            if (b.count() != o.count() || b.featureLength() != o.featureLength() || b.classes() != o.classes()) {
                t.mismatch(
                        "output shape",
                        b.count() + " x " + b.classes() + " classes, " + b.featureLength() + " features",
                        o.count() + " x " + o.classes() + " classes, " + o.featureLength() + " features",
                        Double.NaN,
                        0,
                        "the same shape");
            } else {
                t.outputs("class probabilities", b.probabilities(), o.probabilities());
                t.outputs("features", b.features(), o.features());
            }
        }
        return t.finish(backend.name());
    }

    /**
     * Gradient parity: the backend's loss gradients against the oracle's exact ones, tensor by tensor, by
     * norm, as {@link ParityChecks#gradientParity}; and, for a few elements of every tensor, against
     * central differences of the oracle's loss, as {@link ParityChecks#finiteDifferenceSpotCheck}.
     * Skipped without {@link Capability#GRADIENTS}.
     */
    public ParityReport gradientParity(ClassifierSpec spec, long seed, int... batchSizes) {
        requireClassifiers();
        Assumptions.assumeTrue(
                backend.capabilities().contains(Capability.GRADIENTS),
                () -> backend.name() + " does not declare " + Capability.GRADIENTS);
        Tally t = new Tally("classifier gradient parity", spec.name());
        NamedTensors weights = TckFixtures.weights(spec, seed);
        InferredNetwork net = spec.validate();
        try (ClassifierModel cand = candidate(spec, weights);
                ReferenceClassifier oracle = oracle(spec, weights)) {
            for (int n : batchSizes) {
                ClassifierBatch b = TckFixtures.classifierBatch(spec, n, seed * 1_000 + n + 7);
                t.context(n + " labelled images, training mode");
                NamedTensors bg = cand.gradients(b);
                Map<String, double[]> exact = oracle.gradientsExact(b);
                ParityChecks.compareGradients(t, net, bg, exact);
                ParityChecks.spotCheck(t, oracle::value, oracle::setValue, net, bg, exact, () -> oracle.loss(b), seed);
            }
        }
        return t.finish(backend.name());
    }

    /**
     * Update parity: {@code steps} training steps of {@code batchSize} images on the backend and the
     * oracle, step {@code s} with learning rate {@link #FIRST_LEARNING_RATE}{@code / 2^(s-1)}. After each
     * step the whole state is compared as in {@link ParityChecks#updateParity} (parameters within the
     * Adam band of their gradient's tolerance, moments, moving statistics, the update counter exactly) and
     * the returned loss as in loss parity; then both are reset to the oracle's state rounded to float32.
     */
    public ParityReport updateParity(ClassifierSpec spec, long seed, int batchSize, int steps) {
        requireClassifiers();
        Tally t = new Tally("classifier update parity", spec.name());
        InferredNetwork net = spec.validate();
        Map<String, ParameterSpec> params = new HashMap<>();
        net.parameters().forEach(p -> params.put(p.name(), p));
        Map<String, int[]> shapes = StateNames.fullStateShapes(net);
        NamedTensors weights = TckFixtures.weights(spec, seed);
        try (ClassifierModel cand = candidate(spec, weights);
                ReferenceClassifier oracle = oracle(spec, weights)) {
            NamedTensors before = oracle.state();
            double lr = FIRST_LEARNING_RATE;
            for (int s = 1; s <= steps; s++, lr /= 2) {
                ClassifierBatch b = TckFixtures.classifierBatch(spec, batchSize, seed * 1_000 + batchSize + 100L * s);
                t.context("step " + s + " (learning rate " + lr + "), " + batchSize + " labelled images");
                Map<String, double[]> g = oracle.gradientsExact(b);
                t.scalar("returned classifier loss", cand.train(b, lr), oracle.train(b, lr), LOSS_RTOL, LOSS_ATOL);
                NamedTensors after = cand.state();
                t.names("classifier state", after.names(), shapes.keySet());
                AdamConfig adam = ADAM.withLearningRate(lr);
                double scale = ParityChecks.gradientScale(g);
                for (Map.Entry<String, int[]> e : shapes.entrySet()) {
                    String name = e.getKey();
                    if (!after.contains(name)) {
                        continue;
                    }
                    Tensor bt = after.get(name);
                    if (!Arrays.equals(bt.shape(), e.getValue())) {
                        t.mismatch(
                                "state " + name,
                                "shape " + Arrays.toString(bt.shape()),
                                "shape " + Arrays.toString(e.getValue()),
                                Double.NaN,
                                0,
                                "the canonical shape");
                    } else if (name.equals(StateNames.ITERATIONS_CLASSIFIER)) {
                        t.exact("state " + name, bt.data()[0], oracle.iterations());
                    } else {
                        ParityChecks.compareStepped(
                                t,
                                name,
                                bt,
                                e.getValue(),
                                oracle::value,
                                before,
                                params,
                                g,
                                adam,
                                oracle.iterations(),
                                scale);
                    }
                }
                before = oracle.state();
                oracle.loadState(before);
                cand.loadState(before);
            }
        }
        return t.finish(backend.name());
    }
}
