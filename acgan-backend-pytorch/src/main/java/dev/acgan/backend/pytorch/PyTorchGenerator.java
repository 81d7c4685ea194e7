package dev.acgan.backend.pytorch;

import dev.acgan.api.model.Generator;
import dev.acgan.api.model.ModelInputs;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.spi.ResourceGuard;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;

/**
 * The generator in inference mode: a view of a {@link PyTorchModel}'s weights, or standalone over its own copy
 * ({@link #standalone}). Thread-safe: each call runs without autograd in its own {@link PointerScope} (both are
 * per thread), under the owner's shared lock.
 */
final class PyTorchGenerator implements Generator {

    private final ModelSpec spec;
    private final NetworkCompiler compiler;
    private final Function<Supplier<ImageBatch>, ImageBatch> guard;
    private final Runnable release;

    /**
     * @param guard   runs a generation under the owner's shared lock
     * @param release frees the weights on {@link #close()}, or {@code null} for a view (closing it does nothing)
     */
    PyTorchGenerator(
            ModelSpec spec,
            NetworkCompiler compiler,
            Function<Supplier<ImageBatch>, ImageBatch> guard,
            Runnable release) {
        this.spec = spec;
        this.compiler = compiler;
        this.guard = guard;
        this.release = release;
    }

    /**
     * A generator over its own copy of the generator's parameters and statistics; other entries are ignored.
     *
     * @param bf16 compute the convolutions and matrix products on bfloat16 operands
     */
    static PyTorchGenerator standalone(ModelSpec spec, NamedTensors weights, boolean bf16) {
        InferredModel inferred = spec.validate();
        Map<String, Tensor> values = new LinkedHashMap<>();
        for (ParameterSpec p : inferred.generator().parameters()) {
            if (!weights.contains(p.name())) {
                throw new IllegalArgumentException("generator weights lack '" + p.name() + "'");
            }
            Tensor t = weights.get(p.name());
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new IllegalArgumentException("'" + p.name() + "' has shape " + Arrays.toString(t.shape())
                        + ", the spec expects " + Arrays.toString(p.shape()));
            }
            values.put(p.name(), t);
        }
        PyTorchBackend.loadNatives();
        Parameters parameters = new Parameters(new NamedTensors(values), Set.of());
        ResourceGuard guard = new ResourceGuard("this PyTorch generator of " + spec.name());
        return new PyTorchGenerator(
                spec,
                new NetworkCompiler(inferred.generator(), parameters.asMap(), bf16),
                guard::shared,
                () -> guard.close(parameters::close));
    }

    /** Generates with the compiler's network, in inference or training mode (masks for training mode). */
    static ImageBatch run(
            ModelSpec spec,
            NetworkCompiler compiler,
            Tensor noise,
            int[] labels,
            boolean training,
            Map<String, float[]> masks) {
        int n = ModelInputs.checkNoise(spec, noise);
        boolean conditional = spec.kind().conditionalGenerator();
        ModelInputs.checkLabels(spec, labels, n, conditional);
        try (NoGradGuard noGrad = new NoGradGuard();
                PointerScope scope = new PointerScope()) {
            Map<String, org.bytedeco.pytorch.Tensor> in = new LinkedHashMap<>();
            in.put(NetworkSpec.NOISE, Feed.floats(noise.data(), n, spec.latentDim()));
            if (conditional) {
                in.put(NetworkSpec.LABEL, Feed.labels(labels));
            }
            Map<String, org.bytedeco.pytorch.Tensor> out = compiler.forward(in, n, training, false, masks);
            String image = spec.generator().outputs().get(NetworkSpec.OUT_IMAGE);
            return ImageBatch.nhwc(
                    n,
                    spec.image().height(),
                    spec.image().width(),
                    spec.image().channels(),
                    Feed.read(out.get(image)),
                    conditional ? labels.clone() : null);
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public dev.acgan.api.model.Precision precision() {
        return compiler.precision();
    }

    @Override
    public ImageBatch generate(Tensor noise, int[] labels) {
        return guard.apply(() -> run(spec, compiler, noise, labels, false, null));
    }

    @Override
    public void close() {
        if (release != null) {
            release.run();
        }
    }
}
