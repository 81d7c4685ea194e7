package dev.acgan.backend.pytorch;

import dev.acgan.api.model.ClassifierModel;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
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
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PyTorch backend: libtorch 2.5.1 (CPU, oneDNN) through JavaCPP's presets ({@code org.bytedeco:pytorch
 * 2.5.1-1.5.11}), computed eagerly with autograd, NHWC at the API and in checkpoints. Native code loads on the first
 * model, generator or classifier, not at discovery; the first load unpacks ~430 MB of libraries into JavaCPP's cache
 * ({@code ~/.javacpp/cache}, or {@code -Dorg.bytedeco.javacpp.cachedir}).
 *
 * <p>Threads: libtorch's intra-op pool is process-wide; it is set once, when the natives load, to the system
 * property {@value #THREADS_PROPERTY} if given, else {@code OMP_NUM_THREADS}, else the available processors, so that results are
 * deterministic at that count and a host can keep two backends in one JVM from oversubscribing the cores. Inter-op
 * parallelism is not used (every op is run by the calling thread).
 *
 * <p>Precision: fp32 only for now (bf16 would follow the TensorFlow backend's casts; see the TCK guide).
 */
public final class PyTorchBackend implements GanBackend {

    /** The backend's selection name. */
    public static final String NAME = "pytorch";

    /** The system property that sets libtorch's intra-op thread count (read once, when the natives load). */
    public static final String THREADS_PROPERTY = "acgan.pytorch.threads";

    private static final Logger LOG = LoggerFactory.getLogger(PyTorchBackend.class);
    private static final Object LOAD_LOCK = new Object();
    private static volatile boolean loaded;

    /** The backend; loads nothing. */
    public PyTorchBackend() {}

    /** Loads libtorch (once per process) and sets its intra-op thread count. */
    static void loadNatives() {
        if (loaded) {
            return;
        }
        synchronized (LOAD_LOCK) {
            if (!loaded) {
                int threads = threads();
                torch.set_num_threads(threads);
                // libtorch 2.5.1's oneDNN (mkldnn) convolutions compute wrong backward-data and transposed
                // convolutions for some channel counts (1 channel; 3 with a 5x5 kernel), and not even consistently,
                // found by the TCK; its native convolutions (im2col and BLAS) are exact and deterministic.
                torch.globalContext().setUserEnabledMkldnn(false);
                LOG.debug("libtorch loaded, {} intra-op threads", threads);
                loaded = true;
            }
        }
    }

    /**
     * The intra-op thread count: the system property {@value #THREADS_PROPERTY}, else the environment variable
     * {@code OMP_NUM_THREADS} (which libtorch itself would read), else the available processors.
     */
    static int threads() {
        return threads(
                System.getProperty(THREADS_PROPERTY),
                System.getenv("OMP_NUM_THREADS"),
                Runtime.getRuntime().availableProcessors());
    }

    /** {@link #threads()} of these settings ({@code null}: unset). */
    static int threads(String property, String ompNumThreads, int processors) {
        if (property != null && !property.isBlank()) {
            int n = positive(property);
            if (n < 1) {
                throw new IllegalArgumentException(
                        "system property " + THREADS_PROPERTY + " must be a positive integer, got '" + property + "'");
            }
            return n;
        }
        if (ompNumThreads != null && positive(ompNumThreads) >= 1) {
            return positive(ompNumThreads);
        }
        return processors;
    }

    /** The value as a positive integer, or 0 when it is not one. */
    private static int positive(String v) {
        try {
            return Math.max(Integer.parseInt(v.trim()), 0);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return "PyTorch 2.5.1 (libtorch through org.bytedeco:pytorch 2.5.1-1.5.11, CPU, oneDNN off)";
    }

    @Override
    public int priority() {
        return 30;
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

    @Override
    public Optional<String> precisionUnavailable(dev.acgan.api.model.Precision precision) {
        if (precision == dev.acgan.api.model.Precision.BF16) {
            return Optional.of("the PyTorch backend computes in fp32 only (bf16 is not implemented yet)");
        }
        return Optional.empty();
    }

    @Override
    public String describeCompute(dev.acgan.api.model.Precision precision) {
        resolvePrecision(precision);
        return "fp32 (libtorch 2.5.1 native convolutions, im2col and OpenBLAS; oneDNN off; " + threads()
                + " intra-op threads)";
    }

    @Override
    public GanModel createModel(
            ModelSpec spec, AdamConfig generatorOptimizer, AdamConfig discriminatorOptimizer, NamedTensors state) {
        return new PyTorchModel(spec, generatorOptimizer, discriminatorOptimizer, state);
    }

    @Override
    public Generator loadGenerator(ModelSpec spec, NamedTensors weights) {
        return PyTorchGenerator.standalone(spec, weights);
    }

    @Override
    public ClassifierModel createClassifier(ClassifierSpec spec, AdamConfig optimizer, NamedTensors state) {
        return new PyTorchClassifier(spec, optimizer, state);
    }

    /** A {@code torch::mm} of two float32 matrices on the models' thread pool. */
    @Override
    public Optional<ComputeProbe> computeProbe() {
        return Optional.of(new PyTorchProbe());
    }

    @Override
    public String toString() {
        return NAME;
    }
}
