package dev.acgan.backend.tensorflow;

import dev.acgan.api.model.ClassifierBatch;
import dev.acgan.api.model.ClassifierModel;
import dev.acgan.api.model.ClassifierOutput;
import dev.acgan.api.model.ModelInputs;
import dev.acgan.api.model.Precision;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spi.ResourceGuard;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * A classifier spec compiled into one TensorFlow graph: an inference pass (class probabilities and
 * features) and a training pass with the softmax cross-entropy of the logits (TensorFlow's
 * {@code LogSoftmax}), its gradients and Adam updates whose learning rate is fed with each step.
 */
final class TensorFlowClassifier implements ClassifierModel {

    private final ClassifierSpec spec;
    private final InferredNetwork network;
    private final AdamConfig optimizer;
    private final ResourceGuard guard;
    private final Graph graph;
    private final Session session;
    private final Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
    private final TensorFlowModel.StateIo state;
    private final Placeholder<TFloat32> images;
    private final Operand<TFloat32> probabilities;
    private final Operand<TFloat32> features;
    private final Placeholder<TFloat32> trainImages;
    private final Placeholder<TInt32> labels;
    private final Placeholder<TFloat32> learningRate;
    private final NetworkCompiler.Pass trainPass;
    private final Map<String, int[]> maskShapes;
    private final Operand<TFloat32> loss;
    private final TensorFlowModel.Optimization opt;
    private long iterations;

    TensorFlowClassifier(ClassifierSpec spec, AdamConfig optimizer, NamedTensors initial) {
        this.spec = spec;
        this.guard = new ResourceGuard("this TensorFlow classifier " + spec.name());
        this.network = spec.validate();
        this.optimizer = optimizer;
        NamedTensors full = StateNames.completeAndCheck(network, initial);
        this.graph = new Graph();
        boolean ok = false;
        try {
            Ops tf = Ops.create(graph);
            full.asMap().forEach((name, t) -> {
                if (!name.equals(StateNames.ITERATIONS_CLASSIFIER)) {
                    vars.put(
                            name,
                            tf.withName(TensorFlowModel.safeName(name))
                                    .variable(TensorFlowModel.shapeOf(t.shape()), TFloat32.class));
                }
            });
            state = new TensorFlowModel.StateIo(tf, vars);
            // Classifiers compute in fp32 only (the evaluation's reference numbers).
            NetworkCompiler compiler = new NetworkCompiler(tf, network, vars, Precision.FP32, false);
            String featureNode = spec.network().outputs().get(ClassifierSpec.OUT_FEATURES);

            Ops p = tf.withSubScope("predict");
            Shape anyImages = TensorFlowModel.imageShape(spec.image());
            images = p.withName("images").placeholder(TFloat32.class, Placeholder.shape(anyImages));
            NetworkCompiler.Pass inference =
                    compiler.build("classifier", Map.of(NetworkSpec.IMAGE, images), false, false);
            probabilities = inference.output(network, NetworkSpec.OUT_CLASS);
            features = inference.outputs.get(featureNode);

            Ops s = tf.withSubScope("train");
            trainImages = s.withName("images").placeholder(TFloat32.class, Placeholder.shape(anyImages));
            labels = s.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            learningRate = s.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            Map<String, Operand<? extends TType>> in = Map.of(NetworkSpec.IMAGE, trainImages);
            trainPass = compiler.build("classifier", in, true, true);
            maskShapes = TensorFlowModel.maskShapes(network);
            String logitsNode =
                    network.output(NetworkSpec.OUT_CLASS).node().inputs().get(0);
            Operand<TFloat32> logProbabilities = s.nn.logSoftmax(trainPass.outputs.get(logitsNode));
            Operand<TFloat32> oneHot = s.oneHot(labels, s.constant(spec.numClasses()), s.constant(1f), s.constant(0f));
            Operand<TFloat32> picked = s.sum(s.math.mul(logProbabilities, oneHot), s.constant(1));
            loss = s.math.neg(s.math.mean(picked, s.constant(0), Mean.keepDims(false)));
            opt = new TensorFlowModel.Optimization(
                    s.withSubScope("adam"), graph, loss, network.trainableParameters(), vars, optimizer, learningRate);
            session = new Session(graph, SessionConfig.current());
            ok = true;
        } finally {
            if (!ok) {
                graph.close();
            }
        }
        loadState(full);
    }

    @Override
    public ClassifierSpec spec() {
        return spec;
    }

    @Override
    public String backendName() {
        return TensorFlowBackend.NAME;
    }

    @Override
    public ClassifierOutput predict(ImageBatch batch) {
        ModelInputs.checkImages(spec, batch, "images");
        return guard.shared(() -> {
            int n = batch.count();
            try (Feed feed = new Feed(session)) {
                feed.floats(images, batch.pixels(), TensorFlowModel.imageDims(spec.image(), n));
                feed.fetch(probabilities).fetch(features);
                try (Result r = feed.run()) {
                    float[] f = Feed.floats(r.get(1));
                    return new ClassifierOutput(n, spec.numClasses(), f.length / n, Feed.floats(r.get(0)), f);
                }
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
        try (Feed feed = new Feed(session)) {
            feed.floats(trainImages, b.pixels(), TensorFlowModel.imageDims(spec.image(), n))
                    .ints(labels, b.labels());
            feed.masks(trainPass.masks, batch.dropoutMasks(), n, maskShapes);
            feed.fetch(loss);
            if (mode == Mode.GRADIENTS) {
                opt.gradients.forEach(g -> feed.fetch(TensorFlowModel.Optimization.asFloat(g)));
            }
            if (mode == Mode.UPDATE) {
                feed.scalar(learningRate, (float) lr);
                opt.feedPowers(feed, optimizer, iterations + 1);
                feed.targets(opt.updates).targets(trainPass.statisticUpdates);
            }
            try (Result r = feed.run()) {
                return new Step(Feed.scalar(r.get(0)), mode == Mode.GRADIENTS ? opt.read(r, 1, vars) : null);
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
            Map<String, Tensor> out = new LinkedHashMap<>(state.read(session).asMap());
            out.put(StateNames.ITERATIONS_CLASSIFIER, new Tensor(new int[0], new float[] {iterations}));
            return new NamedTensors(out);
        });
    }

    @Override
    public void loadState(NamedTensors newState) {
        NamedTensors full = StateNames.completeAndCheck(network, newState);
        guard.exclusive((Supplier<Void>) () -> {
            state.write(session, full);
            iterations = (long) full.get(StateNames.ITERATIONS_CLASSIFIER).data()[0];
            return null;
        });
    }

    @Override
    public void close() {
        guard.close(() -> {
            session.close();
            graph.close();
        });
    }
}
