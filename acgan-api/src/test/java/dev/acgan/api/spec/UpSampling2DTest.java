package dev.acgan.api.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acgan.api.spec.LayerSpec.Conv2D;
import dev.acgan.api.spec.LayerSpec.Conv2DTranspose;
import dev.acgan.api.spec.LayerSpec.Flatten;
import dev.acgan.api.spec.LayerSpec.UpSampling2D;
import dev.acgan.api.train.TrainingConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The nearest-neighbour up-sampling layer (shapes, checks, JSON, FLOP count) and the acgan-hq preset. */
class UpSampling2DTest {

    private static final Map<String, int[]> IN = Map.of(NetworkSpec.IMAGE, new int[] {7, 5, 3});

    private static InferredNetwork infer(LayerSpec layer) {
        return ShapeInference.infer(
                "generator",
                NetworkSpec.builder().add("up", layer, NetworkSpec.IMAGE).build(),
                IN);
    }

    @Test
    void outputSizesAreTheInputTimesTheFactors() {
        assertArrayEquals(
                new int[] {14, 10, 3}, infer(UpSampling2D.of()).node("up").outputShape());
        assertArrayEquals(
                new int[] {21, 5, 3}, infer(new UpSampling2D(3, 1)).node("up").outputShape());
        assertArrayEquals(
                new int[] {7, 5, 3}, infer(UpSampling2D.of(1)).node("up").outputShape());
        assertTrue(infer(UpSampling2D.of()).parameters().isEmpty());
        assertEquals("up_sampling2d", UpSampling2D.of().typeName());
    }

    @Test
    void badFactorsAndInputsAreRejectedNamingTheNode() {
        assertEquals(
                "generator node 'up' (up_sampling2d): factorH must be positive, got 0",
                assertThrows(SpecException.class, () -> infer(new UpSampling2D(0, 2)))
                        .getMessage());
        assertEquals(
                "generator node 'up' (up_sampling2d): factorW must be positive, got -2",
                assertThrows(SpecException.class, () -> infer(new UpSampling2D(2, -2)))
                        .getMessage());
        assertEquals(
                "generator node 'up' (up_sampling2d): size 7 times factor 400000000 is too large",
                assertThrows(SpecException.class, () -> infer(new UpSampling2D(400_000_000, 1)))
                        .getMessage());
        NetworkSpec flat = NetworkSpec.builder()
                .add("flatten", new Flatten(), NetworkSpec.IMAGE)
                .then("up", UpSampling2D.of())
                .build();
        assertEquals(
                "generator node 'up' (up_sampling2d): expects an input of rank 3 (without batch), got [105]",
                assertThrows(SpecException.class, () -> ShapeInference.infer("generator", flat, IN))
                        .getMessage());
    }

    @Test
    void jsonRoundTripAndMissingFactorsAreTwo() throws Exception {
        ObjectMapper m = SpecJson.mapper();
        String json = m.writeValueAsString(new UpSampling2D(3, 1));
        assertEquals("{\"type\":\"up_sampling2d\",\"factorH\":3,\"factorW\":1}", json.replaceAll("\\s", ""));
        assertEquals(new UpSampling2D(3, 1), m.readValue(json, LayerSpec.class));
        assertEquals(UpSampling2D.of(2), m.readValue("{\"type\":\"up_sampling2d\"}", LayerSpec.class));
        assertEquals(
                new UpSampling2D(4, 2), m.readValue("{\"type\":\"up_sampling2d\",\"factorH\":4}", LayerSpec.class));
        ModelSpec hq = Presets.byName(Presets.ACGAN_HQ);
        assertEquals(hq, m.readValue(m.writeValueAsString(hq), ModelSpec.class));
    }

    @Test
    void upSamplingCostsNoFlops() {
        FlopCounter.LayerFlops up = FlopCounter.layers(infer(UpSampling2D.of())).get(0);
        assertEquals("up_sampling2d", up.type());
        assertEquals(0, up.forwardFlops());
        assertEquals(0, up.elementwiseFlops());
    }

    @Test
    void acganHqIsAcganFastWithResizeThenConvolve() {
        ModelSpec fast = Presets.byName(Presets.ACGAN_FAST);
        ModelSpec hq = Presets.byName(Presets.ACGAN_HQ);
        assertEquals(Presets.ACGAN_HQ, hq.name());
        assertEquals(GanKind.ACGAN, hq.kind());
        assertEquals(fast.discriminator(), hq.discriminator());
        assertEquals(
                List.of(
                        "embedding",
                        "multiply",
                        "dense",
                        "reshape",
                        "bn0",
                        "relu0",
                        "up1",
                        "conv1",
                        "bn1",
                        "relu1",
                        "up2",
                        "conv2",
                        "tanh"),
                hq.generator().nodes().stream().map(Node::name).toList());
        assertTrue(hq.generator().nodes().stream().noneMatch(n -> n.layer() instanceof Conv2DTranspose));
        InferredModel model = hq.validate();
        assertArrayEquals(new int[] {14, 14, 128}, model.generator().node("up1").outputShape());
        assertArrayEquals(
                new int[] {14, 14, 64}, model.generator().node("conv1").outputShape());
        assertArrayEquals(new int[] {28, 28, 1}, model.generator().node("conv2").outputShape());
        Conv2D conv1 = (Conv2D) model.generator().node("conv1").layer();
        assertEquals(1, conv1.strideH());
        assertEquals(Padding.SAME, conv1.padding());
        // 32x32x3 works as for acgan-fast
        assertArrayEquals(
                new int[] {32, 32, 3},
                Presets.byName(Presets.ACGAN_HQ, new ImageShape(32, 32, 3), 10, 100)
                        .validate()
                        .generator()
                        .output(NetworkSpec.OUT_IMAGE)
                        .outputShape());
        // the generator's multiply-adds, by hand: Dense 100x6272, Conv 3x3 128->64 on 14x14, 3x3 64->1 on 28x28
        long macs = 100L * 6272 + 14 * 14 * 9 * 128 * 64 + 28 * 28 * 9 * 64;
        assertEquals(2 * macs, FlopCounter.forward(model.generator()));
        assertEquals(TrainingConfig.forPreset(Presets.ACGAN_FAST), TrainingConfig.forPreset(Presets.ACGAN_HQ));
        assertTrue(Presets.names().contains(Presets.ACGAN_HQ));
    }

    @Test
    void acganHqWideIsAcganHqWithATwiceAsWideDiscriminator() {
        ModelSpec hq = Presets.byName(Presets.ACGAN_HQ);
        ModelSpec wide = Presets.byName("ACGAN-HQ-WIDE");
        assertEquals(Presets.ACGAN_HQ_WIDE, wide.name());
        assertEquals(hq.generator(), wide.generator());
        InferredModel model = wide.validate();
        assertArrayEquals(
                new int[] {14, 14, 64}, model.discriminator().node("conv1").outputShape());
        assertArrayEquals(
                new int[] {7, 7, 128}, model.discriminator().node("conv2").outputShape());
        // the discriminator's multiply-adds, by hand: Conv 4x4 1->64 on 14x14, 4x4 64->128 on 7x7, two heads
        long macs = 14 * 14 * 16 * 64 + 7 * 7 * 16 * 64 * 128 + 7 * 7 * 128 * 11;
        assertEquals(2 * macs, FlopCounter.forward(model.discriminator()));
        assertEquals(TrainingConfig.forPreset(Presets.ACGAN_HQ), TrainingConfig.forPreset(Presets.ACGAN_HQ_WIDE));
    }
}
