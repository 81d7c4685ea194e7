package dev.acgan.tck.oracle;

import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.InferredNetwork.InferredNode;
import dev.acgan.api.spec.LayerSpec;
import dev.acgan.api.spec.LayerSpec.BatchNorm;
import dev.acgan.api.spec.LayerSpec.Concat;
import dev.acgan.api.spec.LayerSpec.Conv2D;
import dev.acgan.api.spec.LayerSpec.Conv2DTranspose;
import dev.acgan.api.spec.LayerSpec.Dense;
import dev.acgan.api.spec.LayerSpec.Dropout;
import dev.acgan.api.spec.LayerSpec.Embedding;
import dev.acgan.api.spec.LayerSpec.Flatten;
import dev.acgan.api.spec.LayerSpec.LeakyRelu;
import dev.acgan.api.spec.LayerSpec.MaxPool2D;
import dev.acgan.api.spec.LayerSpec.Multiply;
import dev.acgan.api.spec.LayerSpec.OneHot;
import dev.acgan.api.spec.LayerSpec.Relu;
import dev.acgan.api.spec.LayerSpec.RepeatSpatial;
import dev.acgan.api.spec.LayerSpec.Reshape;
import dev.acgan.api.spec.LayerSpec.Sigmoid;
import dev.acgan.api.spec.LayerSpec.Softmax;
import dev.acgan.api.spec.LayerSpec.Tanh;
import dev.acgan.api.spec.LayerSpec.UpSampling2D;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.ParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs an {@link InferredNetwork} forward and backward in double precision. Nodes are evaluated in the
 * spec's (topological) order; every activation is kept in the returned {@link ForwardPass} for the
 * backward pass. A node or input consumed by several nodes receives the sum of their gradients.
 *
 * <p>Float network inputs ({@code "noise"}, {@code "image"}, or any name the network was inferred
 * with) are passed by name with a leading batch dimension; the integer input {@code "label"} is passed
 * as an {@code int[]}, one label per example. Parameters are looked up by their full canonical names
 * ({@code <role>/<node>/kernel} ...) in a map of double arrays in canonical layout.
 *
 * <p>Convolutions, transposed convolutions and Dense products follow the executor's {@link Arithmetic}
 * (float64, or the roundings of a bf16 backend); everything else is float64.
 *
 * <p>Instances are immutable and may be shared by threads; all scratch memory is allocated per call.
 */
public final class GraphExecutor {

    private final InferredNetwork network;
    private final Arithmetic arithmetic;

    /** A float64 executor for the network. */
    public GraphExecutor(InferredNetwork network) {
        this(network, Arithmetic.FLOAT64);
    }

    /** An executor for the network whose products follow {@code arithmetic}. */
    public GraphExecutor(InferredNetwork network, Arithmetic arithmetic) {
        this.network = Objects.requireNonNull(network, "network");
        this.arithmetic = Objects.requireNonNull(arithmetic, "arithmetic");
    }

    /** The arithmetic of the products. */
    public Arithmetic arithmetic() {
        return arithmetic;
    }

    /** The network this executor runs. */
    public InferredNetwork network() {
        return network;
    }

    /**
     * Runs the network forward.
     *
     * @param inputs   float network inputs by name, batch first
     * @param labels   the integer labels for {@code "label"}, or {@code null} when the network does not use it
     * @param params   every parameter and statistic of the network by full name (read only)
     * @param training training mode: BatchNorm uses batch statistics and Dropout applies the masks
     * @param masks    keep masks per Dropout node name ({@code batch * nodeSize} values each), or
     *                 {@code null} to disable dropout; ignored in inference mode
     * @return every activation and the BatchNorm batch statistics
     * @throws IllegalArgumentException for a missing input, inconsistent batch sizes or a missing or
     *                                  mis-sized dropout mask
     */
    public ForwardPass forward(
            Map<String, DoubleTensor> inputs,
            int[] labels,
            Map<String, double[]> params,
            boolean training,
            Map<String, float[]> masks) {
        int batch = batchSize(inputs, labels);
        if (training && masks != null) {
            checkMasks(masks, batch);
        }
        Map<String, DoubleTensor> values = new HashMap<>();
        for (Map.Entry<String, int[]> in : network.inputs().entrySet()) {
            if (in.getKey().equals(NetworkSpec.LABEL)) {
                continue;
            }
            DoubleTensor t = inputs.get(in.getKey());
            int[] expected = DoubleTensor.withBatch(batch, in.getValue());
            if (!Arrays.equals(t.shape(), expected)) {
                throw new IllegalArgumentException(network.role() + " input '" + in.getKey() + "' has shape "
                        + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(expected));
            }
            values.put(in.getKey(), t);
        }
        Map<String, LayerOps.BatchNormResult> bn = new LinkedHashMap<>();
        for (InferredNode node : network.nodes()) {
            List<DoubleTensor> ins = new ArrayList<>();
            for (String src : node.node().inputs()) {
                ins.add(values.get(src));
            }
            float[] mask = training && masks != null ? masks.get(node.name()) : null;
            DoubleTensor out = storeAsFloat32(forwardNode(node, ins, labels, params, training, mask, bn));
            values.put(node.name(), out);
        }
        return new ForwardPass(this, batch, values, labels, params, training, masks, bn);
    }

