package dev.acgan.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.model.DiscriminatorOutput;
import dev.acgan.api.model.Generator;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.Layout;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.NoiseSampler;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.tck.ParityTolerances;
import dev.acgan.tck.oracle.ReferenceBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exported ONNX generator computes what the backends' generators compute: for every preset, a checkpoint made
 * by a few training steps on each of the TensorFlow, ND4J and PyTorch backends is written, read back and exported;
 * ONNX Runtime's images for ten noise vectors (one per class) must match the images of the generator of the
 * backend that trained it, element by element within the TCK's output tolerance
 * ({@link ParityTolerances#OUTPUT_RTOL} relative plus {@link ParityTolerances#OUTPUT_ATOL} absolute).
 */
class OnnxExportParityTest {

    private static final int IMAGES = 10;

    @TempDir
    Path tmp;

    static Stream<Arguments> presetsAndBackends() {
        return Stream.of("tensorflow", "nd4j", "pytorch")
                .flatMap(b -> Presets.names().stream().map(p -> Arguments.of(p, b)));
    }

    @ParameterizedTest(name = "{0} trained on {1}")
    @MethodSource("presetsAndBackends")
    void exportedGeneratorMatchesTheBackend(String preset, String backendName) throws Exception {
        GanBackend backend = Backends.discover().select(backendName);
        ModelSpec spec = Presets.byName(preset);
        Path checkpointDir = tmp.resolve("checkpoint");
        TrainingConfig config =
                TrainingConfig.defaults().withBatchSize(8).withMaxSteps(2).withSeed(11);
        Tensor images;
        int[] labels = labels(spec);
        DiscriminatorOutput judged;
        try (GanTrainer trainer = GanTrainer.create(backend, spec, config, Datasets.embeddedMnist())) {
            trainer.run();
            trainer.checkpoint().write(checkpointDir);
            // The discriminator as the backend computes it, on the generator's images for the same noise.
            ImageBatch generated = trainer.model().generator().generate(noise(spec), labels);
            images = generated.toLayout(Layout.NHWC).asTensor();
            judged = trainer.model().discriminator().discriminate(generated);
        }
        Path out = tmp.resolve("export");
        Exporter.Result result = Exporter.export(checkpointDir, ExportFormat.ONNX, out, false);
        assertTrue(Files.isRegularFile(out.resolve(OnnxExporter.MODEL_FILE)));
        assertTrue(Files.isRegularFile(out.resolve(Exporter.DESCRIPTION_FILE)));
        byte[] model = Files.readAllBytes(result.model());
        assertEquals(result.modelBytes(), model.length);

        Checkpoint checkpoint = Checkpoint.read(checkpointDir);
        double maxDiff = compare(backend, spec, checkpoint.tensors(), model);

        Path dOut = tmp.resolve("export-d");
        Exporter.Result d =
                Exporter.export(checkpointDir, ExportFormat.ONNX, Exporter.Network.DISCRIMINATOR, dOut, false);
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put(OnnxExporter.INPUT_IMAGE, images);
        if (spec.kind().conditionalDiscriminator()) {
            inputs.put(OnnxExporter.INPUT_LABEL, labels);
        }
        Map<String, Tensor> onnx = OnnxRuntimeRunner.run(Files.readAllBytes(d.model()), inputs);
        assertArrayEquals(
                new int[] {IMAGES, 1}, onnx.get(OnnxExporter.OUTPUT_VALIDITY).shape());
        double maxDiffD = ExportChecks.assertWithinOutputTolerance(
                spec.name() + " on " + backendName + ": validity",
                "onnx",
                onnx.get(OnnxExporter.OUTPUT_VALIDITY).data(),
                judged.validity());
        if (spec.kind().auxiliaryClassifier()) {
            assertArrayEquals(
                    new int[] {IMAGES, spec.numClasses()},
                    onnx.get(OnnxExporter.OUTPUT_CLASS).shape());
            maxDiffD = Math.max(
                    maxDiffD,
                    ExportChecks.assertWithinOutputTolerance(
                            spec.name() + " on " + backendName + ": class",
                            "onnx",
                            onnx.get(OnnxExporter.OUTPUT_CLASS).data(),
                            judged.classProbabilities()));
        } else {
            assertEquals(1, onnx.size(), "outputs of a discriminator without a class head");
        }
        System.out.printf(
                Locale.ROOT,
                "%s trained on %s: generator.onnx %d bytes, max |onnx - %s| = %.3g; discriminator.onnx %d bytes,"
                        + " max diff %.3g%n",
                preset,
                backendName,
                model.length,
                backendName,
                maxDiff,
                d.modelBytes(),
                maxDiffD);
    }

    @Test
    void generatorExportHasNoDiscriminator() throws Exception {
        ModelSpec spec = Presets.byName(Presets.ACGAN_FAST);
        Path checkpointDir = tmp.resolve("checkpoint");
        try (GanTrainer trainer = GanTrainer.create(
                Backends.discover().select("tensorflow"),
                spec,
                TrainingConfig.defaults().withBatchSize(2).withMaxSteps(1).withSeed(1),
                Datasets.embeddedMnist())) {
            trainer.checkpoint().generatorOnly().write(checkpointDir);
        }
        ExportException e = assertThrows(
                ExportException.class,
                () -> Exporter.export(
                        checkpointDir, ExportFormat.ONNX, Exporter.Network.DISCRIMINATOR, tmp.resolve("d"), false));
        assertTrue(e.getMessage().contains("holds no discriminator"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("d")));
    }

    /**
     * BatchNorm with statistics far from their initial 0 and 1 (a few training steps barely move them): random
     * moving means and variances, gammas and betas, so a wrong epsilon, a swapped statistic or a missed one shows.
     * Compared with the TCK's float64 oracle, which the backends are held to with the same tolerance.
     */
    @Test
    void batchNormStatisticsAreTheCheckpoints() throws Exception {
        GanBackend backend = new ReferenceBackend();
        for (String preset : new String[] {Presets.ACGAN_FAST, Presets.CGAN_MNIST}) {
            ModelSpec spec = Presets.byName(preset);
            NamedTensors named = ExportChecks.randomGeneratorWeights(spec, 3);
            double maxDiff = compare(backend, spec, named, OnnxExporter.generator(spec, named));
            System.out.printf(Locale.ROOT, "%s with random BatchNorm statistics: max diff %.3g%n", preset, maxDiff);
        }
    }

    /** Compares the images and returns the largest absolute difference. */
    static double compare(GanBackend backend, ModelSpec spec, NamedTensors weights, byte[] model) throws Exception {
        Tensor noise = noise(spec);
        int[] labels = labels(spec);
        ImageBatch expected;
        try (Generator g = backend.loadGenerator(spec, weights)) {
            expected = g.generate(noise, labels);
        }
        Tensor actual = OnnxRuntimeRunner.generate(model, noise, labels);
        assertArrayEquals(
                new int[] {
                    IMAGES,
                    spec.image().height(),
                    spec.image().width(),
                    spec.image().channels()
                },
                actual.shape(),
                "output shape (NHWC)");
        return ExportChecks.assertWithinOutputTolerance(
                spec.name() + " on " + backend.name() + ": image",
                "onnx",
                actual.data(),
                expected.toLayout(Layout.NHWC).pixels());
    }

    private static Tensor noise(ModelSpec spec) {
        return NoiseSampler.sample(spec, IMAGES, new SplittableRandom(5));
    }

    /** One label per class in turn, or null for an unconditional model. */
    private static int[] labels(ModelSpec spec) {
        if (!spec.kind().conditionalGenerator()) {
            return null;
        }
        int[] labels = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            labels[i] = i % spec.numClasses();
        }
        return labels;
    }
}
