package dev.acgan.backend.tensorflow;

import dev.acgan.api.model.Generator;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.spi.ResourceGuard;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A generator in inference mode: either a view on a {@link TensorFlowModel}'s session, or a standalone
 * graph holding only the generator's weights (for serving). Session runs are thread-safe, so one
 * instance serves concurrent callers.
 */
final class TensorFlowGenerator implements Generator {

    private final ModelSpec spec;
    private final Precision precision;
    private final Session session;
    private final TensorFlowModel.GeneratorPass pass;
    private final Function<Supplier<ImageBatch>, ImageBatch> guard;
    private final Runnable release;

    /**
     * @param guard   runs a generation under the owner's lock (and fails once it is closed)
     * @param release frees the native resources; {@code null} for a view, whose model owns them
     */
    TensorFlowGenerator(
            ModelSpec spec,
            Precision precision,
            Session session,
            TensorFlowModel.GeneratorPass pass,
            Function<Supplier<ImageBatch>, ImageBatch> guard,
            Runnable release) {
        this.spec = spec;
        this.precision = precision;
        this.session = session;
        this.pass = pass;
        this.guard = guard;
        this.release = release;
    }

    /**
     * A standalone generator owning its graph and session, computing in {@code precision} (fp32 or bf16).
     *
     * @param padOddChannels see {@link NetworkCompiler}
     */
    static TensorFlowGenerator standalone(
            ModelSpec spec, NamedTensors weights, Precision precision, boolean padOddChannels) {
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
        Graph graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
            values.forEach((name, t) -> vars.put(
                    name,
                    tf.withName(TensorFlowModel.safeName(name))
                            .variable(TensorFlowModel.shapeOf(t.shape()), TFloat32.class)));
            TensorFlowModel.StateIo io = new TensorFlowModel.StateIo(tf, vars);
            TensorFlowModel.GeneratorPass pass = TensorFlowModel.GeneratorPass.build(
                    tf.withSubScope("generate"),
                    spec,
                    inferred.generator(),
                    new NetworkCompiler(tf, inferred.generator(), vars, precision, padOddChannels),
                    false);
            Session session = new Session(graph, SessionConfig.current());
            io.write(session, new NamedTensors(values));
            ResourceGuard guard = new ResourceGuard("this TensorFlow generator of " + spec.name());
            return new TensorFlowGenerator(
                    spec,
                    precision,
                    session,
                    pass,
                    guard::shared,
                    () -> guard.close(() -> {
                        session.close();
                        graph.close();
                    }));
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public ImageBatch generate(Tensor noise, int[] labels) {
        return guard.apply(() -> pass.run(session, spec, noise, labels, null));
    }

    @Override
    public void close() {
        if (release != null) {
            release.run();
        }
    }
}
