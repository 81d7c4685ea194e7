package dev.acgan.api.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.ClassifierPresets;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.ParameterInitializer;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spec.TinySpecs;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateNamesTest {

    private static final InferredModel TINY = TinySpecs.gan().validate();

    @Test
    void fullStateNamesInCanonicalOrder() {
        assertEquals(
                List.of(
                        "generator/dense/kernel",
                        "generator/dense/bias",
                        "discriminator/dense/kernel",
                        "discriminator/dense/bias",
                        "adam/m/generator/dense/kernel",
                        "adam/m/generator/dense/bias",
                        "adam/m/discriminator/dense/kernel",
                        "adam/m/discriminator/dense/bias",
                        "adam/v/generator/dense/kernel",
                        "adam/v/generator/dense/bias",
                        "adam/v/discriminator/dense/kernel",
                        "adam/v/discriminator/dense/bias",
                        "adam/iterations/generator",
                        "adam/iterations/discriminator"),
                List.copyOf(StateNames.fullStateShapes(TINY).keySet()));
        assertArrayEquals(new int[] {3, 4}, StateNames.fullStateShapes(TINY).get("adam/v/generator/dense/kernel"));
        assertArrayEquals(new int[0], StateNames.fullStateShapes(TINY).get(StateNames.ITERATIONS_GENERATOR));
    }

    @Test
    void classifierStateHasItsOwnCounter() {
        InferredNetwork lenet = ClassifierPresets.lenet(ImageShape.mnist(), 10).validate();
        List<String> names = List.copyOf(StateNames.fullStateShapes(lenet).keySet());
        assertEquals(10 * 3 + 1, names.size());
        assertEquals("classifier/conv1/kernel", names.get(0));
        assertEquals("adam/m/classifier/conv1/kernel", names.get(10));
        assertEquals("adam/v/classifier/logits/bias", names.get(29));
        assertEquals(StateNames.ITERATIONS_CLASSIFIER, names.get(30));
        NamedTensors full = StateNames.completeAndCheck(lenet, ParameterInitializer.initialize(lenet, 1));
        assertEquals(names, List.copyOf(full.names()));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> StateNames.completeAndCheck(lenet, full.withPrefix("adam/")));
        assertEquals("state lacks parameter 'classifier/conv1/kernel' of network classifier", e.getMessage());
    }

    @Test
    void adamMomentsExistOnlyForTrainableParameters() {
        InferredModel acgan = Presets.acgan(ImageShape.mnist(), 10, 100).validate();
        Map<String, int[]> shapes = StateNames.fullStateShapes(acgan);
        assertTrue(shapes.containsKey("adam/m/generator/bn1/gamma"));
        assertTrue(shapes.containsKey("adam/v/generator/bn1/beta"));
        assertTrue(!shapes.containsKey("adam/m/generator/bn1/moving_mean"));
        assertTrue(!shapes.containsKey("adam/v/generator/bn2/moving_variance"));
        long trainable =
                acgan.parameters().stream().filter(ParameterSpec::trainable).count();
        assertEquals(acgan.parameters().size() + 2 * trainable + 2, shapes.size());
    }

    @Test
    void completesMissingAdamEntriesWithZeros() {
        NamedTensors params = ParameterInitializer.initialize(TINY, 1);
        Tensor m = new Tensor(new int[] {4}, new float[] {1, 2, 3, 4});
        NamedTensors partial = params.merge(new NamedTensors(Map.of(
                "adam/m/generator/dense/bias", m, StateNames.ITERATIONS_GENERATOR, new Tensor(new int[0], new float[] {
                    17
                }))));
        NamedTensors full = StateNames.completeAndCheck(TINY, partial);
        assertEquals(List.copyOf(StateNames.fullStateShapes(TINY).keySet()), List.copyOf(full.names()));
        assertSame(m, full.get("adam/m/generator/dense/bias"));
        assertEquals(17f, full.get(StateNames.ITERATIONS_GENERATOR).data()[0]);
        assertEquals(Tensor.zeros(), full.get(StateNames.ITERATIONS_DISCRIMINATOR));
        assertEquals(Tensor.zeros(3, 4), full.get("adam/m/generator/dense/kernel"));
        assertEquals(Tensor.zeros(4, 1), full.get("adam/v/discriminator/dense/kernel"));
        for (String name : params.names()) {
            assertSame(params.get(name), full.get(name));
        }
        // completing a complete state changes nothing
        assertEquals(full, StateNames.completeAndCheck(TINY, full));
    }

    @Test
    void rejectsAMissingParameter() {
        NamedTensors params = ParameterInitializer.initialize(TINY, 1).filter(n -> !n.equals("generator/dense/bias"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> StateNames.completeAndCheck(TINY, params));
        assertEquals("state lacks parameter 'generator/dense/bias' of model tiny-gan", e.getMessage());
    }

    @Test
    void rejectsWrongShapes() {
        NamedTensors params = ParameterInitializer.initialize(TINY, 1);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> StateNames.completeAndCheck(
                        TINY,
                        params.merge(new NamedTensors(Map.of("discriminator/dense/kernel", Tensor.zeros(1, 4))))));
        assertEquals(
                "state tensor 'discriminator/dense/kernel' has shape [1, 4], the model expects [4, 1]", e.getMessage());
        IllegalArgumentException adam = assertThrows(
                IllegalArgumentException.class,
                () -> StateNames.completeAndCheck(
                        TINY, params.merge(new NamedTensors(Map.of("adam/v/generator/dense/bias", Tensor.zeros(5))))));
        assertEquals(
                "state tensor 'adam/v/generator/dense/bias' has shape [5], the model expects [4]", adam.getMessage());
        IllegalArgumentException counter = assertThrows(
                IllegalArgumentException.class,
                () -> StateNames.completeAndCheck(
                        TINY,
                        params.merge(new NamedTensors(Map.of(StateNames.ITERATIONS_DISCRIMINATOR, Tensor.zeros(1))))));
        assertEquals(
                "state tensor 'adam/iterations/discriminator' has shape [1], the model expects []",
                counter.getMessage());
    }

    @Test
    void rejectsUnknownNamesListingThemSorted() {
        NamedTensors params = ParameterInitializer.initialize(TINY, 1);
        NamedTensors extra = params.merge(new NamedTensors(Map.of(
                "generator/zz/kernel", Tensor.zeros(1),
                "adam/m/generator/nope", Tensor.zeros(1))));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> StateNames.completeAndCheck(TINY, extra));
        assertEquals(
                "state has tensors the model tiny-gan does not know: [adam/m/generator/nope, generator/zz/kernel]",
                e.getMessage());
        // a moment for a non-trainable statistic is unknown too
        InferredModel acgan = Presets.acgan(ImageShape.mnist(), 10, 100).validate();
        NamedTensors withStatMoment = ParameterInitializer.initialize(acgan, 1)
                .merge(new NamedTensors(Map.of("adam/m/generator/bn1/moving_mean", Tensor.zeros(192))));
        IllegalArgumentException e2 =
                assertThrows(IllegalArgumentException.class, () -> StateNames.completeAndCheck(acgan, withStatMoment));
        assertEquals(
                "state has tensors the model acgan-mnist does not know: [adam/m/generator/bn1/moving_mean]",
                e2.getMessage());
    }

    @Test
    void generatorOnlyKeepsGeneratorTensors() {
        NamedTensors full = StateNames.completeAndCheck(TINY, ParameterInitializer.initialize(TINY, 1));
        NamedTensors g = StateNames.generatorOnly(full);
        assertEquals(List.of("generator/dense/kernel", "generator/dense/bias"), new ArrayList<>(g.names()));
    }
}
