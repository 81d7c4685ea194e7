package dev.acgan.api.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acgan.api.spec.LayerSpec.Flatten;
import dev.acgan.api.spec.LayerSpec.UpSampling2D;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The nearest-neighbour up-sampling layer: shapes, checks, JSON and FLOP count. */
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
    }

    @Test
    void upSamplingCostsNoFlops() {
        FlopCounter.LayerFlops up = FlopCounter.layers(infer(UpSampling2D.of())).get(0);
        assertEquals("up_sampling2d", up.type());
        assertEquals(0, up.forwardFlops());
        assertEquals(0, up.elementwiseFlops());
    }
}
