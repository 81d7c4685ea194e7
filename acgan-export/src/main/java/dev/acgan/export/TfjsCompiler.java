package dev.acgan.export;

import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.InferredNetwork.InferredNode;
import dev.acgan.api.spec.Initializer;
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
import dev.acgan.api.spec.Padding;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles one inferred network into a TensorFlow.js layers model: the Keras functional-model JSON that
 * {@code tf.loadLayersModel} reads ({@code modelTopology}), and the weights in the order of its manifest. The
 * fourth compiler of acgan's specs, beside the backends' {@code NetworkCompiler}s and {@link OnnxCompiler}.
 *
 * <p>TF.js layers are channels-last and keep their kernels in the canonical layouts (Conv2D {@code [kH, kW, in,
 * out]}, Conv2DTranspose {@code [kH, kW, out, in]}, Dense {@code [in, out]}, Embedding {@code [classes, dim]}),
 * so every checkpoint tensor is written as it is; 'same' and 'valid' padding mean what they mean in the spec
 * (TensorFlow's rules). A label is a float32 {@code [N, 1]} input, as the TF.js ACGAN example feeds it; an
 * Embedding of it gives {@code [N, 1, dim]} and is followed by a Flatten, so the value is the spec's {@code [N,
 * dim]}. Layers with no TF.js layer of their own are built from ones that exist, exactly: OneHot is an Embedding
 * whose table is the identity (not trainable), RepeatSpatial a RepeatVector and a Reshape. Activations are
 * {@code Activation} layers (LeakyReLU its own layer), Dropout is Dropout (the identity in {@code predict}).
 * Layers are named after the spec's nodes, and the weights {@code <node>/<param>}, which is how TF.js matches a
 * manifest's weights to its layers.
 */
final class TfjsCompiler {

    /** A weight as the manifest lists it, with its values. */
    record Weight(String name, int[] shape, float[] values) {}

    private final NamedTensors weights;
    private final List<Map<String, Object>> layers = new ArrayList<>();
    private final List<Weight> manifest = new ArrayList<>();
    private final List<List<Object>> inputLayers = new ArrayList<>();
    /** Spec node or network input name to the TF.js layer whose output holds it. */
    private final Map<String, String> values = new HashMap<>();

    private final Set<String> names = new HashSet<>();

    TfjsCompiler(NamedTensors weights) {
        this.weights = weights;
    }

