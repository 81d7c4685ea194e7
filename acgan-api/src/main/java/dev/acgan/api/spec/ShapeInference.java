package dev.acgan.api.spec;

import dev.acgan.api.spec.InferredNetwork.InferredNode;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves every node's output shape and every parameter's canonical name and shape, and rejects an
 * inconsistent spec with a message naming the network, the node and what was expected.
 *
 * <h2>Canonical conventions (the same in every backend and in checkpoints)</h2>
 * <ul>
 *   <li>Activations are NHWC; shapes here exclude the batch dimension.</li>
 *   <li>Dense kernel {@code [in, out]}; Embedding table {@code [classes, dim]}.</li>
 *   <li>Conv2D kernel {@code [kH, kW, in, out]}; Conv2DTranspose kernel {@code [kH, kW, out, in]}.</li>
 *   <li>Flatten and Reshape use NHWC row-major order.</li>
 *   <li>Names: {@code <network>/<node>/kernel|bias|embeddings|gamma|beta|moving_mean|moving_variance}.</li>
 * </ul>
 */
public final class ShapeInference {

    private ShapeInference() {}

    /** Infers both networks of a model and checks them against the model's kind, image shape and classes. */
    public static InferredModel infer(ModelSpec model) {
        Map<String, int[]> gInputs = new LinkedHashMap<>();
        gInputs.put(NetworkSpec.NOISE, new int[] {model.latentDim()});
        if (model.kind().conditionalGenerator()) {
            gInputs.put(NetworkSpec.LABEL, new int[0]);
        }
        InferredNetwork g = infer("generator", model.generator(), gInputs);

        Map<String, int[]> dInputs = new LinkedHashMap<>();
        ImageShape img = model.image();
        dInputs.put(NetworkSpec.IMAGE, new int[] {img.height(), img.width(), img.channels()});
        if (model.kind().conditionalDiscriminator()) {
            dInputs.put(NetworkSpec.LABEL, new int[0]);
        }
        InferredNetwork d = infer("discriminator", model.discriminator(), dInputs);

        expectOutput(g, NetworkSpec.OUT_IMAGE, new int[] {img.height(), img.width(), img.channels()});
        expectOutput(d, NetworkSpec.OUT_VALIDITY, new int[] {1});
        if (model.kind().auxiliaryClassifier()) {
            expectOutput(d, NetworkSpec.OUT_CLASS, new int[] {model.numClasses()});
        } else if (d.spec().outputs().containsKey(NetworkSpec.OUT_CLASS)) {
            throw new SpecException(
                    "discriminator: output 'class' is only allowed for ACGAN, this model is " + model.kind());
        }
        for (InferredNetwork net : List.of(g, d)) {
            for (String out : net.spec().outputs().keySet()) {
                Set<String> allowed = net == g
                        ? Set.of(NetworkSpec.OUT_IMAGE)
                        : Set.of(NetworkSpec.OUT_VALIDITY, NetworkSpec.OUT_CLASS);
                if (!allowed.contains(out)) {
                    throw new SpecException(
                            net.role() + ": unknown output role '" + out + "', expected one of " + allowed);
                }
            }
            for (InferredNode n : net.nodes()) {
                int depth = n.layer() instanceof Embedding e
                        ? e.inputDim()
                        : n.layer() instanceof OneHot o ? o.depth() : -1;
                if (depth != -1 && depth != model.numClasses()) {
                    throw new SpecException(net.role() + " node '" + n.name() + "': expects " + depth
                            + " classes but the model has " + model.numClasses());
                }
            }
        }
        return new InferredModel(model, g, d);
    }

