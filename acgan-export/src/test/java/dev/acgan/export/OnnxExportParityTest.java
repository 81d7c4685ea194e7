package dev.acgan.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.model.Generator;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.ParameterSpec;
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
 * by a few training steps on the TensorFlow backend and on the ND4J backend is written, read back and exported;
 * ONNX Runtime's images for ten noise vectors (one per class) must match the images of the generator of the
 * backend that trained it, element by element within the TCK's output tolerance
 * ({@link ParityTolerances#OUTPUT_RTOL} relative plus {@link ParityTolerances#OUTPUT_ATOL} absolute).
 */
class OnnxExportParityTest {

    private static final int IMAGES = 10;

    @TempDir
    Path tmp;

    static Stream<Arguments> presetsAndBackends() {
        return Stream.of("tensorflow", "nd4j")
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
        try (GanTrainer trainer = GanTrainer.create(backend, spec, config, Datasets.embeddedMnist())) {
            trainer.run();
            trainer.checkpoint().write(checkpointDir);
        }
        Path out = tmp.resolve("export");
        Exporter.Result result = Exporter.export(checkpointDir, ExportFormat.ONNX, out, false);
        assertTrue(Files.isRegularFile(out.resolve(OnnxExporter.MODEL_FILE)));
        assertTrue(Files.isRegularFile(out.resolve(Exporter.DESCRIPTION_FILE)));
        byte[] model = Files.readAllBytes(result.model());
        assertEquals(result.modelBytes(), model.length);

        Checkpoint checkpoint = Checkpoint.read(checkpointDir);
        double maxDiff = compare(backend, spec, checkpoint.tensors(), model);
        System.out.printf(
                Locale.ROOT,
                "%s trained on %s: ONNX model %d bytes, max |onnx - %s| = %.3g%n",
                preset,
                backendName,
                model.length,
                backendName,
                maxDiff);
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
            SplittableRandom rnd = new SplittableRandom(3);
            Map<String, Tensor> weights = new LinkedHashMap<>();
            for (ParameterSpec p : spec.validate().generator().parameters()) {
                float[] data = new float[p.size()];
                double scale = p.shape().length == 1 ? 1 : Math.sqrt(2.0 / p.shape()[p.shape().length - 2]);
                for (int i = 0; i < data.length; i++) {
                    data[i] = p.name().endsWith("moving_variance")
                            ? (float) (0.05 + rnd.nextDouble() * 2)
                            : (float) (rnd.nextDouble(-1, 1) * scale);
                }
                weights.put(p.name(), new Tensor(p.shape(), data));
            }
            NamedTensors named = new NamedTensors(weights);
            double maxDiff = compare(backend, spec, named, OnnxExporter.generator(spec, named));
            System.out.printf(Locale.ROOT, "%s with random BatchNorm statistics: max diff %.3g%n", preset, maxDiff);
        }
    }

    /** Compares the images and returns the largest absolute difference. */
    static double compare(GanBackend backend, ModelSpec spec, NamedTensors weights, byte[] model) throws Exception {
        Tensor noise = NoiseSampler.sample(spec, IMAGES, new SplittableRandom(5));
        int[] labels = spec.kind().conditionalGenerator() ? new int[IMAGES] : null;
        if (labels != null) {
            for (int i = 0; i < IMAGES; i++) {
                labels[i] = i % spec.numClasses();
            }
        }
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
        float[] e = expected.toLayout(Layout.NHWC).pixels();
        float[] a = actual.data();
        double max = 0;
        for (int i = 0; i < e.length; i++) {
            double diff = Math.abs(a[i] - e[i]);
            max = Math.max(max, diff);
            double allowed = ParityTolerances.OUTPUT_RTOL * Math.abs(e[i]) + ParityTolerances.OUTPUT_ATOL;
            if (diff > allowed) {
                throw new AssertionError(String.format(
                        Locale.ROOT,
                        "%s on %s: pixel %d differs by %.3g (onnx %.7f, backend %.7f), allowed %.3g",
                        spec.name(),
                        backend.name(),
                        i,
                        diff,
                        a[i],
                        e[i],
                        allowed));
            }
        }
        return max;
    }
}
