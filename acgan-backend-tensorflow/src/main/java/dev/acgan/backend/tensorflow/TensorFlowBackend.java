package dev.acgan.backend.tensorflow;

import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spi.Capability;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.train.AdamConfig;
import java.util.EnumSet;
import java.util.Set;

/**
 * The TensorFlow Java backend (TensorFlow 2.18 through tensorflow-core-api 1.1.0). Graph mode, NHWC,
 * CPU by default. Native code loads on the first model or generator, not at discovery.
 *
 * <p>TensorFlow's own C++ logging reads {@code TF_CPP_MIN_LOG_LEVEL} from the environment when the
 * library loads; the {@code acgan} launcher sets it to 2 (set it in your environment to silence the
 * startup lines in your own application, or to 0 to see them).
 */
public final class TensorFlowBackend implements GanBackend {

    /** The backend's selection name. */
    public static final String NAME = "tensorflow";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return "TensorFlow " + org.tensorflow.TensorFlow.version() + " (tensorflow-core-api 1.1.0, CPU)";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.CPU, Capability.DETERMINISTIC, Capability.GRADIENTS,
                Capability.CONCURRENT_GENERATION);
    }

    @Override
    public GanModel createModel(ModelSpec spec, AdamConfig generatorOptimizer, AdamConfig discriminatorOptimizer,
                                NamedTensors state) {
        return new TensorFlowModel(spec, generatorOptimizer, discriminatorOptimizer, state);
    }

    @Override
    public Generator loadGenerator(ModelSpec spec, NamedTensors weights) {
        return TensorFlowGenerator.standalone(spec, weights);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
