package dev.acgan.backend.nd4j;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A classifier spec compiled into two SameDiff graphs over one set of shared parameter arrays: an
 * inference graph (class probabilities and features) and a training graph (the softmax cross-entropy of
 * the logits through SameDiff's log-softmax, and its gradients). Adam (with the step's learning rate) and
 * the BatchNorm moving averages are applied in place here, with the formulas {@link Nd4jModel} uses.
 * Memory as in {@link Nd4jModel}: per-call arrays go back to the pool or are freed when the call ends.
 */
final class Nd4jClassifier implements ClassifierModel {

    private final ClassifierSpec spec;
    private final InferredNetwork network;
    private final AdamConfig optimizer;
    private final ResourceGuard guard;
    /** Every state tensor but the update counter: parameters, statistics, Adam moments. */
    private final GraphMemory memory = new GraphMemory();

    private final Map<String, INDArray> arrays = memory.arrays;

    private final List<INDArray> constants = memory.constants;
    private final BufferPool pool = memory.pool;
    private final SameDiff inference;
    private final SDVariable images;
    private final SDVariable probabilities;
    private final SDVariable features;
    private final SameDiff training;
    private final SDVariable trainImages;
    private final SDVariable labels;
    private final NetworkCompiler.Pass trainPass;
    private final SDVariable loss;
    private final Nd4jModel.Optimization opt;
    private long iterations;

    Nd4jClassifier(ClassifierSpec spec, AdamConfig optimizer, NamedTensors initial) {
        this.spec = spec;
        this.guard = new ResourceGuard("this ND4J classifier " + spec.name());
        this.network = spec.validate();
        this.optimizer = optimizer;
        NamedTensors full = StateNames.completeAndCheck(network, initial);
        NativeRuntime.ensureStarted();
        boolean ok = false;
        try {
            full.asMap().forEach((name, t) -> {
                if (!name.equals(StateNames.ITERATIONS_CLASSIFIER)) {
                    arrays.put(name, Layouts.toArray(t));
                }
            });
            long[] imageShape = Layouts.imageShape(spec.image(), -1);
            String featureNode = spec.network().outputs().get(ClassifierSpec.OUT_FEATURES);

            inference = graph();
            Map<String, SDVariable> infVars = Nd4jModel.bind(inference, arrays, network.parameters(), p -> false);
            images = inference.placeHolder("predict.images", DataType.FLOAT, imageShape);
            NetworkCompiler.Pass pass = new NetworkCompiler(inference, network, infVars, constants::add)
                    .build("predict", Map.of(NetworkSpec.IMAGE, images), false);
            probabilities = pass.output(network, NetworkSpec.OUT_CLASS);
            features = pass.outputs.get(featureNode);

            training = graph();
            Map<String, SDVariable> vars =
                    Nd4jModel.bind(training, arrays, network.parameters(), ParameterSpec::trainable);
            trainImages = training.placeHolder("train.images", DataType.FLOAT, imageShape);
            labels = training.placeHolder("train.labels", DataType.FLOAT, -1, spec.numClasses());
            trainPass = new NetworkCompiler(training, network, vars, constants::add)
                    .build("train", Map.of(NetworkSpec.IMAGE, trainImages), true);
            String logitsNode =
                    network.output(NetworkSpec.OUT_CLASS).node().inputs().get(0);
            SDVariable logProbabilities = training.nn.logSoftmax(trainPass.outputs.get(logitsNode));
            loss = logProbabilities.mul(labels).sum(1).mean().neg();
            training.setLossVariables(loss);
            opt = new Nd4jModel.Optimization(network.trainableParameters(), vars, arrays, optimizer);
            NativeRuntime.createGradFunction(training);
            ok = true;
        } finally {
            if (!ok) {
                release();
            }
        }
        loadState(full);
    }

    /** The SameDiff instances, for diagnostics (listeners) in tests. */
    List<SameDiff> graphs() {
        return memory.graphs();
    }

    private SameDiff graph() {
        return memory.newGraph();
    }

    private ArrayScope scope() {
        return new ArrayScope(arrays.values(), pool);
    }

