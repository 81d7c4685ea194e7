package dev.acgan.tck.oracle;

import dev.acgan.api.model.Generator;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The reference generator in inference mode (BatchNorm on moving statistics, no dropout), in double
 * precision. Either standalone ({@link #load}), owning a copy of the weights, or a view of a
 * {@link ReferenceModel} sharing its weights. Thread-safe: the weights are only read and every call
 * allocates its own scratch memory.
 */
public final class ReferenceGenerator implements Generator {

    private final ModelSpec spec;
    private final GraphExecutor executor;
    private final Map<String, double[]> params;
    private final BooleanSupplier ownerClosed;
    private final boolean standalone;
    private volatile boolean closed;

    ReferenceGenerator(
            ModelSpec spec,
            InferredModel inferred,
            Arithmetic arithmetic,
            Map<String, double[]> params,
            BooleanSupplier ownerClosed,
            boolean standalone) {
        this.spec = spec;
        this.executor = new GraphExecutor(inferred.generator(), arithmetic);
        this.params = params;
        this.ownerClosed = ownerClosed;
        this.standalone = standalone;
    }

    /**
     * A standalone generator from a spec and its generator weights.
     *
     * @param spec    the model
     * @param weights every generator parameter and statistic ({@code generator/...}); other entries are ignored
     * @throws IllegalArgumentException when a generator tensor is missing or misshapen
     */
    public static ReferenceGenerator load(ModelSpec spec, NamedTensors weights) {
        return load(spec, weights, Arithmetic.FLOAT64);
    }

    /**
     * A standalone generator from a spec and its generator weights, its products following {@code arithmetic}.
     *
     * @throws IllegalArgumentException when a generator tensor is missing or misshapen
     */
    public static ReferenceGenerator load(ModelSpec spec, NamedTensors weights, Arithmetic arithmetic) {
        InferredModel inferred = spec.validate();
        Map<String, double[]> params = new HashMap<>();
        for (ParameterSpec p : inferred.generator().parameters()) {
            if (!weights.contains(p.name())) {
                throw new IllegalArgumentException("generator weights lack '" + p.name() + "' of model " + spec.name());
            }
            Tensor t = weights.get(p.name());
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new IllegalArgumentException("generator tensor '" + p.name() + "' has shape "
                        + Arrays.toString(t.shape()) + ", the model expects " + Arrays.toString(p.shape()));
            }
            params.put(p.name(), DoubleTensor.toDoubles(t.data()));
        }
        return new ReferenceGenerator(spec, inferred, arithmetic, params, () -> false, true);
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public Precision precision() {
        return executor.arithmetic().bf16() ? Precision.BF16 : Precision.FP32;
    }

    @Override
    public ImageBatch generate(Tensor noise, int[] labels) {
        InputChecks.open(closed || ownerClosed.getAsBoolean(), "reference generator");
        DoubleTensor images = run(spec, executor, params, noise, labels, false, null);
        return toImages(spec, images, labels);
    }

    /** Runs the generator; shared with {@link ReferenceModel#generate}. */
    static DoubleTensor run(
            ModelSpec spec,
            GraphExecutor executor,
            Map<String, double[]> params,
            Tensor noise,
            int[] labels,
            boolean training,
            Map<String, float[]> masks) {
        DoubleTensor z = InputChecks.noise(spec, noise);
        int n = z.batch();
        int[] used = null;
        if (spec.kind().conditionalGenerator()) {
            InputChecks.labels(labels, n, spec.numClasses(), "generator");
            used = labels;
        }
        GraphExecutor.ForwardPass pass = executor.forward(Map.of(NetworkSpec.NOISE, z), used, params, training, masks);
        return pass.output(NetworkSpec.OUT_IMAGE);
    }

    /** Float32 NHWC images carrying the labels (conditional models) or none (GAN). */
    static ImageBatch toImages(ModelSpec spec, DoubleTensor images, int[] labels) {
        int[] carried = spec.kind().conditionalGenerator() ? labels.clone() : null;
        return ImageBatch.nhwc(
                images.batch(),
                spec.image().height(),
                spec.image().width(),
                spec.image().channels(),
                DoubleTensor.toFloats(images.data()),
                carried);
    }

    /** Closes a standalone generator (later calls fail); a view of a model ignores it. Idempotent. */
    @Override
    public void close() {
        if (standalone) {
            closed = true;
        }
    }
}
