package dev.acgan.api.spi;

import dev.acgan.api.model.ClassifierModel;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.Precision;
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
    GanModel createModel(
            ModelSpec spec, AdamConfig generatorOptimizer, AdamConfig discriminatorOptimizer, NamedTensors state);

    /**
     * Compiles a generator for serving.
     *
     * @param spec    the model
     * @param weights the generator's parameters and statistics ({@code generator/...}); other entries ignored
     */
    Generator loadGenerator(ModelSpec spec, NamedTensors weights);

    /**
     * Why this backend cannot compute in {@code precision} on this machine, or empty when it can.
     * {@link Precision#FP32} is always available and {@link Precision#AUTO} always resolves. The default
     * offers {@link Precision#BF16} exactly when {@link #capabilities()} declares {@link Capability#BF16};
     * a backend overrides this to say why not (the message of the error when bf16 is asked for anyway).
     */
    default Optional<String> precisionUnavailable(Precision precision) {
        if (precision == Precision.BF16 && !capabilities().contains(Capability.BF16)) {
            return Optional.of(name() + " computes in fp32 only");
        }
        return Optional.empty();
    }

    /**
     * The concrete precision a request means on this backend and machine: {@link Precision#AUTO} is
     * {@link Precision#BF16} where that is available and {@link Precision#FP32} elsewhere; the others are
     * themselves. Never a silent change: an unavailable {@code BF16} is an error.
     *
     * @param requested the precision asked for; {@code null} reads as {@link Precision#FP32}
     * @throws BackendException when {@code BF16} is asked for and unavailable, with the reason
     */
    default Precision resolvePrecision(Precision requested) {
        Precision p = requested == null ? Precision.FP32 : requested;
        if (p == Precision.AUTO) {
            return precisionUnavailable(Precision.BF16).isEmpty() ? Precision.BF16 : Precision.FP32;
        }
        Optional<String> why = precisionUnavailable(p);
        if (why.isPresent()) {
            throw new BackendException("precision " + p.label() + " is not available on backend " + name() + ": "
                    + why.get() + ". Use fp32, or auto (which picks fp32 there)");
        }
        return p;
    }

    /**
     * One line on how this backend computes in {@code precision} here (after {@link #resolvePrecision}), for
     * logs and benchmark reports, so that a speed is never quoted without its conditions: e.g. which
     * instruction set its native library uses. The default is the precision's label.
     *
     * @throws BackendException when the precision is not available here
     */
    default String describeCompute(Precision precision) {
        return resolvePrecision(precision).label();
    }

    /**
     * Compiles a model for training in a given precision ({@link #resolvePrecision resolved} first). The
     * default compiles {@link Precision#FP32} with {@link #createModel(ModelSpec, AdamConfig, AdamConfig,
     * NamedTensors)}; a backend that offers {@link Precision#BF16} overrides it.
     *
     * @throws BackendException when the precision is not available here
     */
    default GanModel createModel(
            ModelSpec spec,
            AdamConfig generatorOptimizer,
            AdamConfig discriminatorOptimizer,
            NamedTensors state,
            Precision precision) {
        requireFp32(resolvePrecision(precision));
        return createModel(spec, generatorOptimizer, discriminatorOptimizer, state);
    }

    /**
     * Compiles a generator for serving in a given precision ({@link #resolvePrecision resolved} first); the
     * default as {@link #createModel(ModelSpec, AdamConfig, AdamConfig, NamedTensors, Precision)}.
     *
     * @throws BackendException when the precision is not available here
     */
    default Generator loadGenerator(ModelSpec spec, NamedTensors weights, Precision precision) {
        requireFp32(resolvePrecision(precision));
        return loadGenerator(spec, weights);
    }

    private void requireFp32(Precision resolved) {
        if (resolved != Precision.FP32) {
            throw new BackendException("backend " + name() + " offers " + resolved.label()
                    + " but does not override the methods that compile in it");
        }
    }

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
