package dev.acgan.tck.oracle;

import dev.acgan.api.model.ClassifierBatch;
import dev.acgan.api.model.ClassifierModel;
import dev.acgan.api.model.ClassifierOutput;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The reference {@link ClassifierModel}: parameters, statistics and Adam state in double precision,
 * computed with {@link GraphExecutor}. It defines what every backend's classifier must compute:
 * <ul>
 *   <li>loss: a training-mode forward pass (the batch's dropout masks, BatchNorm on batch statistics),
 *       then the mean over the batch of {@link Losses#softmaxCrossEntropy} of the logits, the input of
 *       the {@code class} Softmax node;</li>
 *   <li>training step: that loss's gradient, one Adam update ({@link Adam}) of every trainable parameter
 *       with the step's learning rate, then the BatchNorm moving statistics from the same pass;</li>
 *   <li>prediction: an inference-mode pass, the {@code class} and {@code features} outputs.</li>
 * </ul>
 * Besides the contract it exposes double-precision accessors ({@link #value}, {@link #setValue},
 * {@link #gradientsExact}) for the TCK.
 */
public final class ReferenceClassifier implements ClassifierModel {

    private final ClassifierSpec spec;
    private final InferredNetwork network;
    private final AdamConfig optimizer;
    private final GraphExecutor executor;
    private final String logitsNode;
    /** Parameters, statistics and Adam moments by state name; the key set never changes. */
    private final Map<String, double[]> values = new HashMap<>();

    private long iterations;
    private volatile boolean closed;

    /**
     * Compiles a classifier.
     *
     * @param spec      the classifier
     * @param optimizer Adam's betas and epsilon (the learning rate comes with each step)
     * @param state     every parameter and statistic, Adam entries optional
     * @throws dev.acgan.api.spec.SpecException for an invalid spec
     * @throws IllegalArgumentException         for a missing, unknown or misshapen state tensor
     */
    public ReferenceClassifier(ClassifierSpec spec, AdamConfig optimizer, NamedTensors state) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.network = spec.validate();
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.executor = new GraphExecutor(network);
        this.logitsNode = network.output(NetworkSpec.OUT_CLASS).node().inputs().get(0);
        for (Map.Entry<String, int[]> e : StateNames.fullStateShapes(network).entrySet()) {
            if (!e.getKey().equals(StateNames.ITERATIONS_CLASSIFIER)) {
                values.put(e.getKey(), new double[DoubleTensor.sizeOf(e.getValue())]);
            }
        }
        loadState(Objects.requireNonNull(state, "state"));
    }

    @Override
    public ClassifierSpec spec() {
        return spec;
    }

    /** The validated network with all shapes and parameters resolved. */
    public InferredNetwork network() {
        return network;
    }

    @Override
    public String backendName() {
        return ReferenceBackend.NAME;
    }

    @Override
    public ClassifierOutput predict(ImageBatch images) {
        checkOpen();
        DoubleTensor x = pixels(images, "images");
        GraphExecutor.ForwardPass pass = executor.forward(Map.of(NetworkSpec.IMAGE, x), null, values, false, null);
        DoubleTensor p = pass.output(NetworkSpec.OUT_CLASS);
        DoubleTensor f = pass.output(ClassifierSpec.OUT_FEATURES);
        return new ClassifierOutput(
                x.batch(),
                spec.numClasses(),
                f.exampleSize(),
                DoubleTensor.toFloats(p.data()),
                DoubleTensor.toFloats(f.data()));
    }

    @Override
    public double loss(ClassifierBatch batch) {
        checkOpen();
        return evaluate(batch).loss;
    }

    @Override
    public NamedTensors gradients(ClassifierBatch batch) {
        Map<String, double[]> exact = gradientsExact(batch);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ParameterSpec p : network.trainableParameters()) {
            out.put(p.name(), new Tensor(p.shape().clone(), DoubleTensor.toFloats(exact.get(p.name()))));
        }
        return new NamedTensors(out);
    }

    /** Gradients of the loss in double precision, by trainable parameter name. */
    public Map<String, double[]> gradientsExact(ClassifierBatch batch) {
        checkOpen();
        Evaluation e = evaluate(batch);
        return executor.backward(e.pass, e.logitGradients).parameters();
    }

    @Override
    public double train(ClassifierBatch batch, double learningRate) {
        checkOpen();
        AdamConfig step = optimizer.withLearningRate(learningRate);
        Evaluation e = evaluate(batch);
        Map<String, double[]> grads =
                executor.backward(e.pass, e.logitGradients).parameters();
        iterations++;
        for (Map.Entry<String, double[]> g : grads.entrySet()) {
            String name = g.getKey();
            Adam.update(
                    step,
                    iterations,
                    values.get(name),
                    g.getValue(),
                    values.get(StateNames.ADAM_M + name),
                    values.get(StateNames.ADAM_V + name));
        }
        executor.updateMovingStatistics(e.pass, values);
        return e.loss;
    }

    /** A training-mode pass, its loss and the loss gradient of the logits. */
    private record Evaluation(double loss, GraphExecutor.ForwardPass pass, Map<String, DoubleTensor> logitGradients) {}

    private Evaluation evaluate(ClassifierBatch batch) {
        Objects.requireNonNull(batch, "batch");
        DoubleTensor x = pixels(batch.images(), "images");
        int n = x.batch();
        int[] labels = batch.images().labels();
        InputChecks.labels(labels, n, spec.numClasses(), "classifier batch");
        GraphExecutor.ForwardPass pass =
                executor.forward(Map.of(NetworkSpec.IMAGE, x), null, values, true, batch.dropoutMasks());
        int k = spec.numClasses();
        double[] z = pass.value(logitsNode).data();
        double[] dz = new double[z.length];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            loss += Losses.softmaxCrossEntropy(z, i, k, labels[i]) / n;
            Losses.addSoftmaxCrossEntropyGradient(z, i, k, labels[i], 1.0 / n, dz);
        }
        return new Evaluation(loss, pass, Map.of(logitsNode, new DoubleTensor(new int[] {n, k}, dz)));
    }

    private DoubleTensor pixels(ImageBatch images, String what) {
        ImageShape s = spec.image();
        float[] px = InputChecks.nhwcPixels(s, images, what);
        if (images.count() < 1) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return DoubleTensor.batch(
                images.count(), new int[] {s.height(), s.width(), s.channels()}, DoubleTensor.toDoubles(px));
    }

    @Override
    public NamedTensors state() {
        checkOpen();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : StateNames.fullStateShapes(network).entrySet()) {
            String name = e.getKey();
            float[] v = name.equals(StateNames.ITERATIONS_CLASSIFIER)
                    ? new float[] {iterations}
                    : DoubleTensor.toFloats(values.get(name));
            out.put(name, new Tensor(e.getValue().clone(), v));
        }
        return new NamedTensors(out);
    }

    @Override
    public void loadState(NamedTensors state) {
        checkOpen();
        NamedTensors full = StateNames.completeAndCheck(network, state);
        long t = ReferenceModel.counter(full, StateNames.ITERATIONS_CLASSIFIER);
        values.forEach((name, target) -> {
            float[] src = full.get(name).data();
            for (int i = 0; i < src.length; i++) {
                target[i] = src[i];
            }
        });
        iterations = t;
    }

    /** The number of Adam updates made. */
    public long iterations() {
        checkOpen();
        return iterations;
    }

    /** A copy of one state value in double precision: a parameter, statistic or Adam moment. */
    public double[] value(String name) {
        checkOpen();
        return ReferenceModel.named(values, name).clone();
    }

    /** Replaces one state value (see {@link #value}) with double-precision values of the same length. */
    public void setValue(String name, double[] newValues) {
        checkOpen();
        ReferenceModel.replace(values, name, newValues);
    }

    private void checkOpen() {
        InputChecks.open(closed, "reference classifier " + spec.name());
    }

    /** Marks the classifier closed; later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        closed = true;
    }
}