    /**
     * Adds an input layer for a network input: {@code [N, ...shape]} float32, a label ({@code shape} empty) as
     * {@code [N, 1]}.
     */
    void input(String specName, int[] shape) {
        int[] dims = shape.length == 0 ? new int[] {1} : shape;
        List<Object> batchShape = new ArrayList<>();
        batchShape.add(null);
        for (int d : dims) {
            batchShape.add(d);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("batch_input_shape", batchShape);
        config.put("dtype", "float32");
        config.put("sparse", false);
        String name = unique(specName);
        config.put("name", name);
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("name", name);
        layer.put("class_name", "InputLayer");
        layer.put("config", config);
        layer.put("inbound_nodes", List.of());
        layers.add(layer);
        inputLayers.add(List.of(name, 0, 0));
        values.put(specName, name);
    }

    /** Adds the layers of every node. */
    void compile(InferredNetwork net) {
        for (InferredNode n : net.nodes()) {
            values.put(n.name(), layer(net.role(), n));
        }
    }

    /**
     * The functional model ({@code class_name} Model) with the given outputs, as TF.js saves one.
     *
     * @param name          the model's name
     * @param outputs       the spec nodes whose values are the outputs, in order
     * @param kerasVersion  the {@code keras_version} to declare
     */
    Map<String, Object> topology(String name, List<String> outputs, String kerasVersion) {
        List<List<Object>> outputLayers = new ArrayList<>();
        for (String o : outputs) {
            outputLayers.add(List.of(values.get(o), 0, 0));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("layers", layers);
        config.put("input_layers", inputLayers);
        config.put("output_layers", outputLayers);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("class_name", "Model");
        model.put("config", config);
        model.put("keras_version", kerasVersion);
        model.put("backend", "tensor_flow.js");
        return model;
    }

    /** The weights in the order the layers declare them. */
    List<Weight> weights() {
        return List.copyOf(manifest);
    }

    /** The weights' values, little-endian float32, one after the other in manifest order. */
    byte[] weightData() {
        long size = 0;
        for (Weight w : manifest) {
            size += (long) w.values().length * Float.BYTES;
        }
        if (size > Integer.MAX_VALUE) {
            throw new ExportException("the weights take " + size + " bytes, more than one array holds");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        for (Weight w : manifest) {
            b.asFloatBuffer().put(w.values());
            b.position(b.position() + w.values().length * Float.BYTES);
        }
        return b.array();
    }

    private String layer(String role, InferredNode n) {
        LayerSpec layer = n.layer();
        String name = n.name();
        String prefix = role + "/" + name + "/";
        List<String> in = new ArrayList<>();
        for (String src : n.node().inputs()) {
            in.add(values.get(src));
        }
        Map<String, Object> c = new LinkedHashMap<>();
        if (layer instanceof Dense d) {
            c.put("units", d.units());
            c.put("activation", "linear");
            c.put("use_bias", d.useBias());
            c.put("kernel_initializer", initializer(d.kernelInit()));
            c.put("bias_initializer", initializer(d.biasInit()));
            String out = add(name, "Dense", c, in);
            weight(out, "kernel", prefix, n);
            if (d.useBias()) {
                weight(out, "bias", prefix, n);
            }
            return out;
        }
        if (layer instanceof Embedding e) {
            c.put("input_dim", e.inputDim());
            c.put("output_dim", e.outputDim());
            c.put("embeddings_initializer", initializer(e.init()));
            String out = add(name, "Embedding", c, in);
            weight(out, "embeddings", prefix, n);
            return flatten(out, name + "_flatten");
        }
        if (layer instanceof OneHot o) {
            // One-hot of a label: the row of the identity matrix, which an Embedding looks up exactly.
            c.put("input_dim", o.depth());
            c.put("output_dim", o.depth());
            c.put("embeddings_initializer", Map.of("class_name", "Identity", "config", Map.of("gain", 1.0)));
            c.put("trainable", false);
            String out = add(name, "Embedding", c, in);
            float[] identity = new float[o.depth() * o.depth()];
            for (int i = 0; i < o.depth(); i++) {
                identity[i * o.depth() + i] = 1f;
            }
            manifest.add(new Weight(out + "/embeddings", new int[] {o.depth(), o.depth()}, identity));
            return flatten(out, name + "_flatten");
        }
        if (layer instanceof Multiply) {
            return add(name, "Multiply", c, in);
        }
        if (layer instanceof Concat) {
            c.put("axis", -1);
            return add(name, "Concatenate", c, in);
        }
        if (layer instanceof Reshape r) {
            c.put("target_shape", r.targetShape());
            return add(name, "Reshape", c, in);
        }
        if (layer instanceof Flatten) {
            return add(name, "Flatten", c, in);
        }
        if (layer instanceof RepeatSpatial r) {
            // [N, c] -> [N, h*w, c] -> [N, h, w, c]: every pixel holds the vector.
            c.put("n", r.height() * r.width());
            String repeated = add(name + "_repeat", "RepeatVector", c, in);
            Map<String, Object> reshape = new LinkedHashMap<>();
            reshape.put("target_shape", List.of(r.height(), r.width(), n.outputShape()[2]));
            return add(name, "Reshape", reshape, List.of(repeated));
        }
        if (layer instanceof Conv2D k) {
            c.put("filters", k.filters());
            c.put("kernel_size", List.of(k.kernelH(), k.kernelW()));
            c.put("strides", List.of(k.strideH(), k.strideW()));
            c.put("padding", padding(k.padding()));
            c.put("data_format", "channels_last");
            c.put("dilation_rate", List.of(1, 1));
            c.put("activation", "linear");
            c.put("use_bias", k.useBias());
            c.put("kernel_initializer", initializer(k.kernelInit()));
            c.put("bias_initializer", initializer(k.biasInit()));
            String out = add(name, "Conv2D", c, in);
            weight(out, "kernel", prefix, n);
            if (k.useBias()) {
                weight(out, "bias", prefix, n);
            }
            return out;
        }
        if (layer instanceof Conv2DTranspose k) {
            c.put("filters", k.filters());
            c.put("kernel_size", List.of(k.kernelH(), k.kernelW()));
            c.put("strides", List.of(k.strideH(), k.strideW()));
            c.put("padding", padding(k.padding()));
            c.put("data_format", "channels_last");
            c.put("activation", "linear");
            c.put("use_bias", k.useBias());
            c.put("kernel_initializer", initializer(k.kernelInit()));
            c.put("bias_initializer", initializer(k.biasInit()));
            String out = add(name, "Conv2DTranspose", c, in);
            weight(out, "kernel", prefix, n);
            if (k.useBias()) {
                weight(out, "bias", prefix, n);
            }
            return out;
        }
        if (layer instanceof MaxPool2D m) {
            c.put("pool_size", List.of(m.poolH(), m.poolW()));
            c.put("strides", List.of(m.strideH(), m.strideW()));
            c.put("padding", padding(m.padding()));
            c.put("data_format", "channels_last");
            return add(name, "MaxPooling2D", c, in);
        }
        if (layer instanceof UpSampling2D u) {
            c.put("size", List.of(u.factorH(), u.factorW()));
            c.put("data_format", "channels_last");
            c.put("interpolation", "nearest");
            return add(name, "UpSampling2D", c, in);
        }
        if (layer instanceof BatchNorm b) {
            c.put("axis", -1);
            c.put("momentum", b.momentum());
            c.put("epsilon", b.epsilon());
            c.put("center", true);
            c.put("scale", true);
            String out = add(name, "BatchNormalization", c, in);
            for (String p : new String[] {"gamma", "beta", "moving_mean", "moving_variance"}) {
                weight(out, p, prefix, n);
            }
            return out;
        }
        if (layer instanceof Relu) {
            return activation(name, "relu", c, in);
        }
        if (layer instanceof Tanh) {
            return activation(name, "tanh", c, in);
        }
        if (layer instanceof Sigmoid) {
            return activation(name, "sigmoid", c, in);
        }
        if (layer instanceof Softmax) {
            return activation(name, "softmax", c, in);
        }
        if (layer instanceof LeakyRelu l) {
            c.put("alpha", l.alpha());
            return add(name, "LeakyReLU", c, in);
        }
        if (layer instanceof Dropout d) {
            c.put("rate", d.rate());
            return add(name, "Dropout", c, in);
        }
        throw new ExportException(role + " node '" + n.name() + "': layer type " + layer.typeName()
                + " has no TensorFlow.js layers equivalent; this network cannot be exported as tfjs");
    }

    private String activation(String name, String function, Map<String, Object> c, List<String> in) {
        c.put("activation", function);
        return add(name, "Activation", c, in);
    }

    private String flatten(String from, String name) {
        return add(name, "Flatten", new LinkedHashMap<>(), List.of(from));
    }

    /** Appends a layer fed by the outputs of the named layers; returns its (unique) name. */
    private String add(String wanted, String className, Map<String, Object> config, List<String> inputs) {
        String name = unique(wanted);
        config.put("name", name);
        config.putIfAbsent("trainable", true);
        List<List<Object>> inbound = new ArrayList<>();
        for (String src : inputs) {
            inbound.add(List.of(src, 0, 0, Map.of()));
        }
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("name", name);
        layer.put("class_name", className);
        layer.put("config", config);
        layer.put("inbound_nodes", List.of(inbound));
        layers.add(layer);
        return name;
    }

    private String unique(String wanted) {
        String name = wanted;
        for (int i = 1; !names.add(name); i++) {
            name = wanted + "_" + i;
        }
        return name;
    }

    /** The checkpoint's {@code <role>/<node>/<param>} as the layer's {@code <layer>/<param>}, shape checked. */
    private void weight(String layerName, String param, String prefix, InferredNode n) {
        String name = prefix + param;
        if (!weights.contains(name)) {
            throw new ExportException("the checkpoint has no tensor '" + name + "', which the spec needs");
        }
        Tensor t = weights.get(name);
        int[] expected = n.parameters().stream()
                .filter(p -> p.name().equals(name))
                .map(ParameterSpec::shape)
                .findFirst()
                .orElse(t.shape());
        if (!Arrays.equals(expected, t.shape())) {
            throw new ExportException("the checkpoint's tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + ", the spec expects " + Arrays.toString(expected));
        }
        manifest.add(new Weight(layerName + "/" + param, t.shape(), t.data()));
    }

    private static String padding(Padding p) {
        return p == Padding.SAME ? "same" : "valid";
    }

    /** The Keras initializer that draws like the spec's (only used if the model is trained further in TF.js). */
    static Map<String, Object> initializer(Initializer init) {
        return switch (init) {
            case GLOROT_UNIFORM -> varianceScaling(1.0, "fan_avg", "uniform");
            case GLOROT_NORMAL -> varianceScaling(1.0, "fan_avg", "normal");
            case HE_UNIFORM -> varianceScaling(2.0, "fan_in", "uniform");
            case HE_NORMAL -> varianceScaling(2.0, "fan_in", "normal");
            case NORMAL_0_02 -> Map.of("class_name", "RandomNormal", "config", Map.of("mean", 0.0, "stddev", 0.02));
            case ZEROS -> Map.of("class_name", "Zeros", "config", Map.of());
            case ONES -> Map.of("class_name", "Ones", "config", Map.of());
        };
    }

    private static Map<String, Object> varianceScaling(double scale, String mode, String distribution) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("scale", scale);
        config.put("mode", mode);
        config.put("distribution", distribution);
        return Map.of("class_name", "VarianceScaling", "config", config);
    }
}
