package dev.acgan.backend.nd4j;

import dev.acgan.api.model.Generator;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.spi.ResourceGuard;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A generator in inference mode: either a view on an {@link Nd4jModel}'s inference graph, or a
 * standalone graph holding only the generator's weights (for serving). SameDiff gives every calling
 * thread its own session, so one instance serves concurrent callers; the weights are only read.
 */
final class Nd4jGenerator implements Generator {

    private final ModelSpec spec;
    private final Nd4jModel.GeneratorPass pass;
    private final Function<Supplier<ImageBatch>, ImageBatch> guard;
    private final Runnable release;
    private final Supplier<ArrayScope> scopes;

    /**
     * @param guard   runs a generation under the owner's lock (and fails once it is closed)
     * @param release frees the native resources; {@code null} for a view, whose model owns them
     * @param scopes  a fresh scope per call, protecting the owner's long-lived arrays
     */
    Nd4jGenerator(
            ModelSpec spec,
            Nd4jModel.GeneratorPass pass,
            Function<Supplier<ImageBatch>, ImageBatch> guard,
            Runnable release,
            Supplier<ArrayScope> scopes) {
        this.spec = spec;
        this.pass = pass;
        this.guard = guard;
        this.release = release;
        this.scopes = scopes;
    }

    /** A standalone generator owning its graph and weights. */
    static Nd4jGenerator standalone(ModelSpec spec, NamedTensors weights) {
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
        NativeRuntime.ensureStarted();
        GraphMemory memory = new GraphMemory();
        Map<String, INDArray> arrays = memory.arrays;
        SameDiff sd = memory.newGraph();
        Runnable free = memory::release;
        try {
            values.forEach((name, t) -> arrays.put(name, Layouts.toArray(t)));
            Map<String, SDVariable> vars =
                    Nd4jModel.bind(sd, arrays, inferred.generator().parameters(), p -> false);
            Nd4jModel.GeneratorPass pass = Nd4jModel.GeneratorPass.build(
                    sd,
                    "generate",
                    spec,
                    inferred.generator(),
                    new NetworkCompiler(sd, inferred.generator(), vars, memory.constants::add),
                    false);
            ResourceGuard guard = new ResourceGuard("this ND4J generator of " + spec.name());
            List<INDArray> owned = new ArrayList<>(arrays.values());
            return new Nd4jGenerator(
                    spec, pass, guard::shared, () -> guard.close(free), () -> new ArrayScope(owned, memory.pool));
        } catch (RuntimeException e) {
            free.run();
            throw e;
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public ImageBatch generate(Tensor noise, int[] labels) {
        HeapTrimmer.betweenCalls();
        return guard.apply(() -> pass.run(noise, labels, null, scopes.get()));
    }

    @Override
    public void close() {
        if (release != null) {
            release.run();
        }
    }
}
