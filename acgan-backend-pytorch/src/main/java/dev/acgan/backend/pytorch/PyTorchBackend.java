package dev.acgan.backend.pytorch;

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
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PyTorch backend: libtorch 2.5.1 (CPU, oneDNN) through JavaCPP's presets ({@code org.bytedeco:pytorch
 * 2.5.1-1.5.11}), computed eagerly with autograd, NHWC at the API and in checkpoints. Native code loads on the first
 * model, generator or classifier, not at discovery; the first load unpacks ~430 MB of libraries into JavaCPP's cache
 * ({@code ~/.javacpp/cache}, or {@code -Dorg.bytedeco.javacpp.cachedir}).
 *
 * <p>oneDNN: on (libtorch's default), so libtorch runs convolutions on oneDNN's primitives (fp32: AVX-512 or AVX2
 * kernels; bf16: AMX tiles or AVX512_BF16); the system property {@code acgan.pytorch.onednn=off} turns it off
 * process-wide, for libtorch's native convolutions (im2col and OpenBLAS) in fp32 and no bf16.
 *
 * <p>Transposed convolutions of stride &gt; 1: in bf16 as one stride-1 convolution per stride phase of the kernel
 * (oneDNN's brgemm kernels, AMX), interleaved; in fp32 libtorch's {@code conv_transpose2d}. The system property
 * {@code acgan.pytorch.transposedConv=auto|direct|phase|subpixel} (read when a model, generator or classifier is made)
 * picks the form.
 *
 * <p>Threads: libtorch's intra-op pool is process-wide; it is set once, when the natives load, to the system
 * property {@value #THREADS_PROPERTY} if given, else {@code OMP_NUM_THREADS}, else the available processors, so that results are
 * deterministic at that count and a host can keep two backends in one JVM from oversubscribing the cores. Inter-op
 * parallelism is not used (every op is run by the calling thread).
 *
 * <p>Precision: {@link Precision#FP32} everywhere, and {@link Precision#BF16} (mixed precision: the operands of every
 * convolution, transposed convolution and Dense product rounded to bfloat16, the product's result cast back to
 * float32; weights, gradients' accumulation into them, BatchNorm, losses and Adam stay float32) where the CPU has
 * AMX-BF16 or AVX512_BF16, which is also where {@link Precision#AUTO} picks it ({@link OneDnnIsa}; the system property
 * {@code acgan.pytorch.bf16=off} or the environment variable {@code ACGAN_PYTORCH_BF16=off} turns it off).
 */
public final class PyTorchBackend implements GanBackend {

    /** The backend's selection name. */
    public static final String NAME = "pytorch";

    /** The system property that sets libtorch's intra-op thread count (read once, when the natives load). */
    public static final String THREADS_PROPERTY = "acgan.pytorch.threads";

    private static final Logger LOG = LoggerFactory.getLogger(PyTorchBackend.class);
    private static final Object LOAD_LOCK = new Object();
    private static volatile boolean loaded;

    private final OneDnnIsa isa;

    /** The backend on this machine, in this process's environment; loads nothing. */
    public PyTorchBackend() {
        this(OneDnnIsa.current());
    }

    /** The backend as on a CPU with these flags and settings (tests of the bf16 decision). */
    PyTorchBackend(OneDnnIsa isa) {
        this.isa = isa;
    }

    /** Loads libtorch (once per process) and sets its intra-op thread count. */
    static void loadNatives() {
        if (loaded) {
            return;
        }
        synchronized (LOAD_LOCK) {
            if (!loaded) {
                int threads = threads();
                torch.set_num_threads(threads);
                // oneDNN (mkldnn) on unless acgan.pytorch.onednn=off: its convolutions, with transposed ones
                // computed unpadded and cropped by the NetworkCompiler, pass the whole TCK in fp32 and bf16.
                torch.globalContext().setUserEnabledMkldnn(OneDnn.on());
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
        return "PyTorch 2.5.1 (libtorch through org.bytedeco:pytorch 2.5.1-1.5.11, CPU, oneDNN "
                + (OneDnn.on() ? "on" : "off") + ")";
    }

    @Override
    public int priority() {
        return 30;
    }

    /** Declares {@link Capability#BF16} where the CPU has AMX-BF16 or AVX512_BF16 and bf16 is not switched off. */
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

    /** E.g. {@code bf16: convolutions and matrix products on bfloat16 operands, AMX-BF16 tiles (oneDNN ...)}. */
    @Override
    public String describeCompute(Precision precision) {
        Precision p = resolvePrecision(precision);
        if (p == Precision.BF16) {
            return "bf16: convolutions and matrix products on bfloat16 operands, "
                    + (isa.amx() ? "AMX-BF16 tiles" : "AVX512_BF16 dot products") + " (oneDNN " + isa.isa()
                    + "), float32 accumulation, weights, BatchNorm, losses and optimizer; " + threads()
                    + " intra-op threads";
        }
        return "fp32: convolutions "
                + (OneDnn.on()
                        ? "on oneDNN " + isa.fp32Isa()
                        : "on libtorch's native kernels (oneDNN off by " + OneDnn.PROPERTY + ")")
                + ", Dense products on OpenBLAS; " + threads() + " intra-op threads";
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
        return new PyTorchModel(spec, generatorOptimizer, discriminatorOptimizer, state, p == Precision.BF16);
    }

    @Override
    public Generator loadGenerator(ModelSpec spec, NamedTensors weights) {
        return loadGenerator(spec, weights, Precision.FP32);
    }

    @Override
    public Generator loadGenerator(ModelSpec spec, NamedTensors weights, Precision precision) {
        Precision p = resolvePrecision(precision);
        return PyTorchGenerator.standalone(spec, weights, p == Precision.BF16);
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
