package dev.acgan.export;

import com.google.protobuf.ByteString;
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
import dev.acgan.api.spec.Padding;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.export.onnx.OnnxModel.AttributeProto;
import dev.acgan.export.onnx.OnnxModel.GraphProto;
import dev.acgan.export.onnx.OnnxModel.NodeProto;
import dev.acgan.export.onnx.OnnxModel.TensorProto;
import dev.acgan.export.onnx.OnnxModel.TensorShapeProto;
import dev.acgan.export.onnx.OnnxModel.TypeProto;
import dev.acgan.export.onnx.OnnxModel.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles one inferred network into an ONNX graph: the third compiler of acgan's specs, beside the TensorFlow and
 * ND4J backends' {@code NetworkCompiler}s, in inference mode (BatchNorm on its moving statistics, Dropout the
 * identity).
 *
 * <p>Layout: the spec's activations are NHWC; ONNX's convolutions are NCHW. Inside the graph every feature map
 * (a value of canonical rank 3, {@code [h, w, c]}) is held as {@code [N, c, h, w]}, every other value as
 * {@code [N, ...canonical shape]}; Reshape and Flatten transpose a map to NHWC before they reorder values, so
 * their row-major order is the spec's. Kernels are transposed once, here, into ONNX's layouts: Conv
 * {@code [out, in, kH, kW]} from the canonical {@code [kH, kW, in, out]}, ConvTranspose {@code [in, out, kH, kW]}
 * from the canonical {@code [kH, kW, out, in]}. 'same' padding becomes TensorFlow's explicit pads (the smaller
 * half before).
 */
final class OnnxCompiler {

    /** The batch dimension's symbolic name in the graph's inputs and outputs. */
    static final String BATCH = "N";

    private final NamedTensors weights;
    private final GraphProto.Builder graph;
    /** Spec node or network input name to the ONNX value that holds it (maps in NCHW). */
    private final Map<String, String> values = new HashMap<>();

    OnnxCompiler(NamedTensors weights, GraphProto.Builder graph) {
        this.weights = weights;
        this.graph = graph;
    }

    /** Binds a network input (noise, label, image) to a graph input of the same name. */
    void bindInput(String specName, String onnxName) {
        values.put(specName, onnxName);
    }

    /** Emits the nodes of every layer. */
    void compile(InferredNetwork net) {
        for (InferredNode n : net.nodes()) {
            String out = layer(net.role(), n);
            values.put(n.name(), out);
        }
    }

    /** The ONNX value of the network's output with that role (after {@link #compile}). */
    String output(InferredNetwork net, String outputRole) {
        return values.get(net.spec().outputs().get(outputRole));
    }

    /** Adds a Transpose of a feature map from NCHW to NHWC (the spec's layout) under the given output name. */
    void toNhwc(String value, String outName) {
        node("Transpose", List.of(value), outName, ints("perm", 0, 2, 3, 1));
    }

    /** Adds a Transpose of an NHWC image input to NCHW, the layout of maps inside the graph; returns its value. */
    String fromNhwc(String value) {
        return node("Transpose", List.of(value), value + "/nchw", ints("perm", 0, 3, 1, 2));
    }

    /** Adds an Identity that gives a value a graph output's name. */
    void rename(String value, String outName) {
        node("Identity", List.of(value), outName);
    }

