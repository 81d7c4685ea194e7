package dev.acgan.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.LayerSpec.Concat;
import dev.acgan.api.spec.LayerSpec.Conv2D;
import dev.acgan.api.spec.LayerSpec.Dense;
import dev.acgan.api.spec.LayerSpec.Embedding;
import dev.acgan.api.spec.LayerSpec.Flatten;
import dev.acgan.api.spec.LayerSpec.Multiply;
import dev.acgan.api.spec.LayerSpec.Reshape;
import dev.acgan.api.spec.LayerSpec.Sigmoid;
import dev.acgan.api.spec.LayerSpec.Tanh;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Inconsistent specs fail at {@link ModelSpec#validate()} with a {@link SpecException} whose message names
 * the network and the offending node. Each case starts from a valid spec and breaks one thing.
 */
class SpecValidationTest {

    private static final ImageShape IMG = new ImageShape(2, 2, 1);

    @Test
    void tinySpecIsValid() {
        InferredModel m = TinySpecs.gan().validate();
        assertEquals(
                List.of(
                        "generator/dense/kernel",
                        "generator/dense/bias",
                        "discriminator/dense/kernel",
                        "discriminator/dense/bias"),
                m.parameters().stream().map(ParameterSpec::name).toList());
    }

    @Test
    void unknownInput() {
        NetworkSpec d = NetworkSpec.builder()
                .add("flatten", new Flatten(), "picture")
                .then("dense", Dense.of(1))
                .then("sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        assertMessage(
                gan(TinySpecs.generator(), d),
                "discriminator node 'flatten' (flatten): unknown input 'picture'; known: [image]");
    }

    @Test
    void wrongRankIntoDense() {
        NetworkSpec d = NetworkSpec.builder()
                .add("dense", Dense.of(1), NetworkSpec.IMAGE)
                .then("sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        assertMessage(
                gan(TinySpecs.generator(), d),
                "discriminator node 'dense' (dense): expects an input of rank 1 (without batch), got [2, 2, 1]");
    }

    @Test
    void convKernelLargerThanInputWithValidPadding() {
        NetworkSpec d = NetworkSpec.builder()
                .add("conv", Conv2D.of(4, 3, 1, Padding.VALID), NetworkSpec.IMAGE)
                .then("flatten", new Flatten())
                .then("dense", Dense.of(1))
                .then("sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        assertMessage(
                gan(TinySpecs.generator(), d),
                "discriminator node 'conv' (conv2d): input size 2 is smaller than kernel 3 with 'valid' padding");
        // the same kernel with 'same' padding is fine
        NetworkSpec same = NetworkSpec.builder()
                .add("conv", Conv2D.of(4, 3, 1, Padding.SAME), NetworkSpec.IMAGE)
                .then("flatten", new Flatten())
                .then("dense", Dense.of(1))
                .then("sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        gan(TinySpecs.generator(), same).validate();
    }

    @Test
    void reshapeSizeMismatch() {
        NetworkSpec g = NetworkSpec.builder()
                .add("dense", Dense.of(4), NetworkSpec.NOISE)
                .then("tanh", new Tanh())
                .then("reshape", new Reshape(List.of(3, 2, 1)))
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        assertMessage(
                gan(g, TinySpecs.discriminator()),
                "generator node 'reshape' (reshape): cannot reshape [4] (4 values) to [3, 2, 1] (6 values)");
    }

    @Test
    void concatMismatch() {
        NetworkSpec g = NetworkSpec.builder()
                .add("a", Dense.of(4), NetworkSpec.NOISE)
                .then("a_map", new Reshape(List.of(2, 2, 1)))
                .add("b", Dense.of(9), NetworkSpec.NOISE)
                .then("b_map", new Reshape(List.of(3, 3, 1)))
                .add("concat", new Concat(), "a_map", "b_map")
                .then("tanh", new Tanh())
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        assertMessage(
                gan(g, TinySpecs.discriminator()),
                "generator node 'concat' (concat): inputs must agree on all but the last axis, got "
                        + "[[2, 2, 1], [3, 3, 1]]");
    }

    @Test
    void duplicateNodeName() {
        NetworkSpec g = NetworkSpec.builder()
                .add("dense", Dense.of(4), NetworkSpec.NOISE)
                .then("dense", new Tanh())
                .then("reshape", new Reshape(List.of(2, 2, 1)))
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        assertMessage(
                gan(g, TinySpecs.discriminator()),
                "generator node 'dense' (tanh): name already used by an earlier node or input");
        // a node may not shadow a network input either
        NetworkSpec shadow = NetworkSpec.builder()
                .add("noise", Dense.of(4), NetworkSpec.NOISE)
                .then("reshape", new Reshape(List.of(2, 2, 1)))
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        assertMessage(
                gan(shadow, TinySpecs.discriminator()),
                "generator node 'noise' (dense): name already used by an earlier node or input");
    }

    @Test
    void generatorOutputOfTheWrongImageShape() {
        ModelSpec acgan = Presets.acgan(ImageShape.mnist(), 10, 100);
        ModelSpec wrong = new ModelSpec(
                "x",
                GanKind.ACGAN,
                new ImageShape(32, 32, 1),
                10,
                100,
                NoiseDistribution.UNIFORM,
                acgan.generator(),
                acgan.discriminator());
        assertMessage(wrong, "generator output 'image' (node 'tanh') has shape [28, 28, 1], expected [32, 32, 1]");
        ModelSpec channels = new ModelSpec(
                "x",
                GanKind.ACGAN,
                new ImageShape(28, 28, 3),
                10,
                100,
                NoiseDistribution.UNIFORM,
                acgan.generator(),
                acgan.discriminator());
        assertMessage(channels, "generator output 'image' (node 'tanh') has shape [28, 28, 1], expected [28, 28, 3]");
    }

    @Test
    void acganWithoutClassOutput() {
        ModelSpec acgan = Presets.acgan(ImageShape.mnist(), 10, 100);
        NetworkSpec d =
                new NetworkSpec(acgan.discriminator().nodes(), Map.of(NetworkSpec.OUT_VALIDITY, "validity_sigmoid"));
        assertMessage(
                withNetworks(acgan, GanKind.ACGAN, acgan.generator(), d), "discriminator: missing output 'class'");
    }

    @Test
    void classOutputOnACgan() {
        ModelSpec acgan = Presets.acgan(ImageShape.mnist(), 10, 100);
        assertMessage(
                withNetworks(acgan, GanKind.CGAN, acgan.generator(), acgan.discriminator()),
                "discriminator: output 'class' is only allowed for ACGAN, this model is CGAN");
    }

    @Test
    void embeddingFedAFloatTensor() {
        NetworkSpec g = NetworkSpec.builder()
                .add("embedding", new Embedding(1, 3, Initializer.GLOROT_NORMAL), NetworkSpec.NOISE)
                .then("dense", Dense.of(4))
                .then("reshape", new Reshape(List.of(2, 2, 1)))
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        assertMessage(
                gan(g, TinySpecs.discriminator()),
                "generator node 'embedding' (embedding): input 'noise' is "
                        + "a float tensor but the layer expects an integer label");
    }

    @Test
    void integerLabelFedToAFloatLayer() {
        ModelSpec acgan = Presets.acgan(ImageShape.mnist(), 10, 100);
        List<Node> nodes = new ArrayList<>(acgan.generator().nodes());
        // feed the raw label into the multiply instead of its embedding
        nodes.set(1, new Node("multiply", new Multiply(), List.of(NetworkSpec.NOISE, NetworkSpec.LABEL)));
        NetworkSpec g = new NetworkSpec(nodes, acgan.generator().outputs());
        assertMessage(
                withNetworks(acgan, GanKind.ACGAN, g, acgan.discriminator()),
                "generator node 'multiply' (multiply): input 'label' is an integer label but the layer expects "
                        + "float values");
    }

    @Test
    void labelUsedByAnUnconditionalGenerator() {
        NetworkSpec g = NetworkSpec.builder()
                .add("embedding", new Embedding(1, 3, Initializer.GLOROT_NORMAL), NetworkSpec.LABEL)
                .add("multiply", new Multiply(), NetworkSpec.NOISE, "embedding")
                .then("dense", Dense.of(4))
                .then("reshape", new Reshape(List.of(2, 2, 1)))
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        assertMessage(
                gan(g, TinySpecs.discriminator()),
                "generator node 'embedding' (embedding): unknown input 'label'; known: [noise]");
        // the same generator is fine for a conditional model
        ModelSpec cond =
                new ModelSpec("x", GanKind.CGAN, IMG, 1, 3, NoiseDistribution.UNIFORM, g, TinySpecs.discriminator());
        cond.validate();
    }

    @Test
    void embeddingClassCountDifferentFromTheModel() {
        ModelSpec acgan = Presets.acgan(ImageShape.mnist(), 10, 100);
        List<Node> nodes = new ArrayList<>(acgan.generator().nodes());
        nodes.set(
                0, new Node("embedding", new Embedding(5, 100, Initializer.GLOROT_NORMAL), List.of(NetworkSpec.LABEL)));
        NetworkSpec g = new NetworkSpec(nodes, acgan.generator().outputs());
        assertMessage(
                withNetworks(acgan, GanKind.ACGAN, g, acgan.discriminator()),
                "generator node 'embedding': expects 5 classes but the model has 10");
        // the same for a one-hot in a CGAN discriminator
        ModelSpec cgan = Presets.cgan(ImageShape.mnist(), 10, 100);
        ModelSpec fewer = new ModelSpec(
                "x",
                GanKind.CGAN,
                ImageShape.mnist(),
                10,
                100,
                NoiseDistribution.UNIFORM,
                cgan.generator(),
                Presets.cgan(ImageShape.mnist(), 7, 100).discriminator());
        assertMessage(fewer, "discriminator node 'label_onehot': expects 7 classes but the model has 10");
    }

    @Test
    void classHeadOfTheWrongSize() {
        ModelSpec acgan = Presets.acgan(ImageShape.mnist(), 10, 100);
        ModelSpec eight = Presets.acgan(ImageShape.mnist(), 8, 100);
        assertMessage(
                withNetworks(acgan, GanKind.ACGAN, acgan.generator(), eight.discriminator()),
                "discriminator output 'class' (node 'class_softmax') has shape [8], expected [10]");
    }

    @Test
    void otherStructuralErrors() {
        // unknown output role
        NetworkSpec extraRole = new NetworkSpec(
                TinySpecs.generator().nodes(), Map.of(NetworkSpec.OUT_IMAGE, "reshape", "logits", "dense"));
        assertMessage(
                gan(extraRole, TinySpecs.discriminator()),
                "generator: unknown output role 'logits', expected one of [image]");
        // output naming a missing node
        NetworkSpec missingNode = new NetworkSpec(TinySpecs.generator().nodes(), Map.of(NetworkSpec.OUT_IMAGE, "nope"));
        assertMessage(
                gan(missingNode, TinySpecs.discriminator()), "generator: output 'image' names unknown node 'nope'");
        // empty network
        assertMessage(gan(new NetworkSpec(List.of(), Map.of()), TinySpecs.discriminator()), "generator: has no nodes");
        // multiply with one input
        NetworkSpec oneInput = NetworkSpec.builder()
                .add("m", new Multiply(), NetworkSpec.NOISE)
                .build();
        assertMessage(
                gan(oneInput, TinySpecs.discriminator()),
                "generator node 'm' (multiply): needs at least two inputs, has 1");
        // non-positive hyper-parameter
        NetworkSpec zeroUnits = NetworkSpec.builder()
                .add("dense", Dense.of(0), NetworkSpec.NOISE)
                .build();
        assertMessage(
                gan(zeroUnits, TinySpecs.discriminator()),
                "generator node 'dense' (dense): units must be " + "positive, got 0");
        // dropout rate out of range
        NetworkSpec badDropout = NetworkSpec.builder()
                .add("flatten", new Flatten(), NetworkSpec.IMAGE)
                .then("drop", new LayerSpec.Dropout(1.0))
                .then("dense", Dense.of(1))
                .then("sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        assertMessage(
                gan(TinySpecs.generator(), badDropout),
                "discriminator node 'drop' (dropout): rate must be in [0, 1), got 1.0");
        // missing validity
        NetworkSpec noValidity = new NetworkSpec(TinySpecs.discriminator().nodes(), Map.of());
        assertMessage(gan(TinySpecs.generator(), noValidity), "discriminator: missing output 'validity'");
    }

    @Test
    void nodeNamesAreRestricted() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Node("bad name", new Tanh(), List.of("x")));
        assertEquals("node name 'bad name' may use only letters, digits, '_' and '-'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Node("a/b", new Tanh(), List.of("x")));
    }

    private static ModelSpec gan(NetworkSpec g, NetworkSpec d) {
        return new ModelSpec("tiny", GanKind.GAN, IMG, 1, 3, NoiseDistribution.UNIFORM, g, d);
    }

    private static ModelSpec withNetworks(ModelSpec base, GanKind kind, NetworkSpec g, NetworkSpec d) {
        return new ModelSpec(base.name(), kind, base.image(), base.numClasses(), base.latentDim(), base.noise(), g, d);
    }

    private static void assertMessage(ModelSpec spec, String expected) {
        SpecException e = assertThrows(SpecException.class, spec::validate);
        assertEquals(expected, e.getMessage());
        assertTrue(
                e.getMessage().startsWith("generator") || e.getMessage().startsWith("discriminator"),
                "message must name the network: " + e.getMessage());
    }
}
