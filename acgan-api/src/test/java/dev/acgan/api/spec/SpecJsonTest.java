package dev.acgan.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SpecJsonTest {

    static Stream<ModelSpec> presets() {
        ImageShape rgb = new ImageShape(32, 32, 3);
        return Stream.of(
                Presets.acgan(ImageShape.mnist(), 10, 100),
                Presets.cgan(ImageShape.mnist(), 10, 100),
                Presets.ganMlp(ImageShape.mnist(), 10, 100),
                Presets.acgan(rgb, 10, 100),
                Presets.cgan(rgb, 10, 100),
                TinySpecs.gan());
    }

    @ParameterizedTest
    @MethodSource("presets")
    void roundTripGivesAnEqualSpec(ModelSpec spec) {
        String json = SpecJson.toJson(spec);
        ModelSpec back = SpecJson.fromJson(json);
        assertEquals(spec, back);
        assertEquals(spec.hashCode(), back.hashCode());
        // and serialising again gives the same text
        assertEquals(json, SpecJson.toJson(back));
        assertEquals(spec.validate().parameters(), back.validate().parameters());
    }

    @Test
    void jsonUsesTheLayerTypeNames() {
        String json = SpecJson.toJson(Presets.acgan(ImageShape.mnist(), 10, 100));
        for (String type : List.of(
                "embedding",
                "multiply",
                "dense",
                "relu",
                "reshape",
                "conv2d_transpose",
                "batch_norm",
                "tanh",
                "conv2d",
                "leaky_relu",
                "dropout",
                "flatten",
                "sigmoid",
                "softmax")) {
            assertTrue(json.contains("\"type\" : \"" + type + "\""), type);
        }
        assertTrue(json.contains("\"kind\" : \"ACGAN\""));
        assertTrue(json.contains("\"noise\" : \"UNIFORM\""));
    }

    @Test
    void outputsKeepTheirOrder() {
        // NetworkSpec documents "Copies, keeping order": the discriminator declares validity, then class.
        ModelSpec acgan = Presets.acgan(ImageShape.mnist(), 10, 100);
        assertEquals(
                List.of(NetworkSpec.OUT_VALIDITY, NetworkSpec.OUT_CLASS),
                List.copyOf(acgan.discriminator().outputs().keySet()));
        String json = SpecJson.toJson(acgan);
        assertTrue(
                json.indexOf("\"validity\" : \"validity_sigmoid\"") < json.indexOf("\"class\" : \"class_softmax\""),
                json);
    }

    @Test
    void malformedJson() {
        String json = SpecJson.toJson(TinySpecs.gan());
        SpecException e =
                assertThrows(SpecException.class, () -> SpecJson.fromJson(json.substring(0, json.length() / 2)));
        assertTrue(e.getMessage().startsWith("invalid model spec JSON: "), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).* at line \\d+, column \\d+"), e.getMessage());

        SpecException syntax = assertThrows(SpecException.class, () -> SpecJson.fromJson("{\"name\": \"x\",, }"));
        assertTrue(syntax.getMessage().startsWith("invalid model spec JSON: "), syntax.getMessage());
        assertTrue(syntax.getMessage().matches("(?s).*at line 1, column 1[45]"), syntax.getMessage());
    }

    @Test
    void unknownLayerType() {
        String json = SpecJson.toJson(TinySpecs.gan()).replace("\"type\" : \"tanh\"", "\"type\" : \"gelu\"");
        SpecException e = assertThrows(SpecException.class, () -> SpecJson.fromJson(json));
        assertTrue(e.getMessage().startsWith("invalid model spec JSON: "), e.getMessage());
        assertTrue(e.getMessage().contains("'gelu'"), e.getMessage());
        assertTrue(e.getMessage().contains("line "), e.getMessage());
    }

    @Test
    void unknownField() {
        String json = SpecJson.toJson(TinySpecs.gan())
                .replace("\"units\" : 4,", "\"units\" : 4,\n \"activation\" : \"relu\",");
        SpecException e = assertThrows(SpecException.class, () -> SpecJson.fromJson(json));
        assertTrue(e.getMessage().startsWith("invalid model spec JSON: "), e.getMessage());
        assertTrue(e.getMessage().contains("\"activation\""), e.getMessage());

        String top = SpecJson.toJson(TinySpecs.gan()).replaceFirst("\\{", "{ \"epochs\" : 3,");
        SpecException e2 = assertThrows(SpecException.class, () -> SpecJson.fromJson(top));
        assertTrue(e2.getMessage().contains("\"epochs\""), e2.getMessage());
    }

    @Test
    void nullForAPrimitiveAndBadEnumAreRejected() {
        String nul = SpecJson.toJson(TinySpecs.gan()).replace("\"latentDim\" : 3", "\"latentDim\" : null");
        assertTrue(assertThrows(SpecException.class, () -> SpecJson.fromJson(nul))
                .getMessage()
                .startsWith("invalid model spec JSON: "));
        String kind = SpecJson.toJson(TinySpecs.gan()).replace("\"kind\" : \"GAN\"", "\"kind\" : \"WGAN\"");
        SpecException e = assertThrows(SpecException.class, () -> SpecJson.fromJson(kind));
        assertTrue(e.getMessage().contains("WGAN"), e.getMessage());
    }

    @Test
    void wellFormedButInconsistentSpecFailsValidation() {
        String json = SpecJson.toJson(TinySpecs.gan()).replace("\"units\" : 4,", "\"units\" : 5,");
        assertNotEquals(SpecJson.toJson(TinySpecs.gan()), json);
        SpecException e = assertThrows(SpecException.class, () -> SpecJson.fromJson(json));
        assertEquals(
                "generator node 'reshape' (reshape): cannot reshape [5] (5 values) to [2, 2, 1] (4 values)",
                e.getMessage());
    }

    @Test
    void mapperIsACopy() {
        assertNotEquals(System.identityHashCode(SpecJson.mapper()), System.identityHashCode(SpecJson.mapper()));
    }
}