    private String layer(String role, InferredNode n) {
        LayerSpec layer = n.layer();
        // Values are named <role>/<node>, like the parameters, so no node can take an input's or output's name.
        String name = role + "/" + n.name();
        String prefix = name + "/";
        List<String> in = new ArrayList<>();
        for (String src : n.node().inputs()) {
            in.add(values.get(src));
        }
        int[] inShape = n.inputShapes().get(0);
        if (layer instanceof Dense d) {
            String kernel = weight(prefix + "kernel", null);
            if (d.useBias()) {
                return node("Gemm", List.of(in.get(0), kernel, weight(prefix + "bias", null)), name);
            }
            return node("MatMul", List.of(in.get(0), kernel), name);
        }
        if (layer instanceof Embedding) {
            return node("Gather", List.of(weight(prefix + "embeddings", null), in.get(0)), name, ints1("axis", 0));
        }
        if (layer instanceof OneHot o) {
            String depth = constantInt64(name + "/depth", new long[0], new long[] {o.depth()});
            String onOff = constantFloat(name + "/values", new long[] {2}, new float[] {0f, 1f});
            return node("OneHot", List.of(in.get(0), depth, onOff), name, ints1("axis", -1));
        }
        if (layer instanceof Multiply) {
            String acc = in.get(0);
            for (int i = 1; i < in.size(); i++) {
                acc = node("Mul", List.of(acc, in.get(i)), i == in.size() - 1 ? name : name + "/mul" + i);
            }
            return acc;
        }
        if (layer instanceof Concat) {
            // The last canonical axis: channels (axis 1) of an NCHW map, else the last axis after the batch.
            int axis = inShape.length == 3 ? 1 : inShape.length;
            return node("Concat", in, name, ints1("axis", axis));
        }
        if (layer instanceof Reshape r) {
            String x = rowMajor(in.get(0), inShape, name);
            int[] target = r.targetShape().stream().mapToInt(Integer::intValue).toArray();
            long[] shape = new long[target.length + 1];
            for (int i = 0; i < target.length; i++) {
                shape[i + 1] = target[i];
            }
            // 0: keep the batch dimension of the input.
            String shapeConst = constantInt64(name + "/shape", new long[] {shape.length}, shape);
            if (target.length == 3) {
                String nhwc = node("Reshape", List.of(x, shapeConst), name + "/nhwc");
                return node("Transpose", List.of(nhwc), name, ints("perm", 0, 3, 1, 2));
            }
            return node("Reshape", List.of(x, shapeConst), name);
        }
        if (layer instanceof Flatten) {
            String x = rowMajor(in.get(0), inShape, name);
            String shapeConst = constantInt64(name + "/shape", new long[] {2}, new long[] {0, Tensor.size(inShape)});
            return node("Reshape", List.of(x, shapeConst), name);
        }
        if (layer instanceof RepeatSpatial r) {
            String axes = constantInt64(name + "/axes", new long[] {2}, new long[] {2, 3});
            String column = node("Unsqueeze", List.of(in.get(0), axes), name + "/unsqueeze");
            String grid = constantInt64(name + "/grid", new long[] {4}, new long[] {1, 1, r.height(), r.width()});
            return node("Expand", List.of(column, grid), name);
        }
        if (layer instanceof Conv2D c) {
            // canonical [kH, kW, in, out] -> ONNX [out, in, kH, kW]
            String kernel = weight(prefix + "kernel", new int[] {3, 2, 0, 1});
            List<String> inputs = new ArrayList<>(List.of(in.get(0), kernel));
            if (c.useBias()) {
                inputs.add(weight(prefix + "bias", null));
            }
            int[] padH = samePads(inShape[0], c.kernelH(), c.strideH(), c.padding());
            int[] padW = samePads(inShape[1], c.kernelW(), c.strideW(), c.padding());
            return node(
                    "Conv",
                    inputs,
                    name,
                    ints("kernel_shape", c.kernelH(), c.kernelW()),
                    ints("strides", c.strideH(), c.strideW()),
                    ints("pads", padH[0], padW[0], padH[1], padW[1]));
        }
        if (layer instanceof Conv2DTranspose c) {
            // canonical [kH, kW, out, in] -> ONNX [in, out, kH, kW]
            String kernel = weight(prefix + "kernel", new int[] {3, 2, 0, 1});
            List<String> inputs = new ArrayList<>(List.of(in.get(0), kernel));
            if (c.useBias()) {
                inputs.add(weight(prefix + "bias", null));
            }
            int[] padH = transposedPads(inShape[0], c.kernelH(), c.strideH(), c.padding());
            int[] padW = transposedPads(inShape[1], c.kernelW(), c.strideW(), c.padding());
            return node(
                    "ConvTranspose",
                    inputs,
                    name,
                    ints("kernel_shape", c.kernelH(), c.kernelW()),
                    ints("strides", c.strideH(), c.strideW()),
                    ints("pads", padH[0], padW[0], padH[1], padW[1]),
                    ints("output_padding", padH[2], padW[2]));
        }
        if (layer instanceof MaxPool2D m) {
            int[] padH = samePads(inShape[0], m.poolH(), m.strideH(), m.padding());
            int[] padW = samePads(inShape[1], m.poolW(), m.strideW(), m.padding());
            return node(
                    "MaxPool",
                    List.of(in.get(0)),
                    name,
                    ints("kernel_shape", m.poolH(), m.poolW()),
                    ints("strides", m.strideH(), m.strideW()),
                    ints("pads", padH[0], padW[0], padH[1], padW[1]));
        }
        if (layer instanceof BatchNorm b) {
            // Inference mode (training_mode 0, the default): (x - moving_mean) / sqrt(moving_variance + eps)
            // * gamma + beta over the channel axis, which is axis 1 of [N, c] and of an NCHW map.
            return node(
                    "BatchNormalization",
                    List.of(
                            in.get(0),
                            weight(prefix + "gamma", null),
                            weight(prefix + "beta", null),
                            weight(prefix + "moving_mean", null),
                            weight(prefix + "moving_variance", null)),
                    name,
                    float1("epsilon", (float) b.epsilon()));
        }
        if (layer instanceof Relu) {
            return node("Relu", in, name);
        }
        if (layer instanceof LeakyRelu l) {
            return node("LeakyRelu", in, name, float1("alpha", (float) l.alpha()));
        }
        if (layer instanceof Tanh) {
            return node("Tanh", in, name);
        }
        if (layer instanceof Sigmoid) {
            return node("Sigmoid", in, name);
        }
        if (layer instanceof Softmax) {
            return node("Softmax", in, name, ints1("axis", inShape.length == 3 ? 1 : -1));
        }
        if (layer instanceof Dropout) {
            return node("Identity", in, name);
        }
        throw new ExportException(role + " node '" + n.name() + "': layer type " + layer.typeName()
                + " has no ONNX translation in this release");
    }

