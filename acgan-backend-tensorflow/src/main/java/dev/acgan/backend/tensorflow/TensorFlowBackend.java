package dev.acgan.backend.tensorflow;

import dev.acgan.api.model.ClassifierModel;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spi.Capability;
import dev.acgan.api.spi.ComputeProbe;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.train.AdamConfig;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TensorFlow Java backend (TensorFlow 2.18 through tensorflow-core-api 1.1.0). Graph mode, NHWC,
 * CPU by default. Native code loads on the first model or generator, not at discovery.
 *
 * <p>TensorFlow's own C++ logging reads {@code TF_CPP_MIN_LOG_LEVEL} from the environment when the
 * library loads; the {@code acgan} launcher sets it to 2 (set it in your environment to silence the
 * startup lines in your own application, or to 0 to see them).
 *
 * <p>Precision: {@link Precision#FP32} everywhere, and {@link Precision#BF16} (mixed precision, see
 * {@link NetworkCompiler}) where the CPU has AMX-BF16 or AVX512_BF16 and oneDNN may use them, which is
 * also where {@link Precision#AUTO} picks it.
 *
 * <p>Speed: TensorFlow 2.18 turns its oneDNN kernels on by default only on CPUs with AVX-512 VNNI,
 * BF16 or AMX; on others (AVX2 machines) the environment variable {@code TF_ENABLE_ONEDNN_OPTS=1} must
 * be set before the JVM starts, and roughly halves step and generation times. The launcher, the
 * build's tests and the benchmarks set it; a host application should too. The backend logs a hint
 * once when it is not set, and {@link #version()} says which applies.
 */
public final class TensorFlowBackend implements GanBackend {

    /** The backend's selection name. */
    public static final String NAME = "tensorflow";

    private static final String ONEDNN_OPTS = "TF_ENABLE_ONEDNN_OPTS";
    private static final Logger LOG = LoggerFactory.getLogger(TensorFlowBackend.class);
    private static final AtomicBoolean HINTED = new AtomicBoolean();

    private final OneDnnIsa isa;

    /** The backend on this machine, in this process's environment. */
    public TensorFlowBackend() {
        this(OneDnnIsa.current());
    }

    /** The backend as on a CPU with these flags and this environment (tests of the bf16 decision). */
    TensorFlowBackend(OneDnnIsa isa) {
        this.isa = isa;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return "TensorFlow " + org.tensorflow.TensorFlow.version() + " (tensorflow-core-api 1.1.0, CPU, oneDNN "
                + oneDnnOpts() + ")";
    }

    /** {@code on}, {@code off}, or {@code default} (TensorFlow decides by CPU) from TF_ENABLE_ONEDNN_OPTS. */
    static String oneDnnOpts() {
        return oneDnnOpts(System.getenv(ONEDNN_OPTS));
    }

    /** {@link #oneDnnOpts()} of a value of TF_ENABLE_ONEDNN_OPTS ({@code null}: unset). */
    static String oneDnnOpts(String v) {
        if (v == null || v.isBlank()) {
            return "default";
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true" -> "on";
            case "0", "false" -> "off";
            default -> "default";
        };
    }

    private static void hintOnce() {
        if (!HINTED.getAndSet(true) && oneDnnOpts().equals("default")) {
            LOG.info(
                    "{} is not set: TensorFlow leaves its oneDNN kernels off on CPUs without AVX-512 VNNI/BF16/AMX, "
                            + "about half the speed; set {}=1 in the environment before the JVM starts",
                    ONEDNN_OPTS,
                    ONEDNN_OPTS);
        }
    }

    @Override
    public int priority() {
        return 100;
    }

    /** Declares {@link Capability#BF16} where the CPU has AMX-BF16 or AVX512_BF16 and oneDNN may use them. */
    @Override
    public Set<Capability> capabilities() {
        Set<Capability> c = EnumSet.of(
                Capability.CPU,
                Capability.DETERMINISTIC,
                Capability.GRADIENTS,
                Capability.CONCURRENT_GENERATION,
                Capability.CLASSIFIER);
        if (isa.bf16Unavailable().isEmpty()) {
            c.add(Capability.BF16);
        }
        return c;
    }

    @Override
    public Optional<String> precisionUnavailable(Precision precision) {
        return precision == Precision.BF16 ? isa.bf16Unavailable() : Optional.empty();
    }

    /** E.g. {@code bf16: convolutions and matrix products on AMX-BF16 tiles (oneDNN avx10_1_512_amx) ...}. */
    @Override
    public String describeCompute(Precision precision) {
        Precision p = resolvePrecision(precision);
        if (p == Precision.BF16) {
            return "bf16: convolutions and matrix products on bfloat16 operands, "
                    + (isa.amx() ? "AMX-BF16 tiles" : "AVX512_BF16 dot products") + " (oneDNN " + isa.isa(true)
                    + "), float32 accumulation, weights and optimizer"
                    + (isa.bf16PadsOddChannels()
                            ? "; odd channel counts of convolutions padded with zeros (oneDNN 3.5's bf16 filter "
                                    + "reorder for these kernels mishandles them)"
                            : "");
        }
        return "fp32"
                + (isa.oneDnnOff() ? " (oneDNN off: TensorFlow's Eigen kernels)" : " (oneDNN " + isa.isa(false) + ")");
    }

    @Override
    public GanModel createModel(
            ModelSpec spec, AdamConfig generatorOptimizer, AdamConfig discriminatorOptimizer, NamedTensors state) {
        return createModel(spec, generatorOptimizer, discriminatorOptimizer, state, Precision.FP32);
    }

    @Override
    public GanModel createModel(
            ModelSpec spec,
            AdamConfig generatorOptimizer,
            AdamConfig discriminatorOptimizer,
            NamedTensors state,
            Precision precision) {
        Precision p = resolvePrecision(precision);
        hintOnce();
        return new TensorFlowModel(
                spec, generatorOptimizer, discriminatorOptimizer, state, p, isa.bf16PadsOddChannels());
    }

    @Override
    public ClassifierModel createClassifier(ClassifierSpec spec, AdamConfig optimizer, NamedTensors state) {
        hintOnce();
        return new TensorFlowClassifier(spec, optimizer, state);
    }

    @Override
    public Generator loadGenerator(ModelSpec spec, NamedTensors weights) {
        return loadGenerator(spec, weights, Precision.FP32);
    }

    @Override
    public Generator loadGenerator(ModelSpec spec, NamedTensors weights, Precision precision) {
        Precision p = resolvePrecision(precision);
        hintOnce();
        return TensorFlowGenerator.standalone(spec, weights, p, isa.bf16PadsOddChannels());
    }

    /** A {@code MatMul} in a TensorFlow session with the models' default configuration. */
    @Override
    public Optional<ComputeProbe> computeProbe() {
        return Optional.of(new TensorFlowProbe());
    }

    @Override
    public String toString() {
        return NAME;
    }
}