    /**
     * Infers a classifier and checks its outputs: {@code class} a Softmax node of shape
     * {@code [numClasses]}, {@code features} a vector; no other output, no label input.
     */
    public static InferredNetwork infer(ClassifierSpec classifier) {
        ImageShape img = classifier.image();
        Map<String, int[]> inputs = Map.of(NetworkSpec.IMAGE, new int[] {img.height(), img.width(), img.channels()});
        InferredNetwork net = infer(ClassifierSpec.ROLE, classifier.network(), inputs);
        expectOutput(net, NetworkSpec.OUT_CLASS, new int[] {classifier.numClasses()});
        InferredNode probabilities = net.output(NetworkSpec.OUT_CLASS);
        if (!(probabilities.layer() instanceof Softmax)) {
            throw new SpecException(net.role() + " output 'class' (node '" + probabilities.name() + "') must be a "
                    + "softmax node, whose input are the logits of the training loss; it is a "
                    + probabilities.layer().typeName());
        }
        String features = classifier.network().outputs().get(ClassifierSpec.OUT_FEATURES);
        if (features == null) {
            throw new SpecException(net.role() + ": missing output '" + ClassifierSpec.OUT_FEATURES + "'");
        }
        if (net.node(features).outputShape().length != 1) {
            throw new SpecException(net.role() + " output '" + ClassifierSpec.OUT_FEATURES + "' (node '" + features
                    + "') must be a vector, got shape "
                    + Arrays.toString(net.node(features).outputShape()));
        }
        Set<String> allowed = Set.of(NetworkSpec.OUT_CLASS, ClassifierSpec.OUT_FEATURES);
        for (String out : classifier.network().outputs().keySet()) {
            if (!allowed.contains(out)) {
                throw new SpecException(net.role() + ": unknown output role '" + out + "', expected one of " + allowed);
            }
        }
        return net;
    }

    private static void expectOutput(InferredNetwork net, String role, int[] shape) {
        String nodeName = net.spec().outputs().get(role);
        if (nodeName == null) {
            throw new SpecException(net.role() + ": missing output '" + role + "'");
        }
        int[] actual = net.node(nodeName).outputShape();
        if (!Arrays.equals(actual, shape)) {
            throw new SpecException(net.role() + " output '" + role + "' (node '" + nodeName + "') has shape "
                    + Arrays.toString(actual) + ", expected " + Arrays.toString(shape));
        }
    }

    /**
     * Infers one network.
     *
     * @param role   "generator" or "discriminator" (the parameter-name prefix)
     * @param net    the network
     * @param inputs available network inputs and their shapes ({@code []} marks the integer label)
     */
    public static InferredNetwork infer(String role, NetworkSpec net, Map<String, int[]> inputs) {
        Map<String, int[]> shapes = new LinkedHashMap<>(inputs);
        Set<String> integer = new HashSet<>();
        if (inputs.containsKey(NetworkSpec.LABEL)) {
            integer.add(NetworkSpec.LABEL);
        }
        Map<String, int[]> used = new LinkedHashMap<>();
        List<InferredNode> out = new ArrayList<>();
        if (net.nodes().isEmpty()) {
            throw new SpecException(role + ": has no nodes");
        }
        for (Node node : net.nodes()) {
            String where = role + " node '" + node.name() + "' (" + node.layer().typeName() + ")";
            if (shapes.containsKey(node.name())) {
                throw new SpecException(where + ": name already used by an earlier node or input");
            }
            if (node.inputs().isEmpty()) {
                throw new SpecException(where + ": has no inputs");
            }
            List<int[]> in = new ArrayList<>();
            List<Boolean> isInt = new ArrayList<>();
            for (String src : node.inputs()) {
                int[] s = shapes.get(src);
                if (s == null) {
                    throw new SpecException(where + ": unknown input '" + src + "'; known: " + shapes.keySet());
                }
                if (inputs.containsKey(src)) {
                    used.put(src, inputs.get(src));
                }
                in.add(s);
                isInt.add(integer.contains(src));
            }
            boolean takesInteger = node.layer() instanceof Embedding || node.layer() instanceof OneHot;
            for (int i = 0; i < in.size(); i++) {
                if (isInt.get(i) != takesInteger) {
                    throw new SpecException(where + ": input '" + node.inputs().get(i) + "' is "
                            + (isInt.get(i) ? "an integer label" : "a float tensor") + " but the layer expects "
                            + (takesInteger ? "an integer label" : "float values"));
                }
            }
            List<ParameterSpec> params = new ArrayList<>();
            String p = role + "/" + node.name() + "/";
            int[] result = outputShape(where, node.layer(), in, p, params);
            shapes.put(node.name(), result);
            out.add(new InferredNode(node, in, result, params));
        }
        for (Map.Entry<String, String> o : net.outputs().entrySet()) {
            if (!shapes.containsKey(o.getValue()) || inputs.containsKey(o.getValue())) {
                throw new SpecException(
                        role + ": output '" + o.getKey() + "' names unknown node '" + o.getValue() + "'");
            }
        }
        return new InferredNetwork(role, net, out, used);
    }