    @Override
    public ClassifierSpec spec() {
        return spec;
    }

    @Override
    public String backendName() {
        return Nd4jBackend.NAME;
    }

    @Override
    public ClassifierOutput predict(ImageBatch batch) {
        ModelInputs.checkImages(spec, batch, "images");
        HeapTrimmer.betweenCalls();
        return guard.shared(() -> {
            try (ArrayScope scope = scope()) {
                int n = batch.count();
                Feed feed = new Feed(scope).floats(images, batch.pixels(), Layouts.imageShape(spec.image(), n));
                Map<String, INDArray> out = Sessions.outputOnce(
                        inference, feed.values(), List.of(probabilities.name(), features.name()), scope);
                float[] f = Layouts.floats(out.get(features.name()));
                return new ClassifierOutput(
                        n, spec.numClasses(), f.length / n, Layouts.floats(out.get(probabilities.name())), f);
            }
        });
    }

    /** What a training-graph run computes. */
    private enum Mode {
        LOSS,
        GRADIENTS,
        UPDATE
    }

    /** The loss and, for GRADIENTS, the gradients of one training-graph run. */
    private record Step(double loss, NamedTensors gradients) {}

    private Step run(ClassifierBatch batch, Mode mode, double lr) {
        ImageBatch b = batch.images();
        ModelInputs.checkLabelledImages(spec, b);
        int n = b.count();
        try (ArrayScope scope = scope()) {
            Feed feed = new Feed(scope);
            feed.floats(trainImages, b.pixels(), Layouts.imageShape(spec.image(), n));
            feed.floats(labels, Layouts.oneHot(b.labels(), spec.numClasses()), n, spec.numClasses());
            feed.masks(trainPass, batch.dropoutMasks(), n);
            List<String> outputs = new ArrayList<>(List.of(loss.name()));
            if (mode == Mode.UPDATE) {
                outputs.addAll(Nd4jModel.statisticNames(trainPass.statistics));
            }
            if (mode == Mode.LOSS) {
                return new Step(
                        Layouts.scalar(Sessions.output(training, feed.values(), outputs, scope)
                                .get(loss.name())),
                        null);
            }
            OutAndGrad og = Sessions.outputAndGradients(training, feed.values(), outputs, opt.variables, scope);
            double value = Layouts.scalar(og.getOutputs().get(loss.name()));
            if (mode == Mode.GRADIENTS) {
                return new Step(value, opt.read(og.getGradients(), scope));
            }
            opt.apply(og.getGradients(), iterations + 1, lr, scope);
            Nd4jModel.updateMovingStatistics(
                    ClassifierSpec.ROLE, trainPass.statistics, og.getOutputs(), n, arrays, scope);
            return new Step(value, null);
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
    public double train(ClassifierBatch batch, double learningRate) {
        double lr = optimizer.withLearningRate(learningRate).learningRate();
        HeapTrimmer.betweenCalls();
        return guard.exclusive(() -> {
            double l = run(batch, Mode.UPDATE, lr).loss();
            iterations++;
            return l;
        });
    }

    @Override
    public NamedTensors state() {
        return guard.shared(() -> {
            Map<String, Tensor> out = new LinkedHashMap<>();
            arrays.forEach((name, a) -> out.put(name, Layouts.toTensor(a, Nd4jModel.toInt(a.shape()))));
            out.put(StateNames.ITERATIONS_CLASSIFIER, new Tensor(new int[0], new float[] {iterations}));
            return new NamedTensors(out);
        });
    }

    @Override
    public void loadState(NamedTensors newState) {
        NamedTensors full = StateNames.completeAndCheck(network, newState);
        guard.exclusive(() -> {
            try (ArrayScope scope = scope()) {
                arrays.forEach((name, a) -> a.assign(scope.track(Layouts.toArray(full.get(name)))));
            }
            iterations = (long) full.get(StateNames.ITERATIONS_CLASSIFIER).data()[0];
            return null;
        });
    }

    @Override
    public void close() {
        guard.close(this::release);
    }

    private void release() {
        if (opt != null) {
            opt.close();
        }
        memory.release();
    }
}