    /** A value in the spec's row-major (NHWC) order: maps are transposed back from NCHW first. */
    private String rowMajor(String value, int[] shape, String name) {
        if (shape.length != 3) {
            return value;
        }
        String out = name + "/to_nhwc";
        toNhwc(value, out);
        return out;
    }

    /**
     * TensorFlow's pads of a convolution or pooling along one axis: 'valid' none; 'same' {@code max((out-1)*s + k -
     * in, 0)} in total with {@code out = ceil(in/s)}, the smaller half before. Returns {before, after}.
     */
    static int[] samePads(int in, int kernel, int stride, Padding padding) {
        if (padding == Padding.VALID) {
            return new int[] {0, 0};
        }
        int out = (in + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + kernel - in, 0);
        return new int[] {total / 2, total - total / 2};
    }

    /**
     * Pads of a transposed convolution along one axis, as the gradient of the 'same' convolution from the output
     * size {@code in*s} back to {@code in}: pads {@code (k - s)} in total, the smaller half before; where the kernel
     * is smaller than the stride, no pads and {@code s - k} extra outputs at the end (ONNX output_padding, as
     * TensorFlow). 'valid': none. Returns {before, after, output_padding}.
     */
    static int[] transposedPads(int in, int kernel, int stride, Padding padding) {
        if (padding == Padding.VALID) {
            return new int[] {0, 0, 0};
        }
        int total = kernel - stride;
        if (total < 0) {
            return new int[] {0, 0, -total};
        }
        return new int[] {total / 2, total - total / 2, 0};
    }

    private String node(String op, List<String> inputs, String output, AttributeProto... attributes) {
        graph.addNode(NodeProto.newBuilder()
                .setOpType(op)
                .setName(output)
                .addAllInput(inputs)
                .addOutput(output)
                .addAllAttribute(Arrays.asList(attributes)));
        return output;
    }

    /** A checkpoint tensor as a float32 initializer of the same name, its axes permuted when perm is not null. */
    private String weight(String name, int[] perm) {
        if (!weights.contains(name)) {
            throw new ExportException("the checkpoint has no tensor '" + name + "', which the spec needs");
        }
        Tensor t = weights.get(name);
        int[] shape = t.shape();
        float[] data = t.data();
        if (perm != null) {
            int[] permuted = new int[shape.length];
            for (int i = 0; i < perm.length; i++) {
                permuted[i] = shape[perm[i]];
            }
            data = permute(data, shape, perm);
            shape = permuted;
        }
        long[] dims = Arrays.stream(shape).asLongStream().toArray();
        graph.addInitializer(floatTensor(name, dims, data));
        return name;
    }

    /** Row-major {@code data} of {@code shape}, with its axes reordered so that output axis i is input axis perm[i]. */
    static float[] permute(float[] data, int[] shape, int[] perm) {
        int rank = shape.length;
        int[] inStrides = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            inStrides[i] = stride;
            stride *= shape[i];
        }
        int[] outShape = new int[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[perm[i]];
        }
        float[] out = new float[data.length];
        int[] index = new int[rank];
        for (int o = 0; o < out.length; o++) {
            int src = 0;
            for (int i = 0; i < rank; i++) {
                src += index[i] * inStrides[perm[i]];
            }
            out[o] = data[src];
            for (int i = rank - 1; i >= 0; i--) {
                if (++index[i] < outShape[i]) {
                    break;
                }
                index[i] = 0;
            }
        }
        return out;
    }

    private String constantInt64(String name, long[] dims, long[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(data);
        graph.addInitializer(TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.INT64_VALUE)
                .addAllDims(Arrays.stream(dims).boxed().toList())
                .setRawData(ByteString.copyFrom(b.array())));
        return name;
    }

    private String constantFloat(String name, long[] dims, float[] data) {
        graph.addInitializer(floatTensor(name, dims, data));
        return name;
    }

    static TensorProto floatTensor(String name, long[] dims, float[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(Arrays.stream(dims).boxed().toList())
                .setRawData(ByteString.copyFrom(b.array()))
                .build();
    }

    /** A graph input or output: a tensor of that element type, the first dimension {@value #BATCH}. */
    static ValueInfoProto valueInfo(String name, TensorProto.DataType type, int... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        for (int d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(type.getNumber())
                                .setShape(shape)))
                .build();
    }

    private static AttributeProto ints(String name, int... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (int v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto ints1(String name, int value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    private static AttributeProto float1(String name, float value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.FLOAT)
                .setF(value)
                .build();
    }
}
