package dev.acgan.api.spi;

import dev.acgan.api.model.ClassifierModel;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.train.AdamConfig;
import java.util.Optional;
import java.util.Set;

/**
 * A compute backend: a compiler of {@link ModelSpec}s. Implementations are discovered with
 * {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.acgan.api.spi.GanBackend}) or registered with
 * {@link Backends#register}. They must have a public no-argument constructor and must not load
 * native code before {@link #createModel}, {@link #loadGenerator} or {@link #createClassifier} is
 * called, so that discovery stays cheap.
 *
 * <p>Besides GANs, a backend may compile image classifiers ({@link #createClassifier}), so that the
 * classifier measuring generated images runs on the same engine as the GAN.
 */
public interface GanBackend {

    /** Short unique name used for selection, e.g. {@code tensorflow}, {@code nd4j}. */
    String name();

    /** Human-readable versions of the backend and its native library. */
    String version();

    /** Preference when several backends are present and none is named; higher wins. */
    int priority();

    /** Features this backend provides. */
    Set<Capability> capabilities();

    /**
     * Compiles a model for training.
     *
     * @param spec                   the model
     * @param generatorOptimizer     Adam settings of the generator
     * @param discriminatorOptimizer Adam settings of the discriminator
     * @param state                  initial state: every parameter and statistic (see
     *                               {@link dev.acgan.api.spec.ParameterInitializer}), Adam entries optional
     * @throws dev.acgan.api.spec.SpecException when the spec is invalid
     */
    GanModel createModel(ModelSpec spec, AdamConfig generatorOptimizer, AdamConfig discriminatorOptimizer,
                         NamedTensors state);

    /**
     * Compiles a generator for serving.
     *
     * @param spec    the model
     * @param weights the generator's parameters and statistics ({@code generator/...}); other entries ignored
     */
    Generator loadGenerator(ModelSpec spec, NamedTensors weights);

    /**
     * Compiles an image classifier (backends that declare {@link Capability#CLASSIFIER}): training with
     * Adam and prediction, see {@link ClassifierModel}.
     *
     * @param spec      the classifier
     * @param optimizer Adam settings (the learning rate of each step is given with the step)
     * @param state     initial state: every parameter and statistic (see
     *                  {@link dev.acgan.api.spec.ParameterInitializer#initialize(InferredNetwork, long)}),
     *                  Adam entries optional
     * @throws dev.acgan.api.spec.SpecException when the spec is invalid
     * @throws UnsupportedOperationException    when the backend does not declare {@link Capability#CLASSIFIER}
     */
    default ClassifierModel createClassifier(ClassifierSpec spec, AdamConfig optimizer, NamedTensors state) {
        throw new UnsupportedOperationException("backend " + name() + " does not run classifiers (it does not "
                + "declare " + Capability.CLASSIFIER + ")");
    }

    /**
     * Optional: a probe of this backend's raw fp32 matrix-multiply speed, used by benchmarks to express
     * training throughput as a share of what the backend's native library reaches on the machine. Asking
     * for it loads no native code; using it does.
     *
     * @return the probe, or empty when the backend offers none (the default)
     */
    default Optional<ComputeProbe> computeProbe() {
        return Optional.empty();
    }
}
