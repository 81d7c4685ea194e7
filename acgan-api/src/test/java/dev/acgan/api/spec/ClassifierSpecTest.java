package dev.acgan.api.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acgan.api.spec.LayerSpec.Dense;
import dev.acgan.api.spec.LayerSpec.Flatten;
import dev.acgan.api.spec.LayerSpec.MaxPool2D;
import dev.acgan.api.spec.LayerSpec.Relu;
import dev.acgan.api.spec.LayerSpec.Sigmoid;
import dev.acgan.api.spec.LayerSpec.Softmax;
import dev.acgan.api.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Classifier specs, the LeNet preset and the max-pooling layer: shapes, names, checks and JSON. */
class ClassifierSpecTest {

    @Test
    void lenetOn28x28HasTheLeNet5ShapesAndNames() {
        InferredNetwork net = ClassifierPresets.lenet(ImageShape.mnist(), 10).validate();
        assertArrayEquals(new int[] {24, 24, 6}, net.node("conv1").outputShape());
        assertArrayEquals(new int[] {12, 12, 6}, net.node("pool1").outputShape());
        assertArrayEquals(new int[] {8, 8, 16}, net.node("conv2").outputShape());
        assertArrayEquals(new int[] {4, 4, 16}, net.node("pool2").outputShape());
        assertArrayEquals(new int[] {256}, net.node("flatten").outputShape());
        assertArrayEquals(
                new int[] {84},
                net.node(net.spec().outputs().get(ClassifierSpec.OUT_FEATURES)).outputShape());
        assertArrayEquals(new int[] {10}, net.output(NetworkSpec.OUT_CLASS).outputShape());
        assertEquals(
                List.of(
                        "classifier/conv1/kernel",
                        "classifier/conv1/bias",
                        "classifier/conv2/kernel",
                        "classifier/conv2/bias",
                        "classifier/dense1/kernel",
                        "classifier/dense1/bias",
                        "classifier/dense2/kernel",
                        "classifier/dense2/bias",
                        "classifier/logits/kernel",
                        "classifier/logits/bias"),
                net.parameters().stream().map(ParameterSpec::name).toList());
        assertEquals(156 + 2416 + 30840 + 10164 + 850, net.trainableCount());
        assertEquals(Initializer.HE_UNIFORM, net.parameters().get(0).init());
        assertEquals(Initializer.GLOROT_UNIFORM, net.parameters().get(8).init());
    }

    @Test
    void lenetForwardFlopsByHand() {
        InferredNetwork net = ClassifierPresets.lenet(ImageShape.mnist(), 10).validate();
        long macs = 24 * 24 * 25 * 6 + 8 * 8 * 25 * 6 * 16 + 256 * 120 + 120 * 84 + 84 * 10;
        assertEquals(2 * macs, FlopCounter.forward(net));
        FlopCounter.LayerFlops pool = FlopCounter.layers(net).get(2);
        assertEquals("max_pool2d", pool.type());
        assertEquals(0, pool.forwardFlops());
        assertEquals(4L * 12 * 12 * 6, pool.elementwiseFlops(), "one comparison per window element");
    }

    @Test
    void lenetIsRejectedForImagesTooSmall() {
        SpecException e =
                assertThrows(SpecException.class, () -> ClassifierPresets.lenet(new ImageShape(12, 12, 1), 10));
        assertEquals(
                "classifier node 'conv2' (conv2d): input size 4 is smaller than kernel 5 with 'valid' padding",
                e.getMessage());
    }

    @Test
    void maxPoolOutputSizesFollowTensorFlow() {
        Map<String, int[]> in = Map.of(NetworkSpec.IMAGE, new int[] {9, 7, 3});
        int[][] cases = {
            // pool, stride, same?, expected h, w
            {2, 2, 0, 4, 3}, {2, 2, 1, 5, 4}, {3, 2, 1, 5, 4}, {3, 2, 0, 4, 3}, {3, 1, 0, 7, 5}, {1, 1, 0, 9, 7},
        };
        for (int[] c : cases) {
            NetworkSpec n = NetworkSpec.builder()
                    .add("pool", MaxPool2D.of(c[0], c[1], c[2] == 1 ? Padding.SAME : Padding.VALID), NetworkSpec.IMAGE)
                    .build();
            InferredNetwork net = ShapeInference.infer("t", n, in);
            assertArrayEquals(new int[] {c[3], c[4], 3}, net.node("pool").outputShape(), java.util.Arrays.toString(c));
            assertTrue(net.parameters().isEmpty());
        }
        NetworkSpec big = NetworkSpec.builder()
                .add("pool", MaxPool2D.of(8, 1, Padding.VALID), NetworkSpec.IMAGE)
                .build();
        assertEquals(
                "t node 'pool' (max_pool2d): input size 7 is smaller than kernel 8 with 'valid' padding",
                assertThrows(SpecException.class, () -> ShapeInference.infer("t", big, in))
                        .getMessage());
        NetworkSpec zero = NetworkSpec.builder()
                .add("pool", new MaxPool2D(2, 2, 0, 2, Padding.SAME), NetworkSpec.IMAGE)
                .build();
        assertEquals(
                "t node 'pool' (max_pool2d): strideH must be positive, got 0",
                assertThrows(SpecException.class, () -> ShapeInference.infer("t", zero, in))
                        .getMessage());
        NetworkSpec flat = NetworkSpec.builder()
                .add("flatten", new Flatten(), NetworkSpec.IMAGE)
                .then("pool", MaxPool2D.of(2, 2, Padding.VALID))
                .build();
        assertEquals(
                "t node 'pool' (max_pool2d): expects an input of rank 3 (without batch), got [189]",
                assertThrows(SpecException.class, () -> ShapeInference.infer("t", flat, in))
                        .getMessage());
    }

