package dev.acgan.tck.oracle;

import dev.acgan.api.model.ClassifierModel;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spi.Capability;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.train.AdamConfig;
import java.util.EnumSet;
import java.util.Set;

/**
 * The TCK's oracle as a backend: plain Java, double precision, no native code. In
 * {@link Precision#BF16} it computes the roundings of a bf16 backend exactly ({@link Arithmetic#BF16}), on
 * any CPU. It is deliberately not
 * listed in {@code META-INF/services} (it is far too slow to be chosen by accident); tests construct it
 * directly. Its lowest-possible priority keeps it last should someone register it.
 */
public final class ReferenceBackend implements GanBackend {

    /** The backend name. */
    public static final String NAME = "reference";

    /** Creates the backend (no work is done until a model is compiled). */
    public ReferenceBackend() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return "acgan reference oracle (plain Java, float64; Java " + Runtime.version() + ")";
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(
                Capability.CPU,
                Capability.DETERMINISTIC,
                Capability.GRADIENTS,
                Capability.CONCURRENT_GENERATION,
                Capability.CLASSIFIER,
                Capability.BF16);
    }

    @Override
    public GanModel createModel(
            ModelSpec spec, AdamConfig generatorOptimizer, AdamConfig discriminatorOptimizer, NamedTensors state) {
        return new ReferenceModel(spec, generatorOptimizer, discriminatorOptimizer, state);
    }

    @Override
    public ClassifierModel createClassifier(ClassifierSpec spec, AdamConfig optimizer, NamedTensors state) {
        return new ReferenceClassifier(spec, optimizer, state);
    }

    @Override
    public Generator loadGenerator(ModelSpec spec, NamedTensors weights) {
        return ReferenceGenerator.load(spec, weights);
    }

    @Override
    public GanModel createModel(
            ModelSpec spec,
            AdamConfig generatorOptimizer,
            AdamConfig discriminatorOptimizer,
            NamedTensors state,
            Precision precision) {
        return new ReferenceModel(
                spec,
                generatorOptimizer,
                discriminatorOptimizer,
                state,
                Arithmetic.referenceOf(resolvePrecision(precision)));
    }

    @Override
    public Generator loadGenerator(ModelSpec spec, NamedTensors weights, Precision precision) {
        return ReferenceGenerator.load(spec, weights, Arithmetic.referenceOf(resolvePrecision(precision)));
    }
}
