package dev.acgan.backend.nd4j;

import dev.acgan.api.model.ClassifierModel;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spi.Capability;
import dev.acgan.api.spi.ComputeProbe;
import dev.acgan.api.spi.CpuFeatures;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.train.AdamConfig;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The ND4J backend (SameDiff of ND4J 1.0.0-M2.1, nd4j-native on the CPU by default). Graphs are built
 * in the canonical NHWC layout; transposed convolutions run as stride-1 convolutions with a phase
 * interleave; Adam and BatchNorm moving averages are applied in place with the API's exact formulas.
 * Native code loads on the first model or generator, not at discovery.
 *
 * <p>Precision: fp32 only. ND4J 1.0.0-M2.1's libnd4j bundles oneDNN 2.3, which has no AMX kernels for
 * it to use and no bf16 math mode; its bf16 convolutions fall back to a generic path 100 to 200 times
 * slower than fp32 (and failed in the backward pass when tried), so the backend declares no
 * {@link Capability#BF16} and refuses {@link Precision#BF16} with that reason rather than run fp32 in its
 * place.
 *
 * <p>ND4J logs through SLF4J ({@code org.nd4j} loggers); SameDiff's gradient-construction lines on
 * standard output are suppressed.
 */
public final class Nd4jBackend implements GanBackend {

    /** The backend's selection name. */
    public static final String NAME = "nd4j";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return "ND4J 1.0.0-M2.1 SameDiff (nd4j-native, CPU)";
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(
                Capability.CPU,
                Capability.DETERMINISTIC,
                Capability.GRADIENTS,
                Capability.CONCURRENT_GENERATION,
                Capability.CLASSIFIER);
    }

    /** Why not bf16: the oneDNN inside ND4J 1.0.0-M2.1. */
    @Override
    public Optional<String> precisionUnavailable(Precision precision) {
        if (precision == Precision.BF16) {
            return Optional.of("ND4J 1.0.0-M2.1 bundles oneDNN 2.3, which has no AMX kernels it can use and runs bf16 "
                    + "convolutions on a generic path 100-200x slower than fp32; this backend computes in fp32 only");
        }
        return Optional.empty();
    }

    /** E.g. {@code fp32 (oneDNN 2.3 in libnd4j, avx512_core kernels where the CPU has AVX-512)}. */
    @Override
    public String describeCompute(Precision precision) {
        resolvePrecision(precision);
        String cap = System.getenv("DNNL_MAX_CPU_ISA");
        CpuFeatures cpu = CpuFeatures.current();
        String isa = cap != null && !cap.isBlank()
                ? "capped by DNNL_MAX_CPU_ISA=" + cap.strip()
                : cpu.has("avx512f") ? "avx512_core" : cpu.has("avx2") ? "avx2" : "sse41/avx";
        return "fp32 (oneDNN 2.3 in libnd4j, " + isa + " kernels)";
    }

    @Override
    public GanModel createModel(
            ModelSpec spec, AdamConfig generatorOptimizer, AdamConfig discriminatorOptimizer, NamedTensors state) {
        return new Nd4jModel(spec, generatorOptimizer, discriminatorOptimizer, state);
    }

    @Override
    public ClassifierModel createClassifier(ClassifierSpec spec, AdamConfig optimizer, NamedTensors state) {
        return new Nd4jClassifier(spec, optimizer, state);
    }

    @Override
    public Generator loadGenerator(ModelSpec spec, NamedTensors weights) {
        return Nd4jGenerator.standalone(spec, weights);
    }

    /** ND4J's {@code Mmul} (BLAS sgemm) on preallocated arrays. */
    @Override
    public Optional<ComputeProbe> computeProbe() {
        return Optional.of(new Nd4jProbe());
    }

    @Override
    public String toString() {
        return NAME;
    }
}
