package dev.acgan.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.acgan.api.spec.LayerSpec.Dense;
import dev.acgan.api.spec.LayerSpec.Relu;
import dev.acgan.api.spec.LayerSpec.Tanh;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkSpecTest {

    @Test
    void builderAutoNamesByIndexAndTypeAndChainsInputs() {
        NetworkSpec.Builder b = NetworkSpec.builder()
                .add(null, Dense.of(8), NetworkSpec.NOISE)
                .then(new Relu())
                .then("named", Dense.of(4))
                .then(new LayerSpec.Conv2DTranspose(
                        3, 5, 5, 2, 2, Padding.SAME, true, Initializer.GLOROT_NORMAL, Initializer.ZEROS))
                .then(new LayerSpec.BatchNorm(0.9, 1e-3));
        assertEquals("4_batch_norm", b.last());
        NetworkSpec n = b.output(NetworkSpec.OUT_IMAGE).build();
        assertEquals(
                List.of("0_dense", "1_relu", "named", "3_conv2d_transpose", "4_batch_norm"),
                n.nodes().stream().map(Node::name).toList());
        assertEquals(List.of("noise"), n.node("0_dense").inputs());
        assertEquals(List.of("0_dense"), n.node("1_relu").inputs());
        assertEquals(List.of("1_relu"), n.node("named").inputs());
        assertEquals(List.of("named"), n.node("3_conv2d_transpose").inputs());
        assertEquals(Map.of("image", "4_batch_norm"), n.outputs());
    }

    @Test
    void explicitInputsOverrideChainingAndFirstNodeWithoutInputsHasNone() {
        NetworkSpec n = NetworkSpec.builder()
                .then(new Tanh())
                .add("m", new LayerSpec.Multiply(), "a", "b")
                .build();
        assertEquals(List.of(), n.node("0_tanh").inputs());
        assertEquals(List.of("a", "b"), n.node("m").inputs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> n.node("zz"));
        assertEquals("no node named 'zz'", e.getMessage());
    }

    @Test
    void typeNamesOfAllLayers() {
        assertEquals("dense", Dense.of(1).typeName());
        assertEquals("embedding", new LayerSpec.Embedding(1, 1, Initializer.ZEROS).typeName());
        assertEquals("one_hot", new LayerSpec.OneHot(2).typeName());
        assertEquals("multiply", new LayerSpec.Multiply().typeName());
        assertEquals("concat", new LayerSpec.Concat().typeName());
        assertEquals("reshape", new LayerSpec.Reshape(List.of(1)).typeName());
        assertEquals("flatten", new LayerSpec.Flatten().typeName());
        assertEquals("repeat_spatial", new LayerSpec.RepeatSpatial(1, 1).typeName());
        assertEquals("conv2d", LayerSpec.Conv2D.of(1, 1, 1, Padding.SAME).typeName());
        assertEquals(
                "conv2d_transpose",
                LayerSpec.Conv2DTranspose.of(1, 1, 1, Padding.SAME).typeName());
        assertEquals("max_pool2d", LayerSpec.MaxPool2D.of(2, 2, Padding.VALID).typeName());
        assertEquals("up_sampling2d", LayerSpec.UpSampling2D.of().typeName());
        assertEquals("batch_norm", LayerSpec.BatchNorm.keras().typeName());
        assertEquals("relu", new Relu().typeName());
        assertEquals("leaky_relu", new LayerSpec.LeakyRelu(0.2).typeName());
        assertEquals("tanh", new Tanh().typeName());
        assertEquals("sigmoid", new LayerSpec.Sigmoid().typeName());
        assertEquals("softmax", new LayerSpec.Softmax().typeName());
        assertEquals("dropout", new LayerSpec.Dropout(0.5).typeName());
    }

    @Test
    void outputWithoutANodeIsRejected() {
        assertThrows(
                NullPointerException.class,
                () -> NetworkSpec.builder().output(NetworkSpec.OUT_IMAGE).build());
    }

    @Test
    void specIsImmutable() {
        List<Node> nodes = new ArrayList<>(TinySpecs.generator().nodes());
        NetworkSpec n = new NetworkSpec(nodes, Map.of("image", "reshape"));
        nodes.clear();
        assertEquals(3, n.nodes().size());
        assertThrows(UnsupportedOperationException.class, () -> n.nodes().clear());
        assertThrows(UnsupportedOperationException.class, () -> n.outputs().clear());
        List<Integer> target = new ArrayList<>(List.of(2, 2));
        LayerSpec.Reshape r = new LayerSpec.Reshape(target);
        target.add(5);
        assertEquals(List.of(2, 2), r.targetShape());
    }
}
