package dev.acgan.backend.pytorch;

import dev.acgan.api.model.ClassifierBatch;
import dev.acgan.api.model.ClassifierModel;
import dev.acgan.api.model.ClassifierOutput;
import dev.acgan.api.model.ModelInputs;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.spi.ResourceGuard;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * An image classifier on libtorch: prediction in inference mode, and the mean softmax cross-entropy of the logits
 * (the input of the {@code class} Softmax node, through {@code log_softmax}) with one Adam step per batch. Always fp32.
 */
final class PyTorchClassifier implements ClassifierModel {

    private final ClassifierSpec spec;
    private final InferredNetwork network;
    private final AdamConfig optimizer;
    private final ResourceGuard guard;
    private final Parameters state;
    private final NetworkCompiler compiler;
    private final String logitsNode;
    private final String featureNode;
    private final String classNode;
    private long iterations;

    PyTorchClassifier(ClassifierSpec spec, AdamConfig optimizer, NamedTensors initial) {
        this.spec = spec;
        this.network = spec.validate();
        this.optimizer = optimizer;
        this.guard = new ResourceGuard("this PyTorch classifier " + spec.name());
        NamedTensors full = StateNames.completeAndCheck(network, initial);
        Set<String> trainable = new HashSet<>();
        network.trainableParameters().forEach(p -> trainable.add(p.name()));
        PyTorchBackend.loadNatives();
        this.state = new Parameters(full, trainable);
        this.compiler = new NetworkCompiler(network, state.asMap(), false);
        this.classNode = network.output(NetworkSpec.OUT_CLASS).name();
        this.logitsNode = network.output(NetworkSpec.OUT_CLASS).node().inputs().get(0);
        this.featureNode = spec.network().outputs().get(ClassifierSpec.OUT_FEATURES);
        this.iterations = (long) full.get(StateNames.ITERATIONS_CLASSIFIER).data()[0];
    }

    @Override
    public ClassifierSpec spec() {
        return spec;
    }

    @Override
    public String backendName() {
        return PyTorchBackend.NAME;
    }

    private long[] imageDims(int n) {
        return new long[] {
            n, spec.image().height(), spec.image().width(), spec.image().channels()
        };
    }

    @Override
    public ClassifierOutput predict(ImageBatch batch) {
        ModelInputs.checkImages(spec, batch, "images");
        return guard.shared(() -> {
            int n = batch.count();
            try (NoGradGuard noGrad = new NoGradGuard();
                    PointerScope scope = new PointerScope()) {
                Map<String, org.bytedeco.pytorch.Tensor> out = compiler.forward(
                        Map.of(NetworkSpec.IMAGE, Feed.floats(batch.pixels(), imageDims(n))), n, false, false, null);
                float[] f = Feed.read(out.get(featureNode));
                return new ClassifierOutput(n, spec.numClasses(), f.length / n, Feed.read(out.get(classNode)), f);
            }
        });
    }

    /** What a training-pass run computes. */
    private enum Mode {
        LOSS,
        GRADIENTS,
        UPDATE
    }

    /** The loss and, for GRADIENTS, the gradients of one training-pass run. */
    private record Step(double loss, NamedTensors gradients) {}

    private Step run(ClassifierBatch batch, Mode mode, double lr) {
        ImageBatch b = batch.images();
        ModelInputs.checkLabelledImages(spec, b);
        int n = b.count();
        NoGradGuard noGrad = mode == Mode.LOSS ? new NoGradGuard() : null;
        try (PointerScope scope = new PointerScope()) {
            Map<String, org.bytedeco.pytorch.Tensor> out = compiler.forward(
                    Map.of(NetworkSpec.IMAGE, Feed.floats(b.pixels(), imageDims(n))),
                    n,
                    true,
                    mode == Mode.UPDATE,
                    batch.dropoutMasks());
            org.bytedeco.pytorch.Tensor logProbabilities = torch.log_softmax(out.get(logitsNode), 1);
            org.bytedeco.pytorch.Tensor loss = logProbabilities
                    .gather(1, Feed.labels(b.labels()).unsqueeze(1))
                    .mean()
                    .neg();
            double value = Feed.scalarValue(loss);
            NamedTensors gradients = null;
            if (mode != Mode.LOSS) {
                List<ParameterSpec> params = network.trainableParameters();
                TensorVector grads = torch.grad(new TensorVector(loss), state.vector(params));
                if (mode == Mode.GRADIENTS) {
                    gradients = Parameters.gradients(params, grads);
                } else {
                    state.adam(params, grads, optimizer, lr, iterations + 1);
                }
            }
            return new Step(value, gradients);
        } finally {
            if (noGrad != null) {
                noGrad.close();
            }
        }
    }

    @Override
    public double loss(ClassifierBatch batch) {
        return guard.shared(() -> run(batch, Mode.LOSS, 0).loss());
    }

    @Override
    public NamedTensors gradients(ClassifierBatch batch) {
        return guard.shared(() -> run(batch, Mode.GRADIENTS, 0).gradients());
    }

    @Override
    public double train(ClassifierBatch batch, double lr) {
        AdamConfig checked = optimizer.withLearningRate(lr);
        return guard.exclusive(() -> {
            double l = run(batch, Mode.UPDATE, checked.learningRate()).loss();
            iterations++;
            return l;
        });
    }

    @Override
    public NamedTensors state() {
        return guard.shared(() -> {
            Map<String, Tensor> out = new LinkedHashMap<>(state.read());
            out.put(StateNames.ITERATIONS_CLASSIFIER, new Tensor(new int[0], new float[] {iterations}));
            return new NamedTensors(out);
        });
    }

    @Override
    public void loadState(NamedTensors newState) {
        NamedTensors full = StateNames.completeAndCheck(network, newState);
        guard.exclusive((Supplier<Void>) () -> {
            state.write(full);
            iterations = (long) full.get(StateNames.ITERATIONS_CLASSIFIER).data()[0];
            return null;
        });
    }

    @Override
    public void close() {
        guard.close(state::close);
    }
}