    private int batchSize(Map<String, DoubleTensor> inputs, int[] labels) {
        int batch = -1;
        String from = null;
        for (String name : network.inputs().keySet()) {
            int n;
            if (name.equals(NetworkSpec.LABEL)) {
                if (labels == null) {
                    throw new IllegalArgumentException(network.role() + " needs labels");
                }
                n = labels.length;
            } else {
                DoubleTensor t = inputs.get(name);
                if (t == null) {
                    throw new IllegalArgumentException(network.role() + " needs input '" + name + "'");
                }
                n = t.batch();
            }
            if (batch >= 0 && n != batch) {
                throw new IllegalArgumentException(network.role() + ": input '" + name + "' has " + n
                        + " examples but '" + from + "' has " + batch);
            }
            batch = n;
            from = name;
        }
        return batch;
    }

    private void checkMasks(Map<String, float[]> masks, int batch) {
        List<String> known = new ArrayList<>();
        for (InferredNode node : network.dropoutNodes()) {
            known.add(node.name());
            float[] m = masks.get(node.name());
            if (m == null) {
                throw new IllegalArgumentException(network.role() + ": no dropout mask for node '" + node.name()
                        + "'; masks given for " + masks.keySet());
            }
            long expected = (long) batch * node.outputSize();
            if (m.length != expected) {
                throw new IllegalArgumentException(network.role() + ": dropout mask of node '" + node.name()
                        + "' has " + m.length + " values, expected " + expected + " (" + batch + " x "
                        + node.outputSize() + ")");
            }
        }
        for (String name : masks.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException(
                        network.role() + ": dropout mask for unknown node '" + name + "'; dropout nodes are " + known);
            }
        }
    }

    private DoubleTensor forwardNode(
            InferredNode node,
            List<DoubleTensor> in,
            int[] labels,
            Map<String, double[]> params,
            boolean training,
            float[] mask,
            Map<String, LayerOps.BatchNormResult> bn) {
        LayerSpec layer = node.layer();
        String p = prefix(node);
        if (layer instanceof Dense d) {
            return Products.dense(
                    arithmetic,
                    in.get(0),
                    param(params, p + "kernel"),
                    d.useBias() ? param(params, p + "bias") : null,
                    d.units());
        }
        if (layer instanceof Embedding e) {
            return LayerOps.embedding(labels, param(params, p + "embeddings"), e.inputDim(), e.outputDim());
        }
        if (layer instanceof OneHot o) {
            return LayerOps.oneHot(labels, o.depth());
        }
        if (layer instanceof Multiply) {
            return LayerOps.multiply(in);
        }
        if (layer instanceof Concat) {
            return LayerOps.concat(in);
        }
        if (layer instanceof Reshape || layer instanceof Flatten) {
            return LayerOps.reshape(in.get(0), node.outputShape());
        }
        if (layer instanceof RepeatSpatial r) {
            return LayerOps.repeatSpatial(in.get(0), r.height(), r.width());
        }
        if (layer instanceof Conv2D c) {
            return Products.conv2d(
                    arithmetic,
                    in.get(0),
                    param(params, p + "kernel"),
                    c.useBias() ? param(params, p + "bias") : null,
                    geometry(node));
        }
        if (layer instanceof Conv2DTranspose c) {
            return Products.conv2dTranspose(
                    arithmetic,
                    in.get(0),
                    param(params, p + "kernel"),
                    c.useBias() ? param(params, p + "bias") : null,
                    geometry(node));
        }
        if (layer instanceof MaxPool2D) {
            return LayerOps.maxPool2d(in.get(0), geometry(node));
        }
        if (layer instanceof UpSampling2D u) {
            return LayerOps.upSampling2d(in.get(0), u.factorH(), u.factorW());
        }
        if (layer instanceof BatchNorm b) {
            double[] gamma = param(params, p + "gamma");
            double[] beta = param(params, p + "beta");
            if (training) {
                LayerOps.BatchNormResult r = LayerOps.batchNormTraining(in.get(0), gamma, beta, b.epsilon());
                bn.put(node.name(), r);
                return r.output();
            }
            return LayerOps.batchNormInference(
                    in.get(0),
                    gamma,
                    beta,
                    param(params, p + "moving_mean"),
                    param(params, p + "moving_variance"),
                    b.epsilon());
        }
        if (layer instanceof Relu) {
            return LayerOps.relu(in.get(0));
        }
        if (layer instanceof LeakyRelu l) {
            return LayerOps.leakyRelu(in.get(0), l.alpha());
        }
        if (layer instanceof Tanh) {
            return LayerOps.tanh(in.get(0));
        }
        if (layer instanceof Sigmoid) {
            return LayerOps.sigmoid(in.get(0));
        }
        if (layer instanceof Softmax) {
            return LayerOps.softmax(in.get(0));
        }
        if (layer instanceof Dropout) {
            return mask == null ? in.get(0) : LayerOps.dropout(in.get(0), mask);
        }
        throw new IllegalArgumentException("unsupported layer " + layer);
    }

    /**
     * Back-propagates output gradients through a forward pass.
     *
     * @param pass            the forward pass (its parameters must not have changed since)
     * @param outputGradients gradient of the loss with respect to some nodes' outputs, by node name; nodes
     *                        not named receive gradient only from their consumers
     * @return the gradient of every trainable parameter of the network (zero where no gradient flows) and
     *         of every float network input
     */
    public Gradients backward(ForwardPass pass, Map<String, DoubleTensor> outputGradients) {
        if (pass.executor != this) {
            throw new IllegalArgumentException("forward pass belongs to another executor");
        }
        Map<String, double[]> paramGrads = new LinkedHashMap<>();
        for (ParameterSpec ps : network.trainableParameters()) {
            paramGrads.put(ps.name(), new double[ps.size()]);
        }
        Map<String, DoubleTensor> grads = new HashMap<>();
        for (Map.Entry<String, DoubleTensor> e : outputGradients.entrySet()) {
            DoubleTensor value = pass.values.get(e.getKey());
            if (value == null || network.inputs().containsKey(e.getKey())) {
                throw new IllegalArgumentException(network.role() + " has no node '" + e.getKey() + "'");
            }
            if (!Arrays.equals(value.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("gradient of '" + e.getKey() + "' has shape "
                        + Arrays.toString(e.getValue().shape()) + ", expected " + Arrays.toString(value.shape()));
            }
            accumulate(grads, e.getKey(), e.getValue());
        }
        List<InferredNode> nodes = network.nodes();
        for (int idx = nodes.size() - 1; idx >= 0; idx--) {
            InferredNode node = nodes.get(idx);
            DoubleTensor dy = grads.remove(node.name());
            if (dy == null) {
                continue;
            }
            List<DoubleTensor> ins = new ArrayList<>();
            for (String src : node.node().inputs()) {
                ins.add(pass.values.get(src));
            }
            List<DoubleTensor> dxs = backwardNode(node, ins, pass.values.get(node.name()), dy, pass, paramGrads);
            dxs.forEach(this::storeAsFloat32);
            for (int k = 0; k < dxs.size(); k++) {
                if (dxs.get(k) != null) {
                    accumulate(grads, node.node().inputs().get(k), dxs.get(k));
                }
            }
        }
        Map<String, DoubleTensor> inputGrads = new LinkedHashMap<>();
        for (String name : network.inputs().keySet()) {
            if (name.equals(NetworkSpec.LABEL)) {
                continue;
            }
            DoubleTensor g = grads.get(name);
            inputGrads.put(
                    name,
                    g != null ? g : DoubleTensor.zeros(pass.values.get(name).shape()));
        }
        return new Gradients(paramGrads, inputGrads);
    }

    /** In {@link Arithmetic#BF16_FLOAT32}, a node's output or input gradient rounded to float32 (in place). */
    private DoubleTensor storeAsFloat32(DoubleTensor t) {
        if (t != null && arithmetic == Arithmetic.BF16_FLOAT32) {
            double[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) d[i];
            }
        }
        return t;
    }

    private static void accumulate(Map<String, DoubleTensor> grads, String name, DoubleTensor g) {
        DoubleTensor prev = grads.get(name);
        if (prev == null) {
            grads.put(name, g.copy());
        } else {
            prev.addInPlace(g);
        }
    }

    /** Input gradients of one node (null for integer inputs); adds its parameter gradients. */
    private List<DoubleTensor> backwardNode(
            InferredNode node,
            List<DoubleTensor> in,
            DoubleTensor y,
            DoubleTensor dy,
            ForwardPass pass,
            Map<String, double[]> pg) {
        LayerSpec layer = node.layer();
        String p = prefix(node);
        Map<String, double[]> params = pass.params;
        if (layer instanceof Dense d) {
            return List.of(Products.denseBackward(
                    arithmetic,
                    in.get(0),
                    param(params, p + "kernel"),
                    d.units(),
                    dy,
                    pg.get(p + "kernel"),
                    d.useBias() ? pg.get(p + "bias") : null));
        }
        if (layer instanceof Embedding e) {
            LayerOps.embeddingBackward(pass.labels, e.outputDim(), dy, pg.get(p + "embeddings"));
            return Collections.singletonList(null);
        }
        if (layer instanceof OneHot) {
            return Collections.singletonList(null);
        }
        if (layer instanceof Multiply) {
            return LayerOps.multiplyBackward(in, dy);
        }
        if (layer instanceof Concat) {
            List<int[]> shapes = new ArrayList<>();
            for (DoubleTensor t : in) {
                shapes.add(t.shape());
            }
            return LayerOps.concatBackward(shapes, dy);
        }
        if (layer instanceof Reshape || layer instanceof Flatten) {
            return List.of(dy.reshape(in.get(0).shape()));
        }
        if (layer instanceof RepeatSpatial) {
            return List.of(LayerOps.repeatSpatialBackward(dy));
        }
        if (layer instanceof Conv2D c) {
            return List.of(Products.conv2dBackward(
                    arithmetic,
                    in.get(0),
                    param(params, p + "kernel"),
                    geometry(node),
                    dy,
                    pg.get(p + "kernel"),
                    c.useBias() ? pg.get(p + "bias") : null));
        }
        if (layer instanceof Conv2DTranspose c) {
            return List.of(Products.conv2dTransposeBackward(
                    arithmetic,
                    in.get(0),
                    param(params, p + "kernel"),
                    geometry(node),
                    dy,
                    pg.get(p + "kernel"),
                    c.useBias() ? pg.get(p + "bias") : null));
        }
        if (layer instanceof MaxPool2D) {
            return List.of(LayerOps.maxPool2dBackward(in.get(0), geometry(node), dy));
        }
        if (layer instanceof UpSampling2D u) {
            return List.of(LayerOps.upSampling2dBackward(dy, u.factorH(), u.factorW()));
        }
        if (layer instanceof BatchNorm b) {
            double[] gamma = param(params, p + "gamma");
            if (pass.training) {
                return List.of(LayerOps.batchNormTrainingBackward(
                        in.get(0),
                        gamma,
                        pass.batchNorm.get(node.name()),
                        dy,
                        pg.get(p + "gamma"),
                        pg.get(p + "beta")));
            }
            return List.of(LayerOps.batchNormInferenceBackward(
                    in.get(0),
                    gamma,
                    param(params, p + "moving_mean"),
                    param(params, p + "moving_variance"),
                    b.epsilon(),
                    dy,
                    pg.get(p + "gamma"),
                    pg.get(p + "beta")));
        }
        if (layer instanceof Relu) {
            return List.of(LayerOps.reluBackward(in.get(0), dy));
        }
        if (layer instanceof LeakyRelu l) {
            return List.of(LayerOps.leakyReluBackward(in.get(0), l.alpha(), dy));
        }
        if (layer instanceof Tanh) {
            return List.of(LayerOps.tanhBackward(y, dy));
        }
        if (layer instanceof Sigmoid) {
            return List.of(LayerOps.sigmoidBackward(y, dy));
        }
        if (layer instanceof Softmax) {
            return List.of(LayerOps.softmaxBackward(y, dy));
        }
        if (layer instanceof Dropout) {
            float[] mask = pass.training && pass.masks != null ? pass.masks.get(node.name()) : null;
            return List.of(mask == null ? dy : LayerOps.dropout(dy, mask));
        }
        throw new IllegalArgumentException("unsupported layer " + layer);
    }

    /**
     * Updates the moving statistics of every BatchNorm node from a training-mode forward pass:
     * {@code moving = momentum*moving + (1-momentum)*batch}, with the biased batch mean and the unbiased
     * batch variance (see {@link LayerOps.BatchNormResult#unbiasedVariance()}).
     *
     * @param pass   a training-mode forward pass of this executor
     * @param params the parameter map whose {@code moving_mean} / {@code moving_variance} arrays are updated in place
     */
    public void updateMovingStatistics(ForwardPass pass, Map<String, double[]> params) {
        if (!pass.training) {
            throw new IllegalArgumentException("moving statistics are updated from a training-mode pass only");
        }
        for (InferredNode node : network.nodes()) {
            if (node.layer() instanceof BatchNorm b) {
                LayerOps.BatchNormResult r = pass.batchNorm.get(node.name());
                double[] mean = r.mean();
                double[] var = r.unbiasedVariance();
                double[] mm = param(params, prefix(node) + "moving_mean");
                double[] mv = param(params, prefix(node) + "moving_variance");
                double mom = b.momentum();
                for (int c = 0; c < mm.length; c++) {
                    mm[c] = mom * mm[c] + (1 - mom) * mean[c];
                    mv[c] = mom * mv[c] + (1 - mom) * var[c];
                }
            }
        }
    }

    /** The window geometry of a Conv2D, Conv2DTranspose or MaxPool2D node. */
    public static ConvGeometry geometry(InferredNode node) {
        int[] x = node.inputShapes().get(0);
        if (node.layer() instanceof Conv2D c) {
            return ConvGeometry.conv2d(
                    x[0], x[1], x[2], c.filters(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padding());
        }
        if (node.layer() instanceof Conv2DTranspose c) {
            return ConvGeometry.conv2dTranspose(
                    x[0], x[1], x[2], c.filters(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padding());
        }
        if (node.layer() instanceof MaxPool2D m) {
            return ConvGeometry.pool(x[0], x[1], x[2], m.poolH(), m.poolW(), m.strideH(), m.strideW(), m.padding());
        }
        throw new IllegalArgumentException("node '" + node.name() + "' is not a convolution or pooling");
    }

    private String prefix(InferredNode node) {
        return network.role() + "/" + node.name() + "/";
    }

    private static double[] param(Map<String, double[]> params, String name) {
        double[] v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing parameter '" + name + "'");
        }
        return v;
    }

    /**
     * The result of a forward pass: every activation, kept for the backward pass.
     */
    public static final class ForwardPass {
        private final GraphExecutor executor;
        private final int batch;
        private final Map<String, DoubleTensor> values;
        private final int[] labels;
        private final Map<String, double[]> params;
        private final boolean training;
        private final Map<String, float[]> masks;
        private final Map<String, LayerOps.BatchNormResult> batchNorm;

        private ForwardPass(
                GraphExecutor executor,
                int batch,
                Map<String, DoubleTensor> values,
                int[] labels,
                Map<String, double[]> params,
                boolean training,
                Map<String, float[]> masks,
                Map<String, LayerOps.BatchNormResult> batchNorm) {
            this.executor = executor;
            this.batch = batch;
            this.values = values;
            this.labels = labels;
            this.params = params;
            this.training = training;
            this.masks = masks;
            this.batchNorm = batchNorm;
        }

        /** Number of examples. */
        public int batch() {
            return batch;
        }

        /** Whether the pass ran in training mode. */
        public boolean training() {
            return training;
        }

        /** The output of a node (or a float network input) by name. */
        public DoubleTensor value(String name) {
            DoubleTensor v = values.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no value named '" + name + "'");
            }
            return v;
        }

        /** The value of an output role, e.g. {@code "image"}, {@code "validity"}, {@code "class"}. */
        public DoubleTensor output(String role) {
            return value(executor.network.output(role).name());
        }

        /** The batch statistics of each BatchNorm node (training mode only), by node name. */
        public Map<String, LayerOps.BatchNormResult> batchNormStatistics() {
            return Collections.unmodifiableMap(batchNorm);
        }
    }

    /**
     * Gradients from a backward pass.
     *
     * @param parameters gradient of every trainable parameter by full name, in the network's parameter order
     * @param inputs     gradient of every float network input by name
     */
    public record Gradients(Map<String, double[]> parameters, Map<String, DoubleTensor> inputs) {}
}