    private static int[] outputShape(
            String where, LayerSpec layer, List<int[]> in, String prefix, List<ParameterSpec> params) {
        if (layer instanceof Dense d) {
            int[] x = single(where, in, 1);
            positive(where, "units", d.units());
            params.add(new ParameterSpec(prefix + "kernel", new int[] {x[0], d.units()}, d.kernelInit(), true));
            if (d.useBias()) {
                params.add(new ParameterSpec(prefix + "bias", new int[] {d.units()}, d.biasInit(), true));
            }
            return new int[] {d.units()};
        }
        if (layer instanceof Embedding e) {
            single(where, in, 0);
            positive(where, "inputDim", e.inputDim());
            positive(where, "outputDim", e.outputDim());
            params.add(
                    new ParameterSpec(prefix + "embeddings", new int[] {e.inputDim(), e.outputDim()}, e.init(), true));
            return new int[] {e.outputDim()};
        }
        if (layer instanceof OneHot o) {
            single(where, in, 0);
            positive(where, "depth", o.depth());
            return new int[] {o.depth()};
        }
        if (layer instanceof Multiply) {
            if (in.size() < 2) {
                throw new SpecException(where + ": needs at least two inputs, has " + in.size());
            }
            for (int[] s : in) {
                if (!Arrays.equals(s, in.get(0))) {
                    throw new SpecException(where + ": inputs must have equal shapes, got " + describe(in));
                }
            }
            return in.get(0).clone();
        }
        if (layer instanceof Concat) {
            if (in.size() < 2) {
                throw new SpecException(where + ": needs at least two inputs, has " + in.size());
            }
            int rank = in.get(0).length;
            int last = 0;
            for (int[] s : in) {
                if (s.length != rank
                        || rank == 0
                        || !Arrays.equals(Arrays.copyOf(s, rank - 1), Arrays.copyOf(in.get(0), rank - 1))) {
                    throw new SpecException(
                            where + ": inputs must agree on all but the last axis, got " + describe(in));
                }
                last += s[rank - 1];
            }
            int[] r = in.get(0).clone();
            r[rank - 1] = last;
            return r;
        }
        if (layer instanceof Reshape r) {
            int[] x = singleAnyRank(where, in);
            int[] target = r.targetShape().stream().mapToInt(Integer::intValue).toArray();
            for (int t : target) {
                positive(where, "targetShape", t);
            }
            if (Tensors.size(target) != Tensors.size(x)) {
                throw new SpecException(where + ": cannot reshape " + Arrays.toString(x) + " ("
                        + Tensors.size(x) + " values) to " + Arrays.toString(target) + " ("
                        + Tensors.size(target) + " values)");
            }
            return target;
        }
        if (layer instanceof Flatten) {
            return new int[] {Math.toIntExact(Tensors.size(singleAnyRank(where, in)))};
        }
        if (layer instanceof RepeatSpatial r) {
            int[] x = single(where, in, 1);
            positive(where, "height", r.height());
            positive(where, "width", r.width());
            return new int[] {r.height(), r.width(), x[0]};
        }
        if (layer instanceof Conv2D c) {
            int[] x = single(where, in, 3);
            convChecks(where, c.filters(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW());
            int h = convOut(where, x[0], c.kernelH(), c.strideH(), c.padding());
            int w = convOut(where, x[1], c.kernelW(), c.strideW(), c.padding());
            params.add(new ParameterSpec(
                    prefix + "kernel", new int[] {c.kernelH(), c.kernelW(), x[2], c.filters()}, c.kernelInit(), true));
            if (c.useBias()) {
                params.add(new ParameterSpec(prefix + "bias", new int[] {c.filters()}, c.biasInit(), true));
            }
            return new int[] {h, w, c.filters()};
        }
        if (layer instanceof Conv2DTranspose c) {
            int[] x = single(where, in, 3);
            convChecks(where, c.filters(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW());
            int h = c.padding() == Padding.SAME ? x[0] * c.strideH() : (x[0] - 1) * c.strideH() + c.kernelH();
            int w = c.padding() == Padding.SAME ? x[1] * c.strideW() : (x[1] - 1) * c.strideW() + c.kernelW();
            params.add(new ParameterSpec(
                    prefix + "kernel", new int[] {c.kernelH(), c.kernelW(), c.filters(), x[2]}, c.kernelInit(), true));
            if (c.useBias()) {
                params.add(new ParameterSpec(prefix + "bias", new int[] {c.filters()}, c.biasInit(), true));
            }
            return new int[] {h, w, c.filters()};
        }
        if (layer instanceof MaxPool2D m) {
            int[] x = single(where, in, 3);
            positive(where, "poolH", m.poolH());
            positive(where, "poolW", m.poolW());
            positive(where, "strideH", m.strideH());
            positive(where, "strideW", m.strideW());
            int h = convOut(where, x[0], m.poolH(), m.strideH(), m.padding());
            int w = convOut(where, x[1], m.poolW(), m.strideW(), m.padding());
            return new int[] {h, w, x[2]};
        }
        if (layer instanceof UpSampling2D u) {
            int[] x = single(where, in, 3);
            positive(where, "factorH", u.factorH());
            positive(where, "factorW", u.factorW());
            return new int[] {scaled(where, x[0], u.factorH()), scaled(where, x[1], u.factorW()), x[2]};
        }
        if (layer instanceof BatchNorm b) {
            int[] x = singleAnyRank(where, in);
            if (x.length != 1 && x.length != 3) {
                throw new SpecException(where + ": expects a vector or an HxWxC map, got " + Arrays.toString(x));
            }
            if (!(b.momentum() >= 0 && b.momentum() < 1)) {
                throw new SpecException(where + ": momentum must be in [0, 1), got " + b.momentum());
            }
            if (!(b.epsilon() > 0)) {
                throw new SpecException(where + ": epsilon must be positive, got " + b.epsilon());
            }
            int ch = x[x.length - 1];
            params.add(new ParameterSpec(prefix + "gamma", new int[] {ch}, Initializer.ONES, true));
            params.add(new ParameterSpec(prefix + "beta", new int[] {ch}, Initializer.ZEROS, true));
            params.add(new ParameterSpec(prefix + "moving_mean", new int[] {ch}, Initializer.ZEROS, false));
            params.add(new ParameterSpec(prefix + "moving_variance", new int[] {ch}, Initializer.ONES, false));
            return x.clone();
        }
        if (layer instanceof LeakyRelu l) {
            if (!(l.alpha() >= 0 && l.alpha() < 1)) {
                throw new SpecException(where + ": alpha must be in [0, 1), got " + l.alpha());
            }
            return singleAnyRank(where, in).clone();
        }
        if (layer instanceof Dropout dr) {
            if (!(dr.rate() >= 0 && dr.rate() < 1)) {
                throw new SpecException(where + ": rate must be in [0, 1), got " + dr.rate());
            }
            return singleAnyRank(where, in).clone();
        }
        if (layer instanceof Relu || layer instanceof Tanh || layer instanceof Sigmoid) {
            return singleAnyRank(where, in).clone();
        }
        if (layer instanceof Softmax) {
            int[] x = singleAnyRank(where, in);
            if (x.length == 0) {
                throw new SpecException(where + ": needs at least one axis");
            }
            return x.clone();
        }
        throw new SpecException(where + ": unsupported layer " + layer);
    }

    private static void convChecks(String where, int filters, int kh, int kw, int sh, int sw) {
        positive(where, "filters", filters);
        positive(where, "kernelH", kh);
        positive(where, "kernelW", kw);
        positive(where, "strideH", sh);
        positive(where, "strideW", sw);
    }

    private static int convOut(String where, int size, int kernel, int stride, Padding padding) {
        int out = padding == Padding.SAME ? ceilDiv(size, stride) : ceilDiv(size - kernel + 1, stride);
        if (out <= 0) {
            throw new SpecException(
                    where + ": input size " + size + " is smaller than kernel " + kernel + " with 'valid' padding");
        }
        return out;
    }

    private static int scaled(String where, int size, int factor) {
        long out = (long) size * factor;
        if (out > Integer.MAX_VALUE) {
            throw new SpecException(where + ": size " + size + " times factor " + factor + " is too large");
        }
        return (int) out;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static void positive(String where, String field, int value) {
        if (value <= 0) {
            throw new SpecException(where + ": " + field + " must be positive, got " + value);
        }
    }

    private static int[] single(String where, List<int[]> in, int rank) {
        int[] x = singleAnyRank(where, in);
        if (x.length != rank) {
            throw new SpecException(
                    where + ": expects an input of rank " + rank + " (without batch), got " + Arrays.toString(x));
        }
        return x;
    }

    private static int[] singleAnyRank(String where, List<int[]> in) {
        if (in.size() != 1) {
            throw new SpecException(where + ": expects exactly one input, has " + in.size());
        }
        return in.get(0);
    }

    private static String describe(List<int[]> in) {
        return in.stream().map(Arrays::toString).toList().toString();
    }

    /** Shape arithmetic shared by the spec classes. */
    static final class Tensors {
        private Tensors() {}

        static long size(int[] shape) {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }
}