    @Test
    void maxPoolInJson() throws Exception {
        ObjectMapper m = SpecJson.mapper();
        String json = m.writeValueAsString(new MaxPool2D(3, 2, 2, 1, Padding.SAME));
        assertEquals(
                "{\"type\":\"max_pool2d\",\"poolH\":3,\"poolW\":2,\"strideH\":2,\"strideW\":1,"
                        + "\"padding\":\"SAME\"}",
                json.replaceAll("\\s", ""));
        assertEquals(new MaxPool2D(3, 2, 2, 1, Padding.SAME), m.readValue(json, LayerSpec.class));
        ClassifierSpec lenet = ClassifierPresets.lenet(ImageShape.mnist(), 10);
        assertEquals(lenet, m.readValue(m.writeValueAsString(lenet), ClassifierSpec.class));
    }

    private static ClassifierSpec classifier(NetworkSpec net) {
        return new ClassifierSpec("c", new ImageShape(4, 4, 1), 3, net);
    }

    @Test
    void classOutputMustBeASoftmaxOfTheClassesAndFeaturesAVector() {
        NetworkSpec sigmoid = NetworkSpec.builder()
                .add("flatten", new Flatten(), NetworkSpec.IMAGE)
                .then("features", Dense.of(5))
                .output(ClassifierSpec.OUT_FEATURES)
                .then("logits", Dense.of(3))
                .then("p", new Sigmoid())
                .output(NetworkSpec.OUT_CLASS)
                .build();
        assertEquals(
                "classifier output 'class' (node 'p') must be a softmax node, whose input are the logits of the "
                        + "training loss; it is a sigmoid",
                assertThrows(SpecException.class, () -> classifier(sigmoid).validate())
                        .getMessage());
        NetworkSpec four = NetworkSpec.builder()
                .add("flatten", new Flatten(), NetworkSpec.IMAGE)
                .then("features", Dense.of(5))
                .output(ClassifierSpec.OUT_FEATURES)
                .then("logits", Dense.of(4))
                .then("p", new Softmax())
                .output(NetworkSpec.OUT_CLASS)
                .build();
        assertEquals(
                "classifier output 'class' (node 'p') has shape [4], expected [3]",
                assertThrows(SpecException.class, () -> classifier(four).validate())
                        .getMessage());
        NetworkSpec noFeatures = NetworkSpec.builder()
                .add("flatten", new Flatten(), NetworkSpec.IMAGE)
                .then("logits", Dense.of(3))
                .then("p", new Softmax())
                .output(NetworkSpec.OUT_CLASS)
                .build();
        assertEquals(
                "classifier: missing output 'features'",
                assertThrows(SpecException.class, () -> classifier(noFeatures).validate())
                        .getMessage());
        NetworkSpec mapFeatures = NetworkSpec.builder()
                .add("relu", new Relu(), NetworkSpec.IMAGE)
                .output(ClassifierSpec.OUT_FEATURES)
                .then("flatten", new Flatten())
                .then("logits", Dense.of(3))
                .then("p", new Softmax())
                .output(NetworkSpec.OUT_CLASS)
                .build();
        assertEquals(
                "classifier output 'features' (node 'relu') must be a vector, got shape [4, 4, 1]",
                assertThrows(SpecException.class, () -> classifier(mapFeatures).validate())
                        .getMessage());
        NetworkSpec label = NetworkSpec.builder()
                .add("onehot", new LayerSpec.OneHot(3), NetworkSpec.LABEL)
                .output(ClassifierSpec.OUT_FEATURES)
                .then("p", new Softmax())
                .output(NetworkSpec.OUT_CLASS)
                .build();
        assertTrue(assertThrows(SpecException.class, () -> classifier(label).validate())
                .getMessage()
                .contains("unknown input 'label'"));
        assertEquals(
                "a classifier needs at least 2 classes, got 1",
                assertThrows(SpecException.class, () -> new ClassifierSpec("c", new ImageShape(4, 4, 1), 1, noFeatures))
                        .getMessage());
    }

    @Test
    void heUniformDrawsWithinSqrtSixOverFanIn() {
        ParameterSpec p =
                new ParameterSpec("classifier/conv1/kernel", new int[] {5, 5, 1, 6}, Initializer.HE_UNIFORM, true);
        Tensor t = ParameterInitializer.initialize(p, 3);
        double limit = Math.sqrt(6.0 / 25);
        double max = 0;
        for (float v : t.data()) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= limit && max > 0.9 * limit, "largest |value| " + max + " of limit " + limit);
        InferredNetwork net = ClassifierPresets.lenet(ImageShape.mnist(), 10).validate();
        assertEquals(
                net.parameters().stream().map(ParameterSpec::name).toList(),
                List.copyOf(ParameterInitializer.initialize(net, 3).names()));
    }
}
