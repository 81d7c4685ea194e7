package dev.acgan.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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
 * The exported TensorFlow.js generator computes what the backends' generators compute: for every preset, a
 * checkpoint made by a few training steps on each of the TensorFlow, ND4J and PyTorch backends is written, read back
 * and exported with {@code --format tfjs}; {@code src/test/node/generate.js} loads it with {@code
 * tf.loadLayersModel} of {@code @tensorflow/tfjs} 4.22.0 under Node.js and generates ten images (one per class) fed
 * as the TF.js ACGAN example's page feeds its generator; they must match the images of the generator of the backend
 * that trained it, element by element within the TCK's output tolerance ({@link ParityTolerances#OUTPUT_RTOL}
 * relative plus {@link ParityTolerances#OUTPUT_ATOL} absolute). Skipped with the reason where Node.js or npm is
 * missing, failed instead under {@code CI=true} ({@link TfjsNode}).
 */
class TfjsExportParityTest {

    private static final int IMAGES = 10;
    /** Where the strips of generated images are kept, to look at. */
    private static final Path IMAGES_DIR = Path.of("target", "tfjs-node", "images");

    @TempDir
    Path tmp;

    static Stream<Arguments> presetsAndBackends() {
        return Stream.of("tensorflow", "nd4j", "pytorch")
                .flatMap(b -> Presets.names().stream().map(p -> Arguments.of(p, b)));
    }

    @ParameterizedTest(name = "{0} trained on {1}")
    @MethodSource("presetsAndBackends")
    void exportedGeneratorMatchesTheBackend(String preset, String backendName) throws Exception {
        TfjsNode.require();
        GanBackend backend = Backends.discover().select(backendName);
        ModelSpec spec = Presets.byName(preset);
        Path checkpointDir = tmp.resolve("checkpoint");
        TrainingConfig config =
                TrainingConfig.defaults().withBatchSize(8).withMaxSteps(2).withSeed(11);
        try (GanTrainer trainer = GanTrainer.create(backend, spec, config, Datasets.embeddedMnist())) {
            trainer.run();
            trainer.checkpoint().write(checkpointDir);
        }
        Path out = tmp.resolve("tfjs");
        Exporter.Result result = Exporter.export(checkpointDir, ExportFormat.TFJS, out, false);
        assertEquals(out.resolve(TfjsExporter.MODEL_FILE), result.model());
        List<String> files = names(out);
        assertEquals(
                List.of(Exporter.DESCRIPTION_FILE, "group1-shard1of" + (files.size() - 2) + ".bin"),
                files.subList(0, 2),
                "files: " + files);
        assertTrue(files.contains(TfjsExporter.MODEL_FILE), "files: " + files);
        long bytes = 0;
        for (String f : files) {
            if (!f.equals(Exporter.DESCRIPTION_FILE)) {
                bytes += Files.size(out.resolve(f));
            }
        }
        assertEquals(result.modelBytes(), bytes, "model.json and the shards");

        Checkpoint checkpoint = Checkpoint.read(checkpointDir);
        Path png = IMAGES_DIR.resolve(preset + "-" + backendName + ".png");
        Files.createDirectories(IMAGES_DIR);
        double maxDiff = compare(backend, spec, checkpoint.tensors(), out, png);
        System.out.printf(
                Locale.ROOT,
                "%s trained on %s: tfjs model.json %d bytes, weights %d bytes in %d shard(s), max |tfjs - %s| ="
                        + " %.3g%n",
                preset,
                backendName,
                Files.size(result.model()),
                result.modelBytes() - Files.size(result.model()),
                files.size() - 2,
                backendName,
                maxDiff);
    }

    /**
     * BatchNorm with statistics far from their initial 0 and 1: random moving means and variances, gammas and betas,
     * so a wrong epsilon or a swapped statistic shows. Compared with the TCK's float64 oracle.
     */
    @Test
    void batchNormStatisticsAreTheCheckpoints() throws Exception {
        TfjsNode.require();
        for (String preset : new String[] {Presets.ACGAN_HQ, Presets.CGAN_MNIST}) {
            ModelSpec spec = Presets.byName(preset);
            NamedTensors named = ExportChecks.randomGeneratorWeights(spec, 3);
            Path out = tmp.resolve(preset);
            Files.createDirectories(out);
            for (Map.Entry<String, byte[]> f :
                    TfjsExporter.generator(spec, named).entrySet()) {
                Files.write(out.resolve(f.getKey()), f.getValue());
            }
            double maxDiff = compare(new ReferenceBackend(), spec, named, out, null);
            System.out.printf(Locale.ROOT, "%s with random BatchNorm statistics: max diff %.3g%n", preset, maxDiff);
        }
    }

    /** The model.json: the format tf.loadLayersModel expects, the inputs the TF.js example's page feeds. */
    @Test
    void modelJsonIsALayersModelWithTheExamplesInputs() throws Exception {
        ModelSpec spec = Presets.byName(Presets.ACGAN_MNIST);
        NamedTensors weights = zeros(spec);
        Map<String, byte[]> files = TfjsExporter.generator(spec, weights);
        // 10.6 MB of weights: three shards of at most 4 MiB, as the TF.js converter writes them.
        assertEquals(
                List.of(
                        TfjsExporter.MODEL_FILE,
                        "group1-shard1of3.bin",
                        "group1-shard2of3.bin",
                        "group1-shard3of3.bin"),
                List.copyOf(files.keySet()));
        long total = files.values().stream().mapToLong(b -> b.length).sum() - files.get(TfjsExporter.MODEL_FILE).length;
        assertEquals(weights.totalValues() * Float.BYTES, total);
        JsonNode json = new ObjectMapper().readTree(files.get(TfjsExporter.MODEL_FILE));
        assertEquals("layers-model", json.get("format").asText());
        JsonNode config = json.get("modelTopology").get("config");
        assertEquals("Model", json.get("modelTopology").get("class_name").asText());
        assertEquals("noise", config.get("input_layers").get(0).get(0).asText());
        assertEquals("label", config.get("input_layers").get(1).get(0).asText());
        JsonNode label = config.get("layers").get(1).get("config");
        assertEquals("[null,1]", label.get("batch_input_shape").toString());
        assertEquals("float32", label.get("dtype").asText());
        assertEquals(
                spec.numClasses(),
                json.get("userDefinedMetadata").get("acgan").get("classes").asInt());
    }

    @Test
    void onlyTheGeneratorExportsAsTfjs() throws Exception {
        ModelSpec spec = Presets.byName(Presets.ACGAN_FAST);
        Path checkpointDir = tmp.resolve("checkpoint");
        try (GanTrainer trainer = GanTrainer.create(
                Backends.discover().select("tensorflow"),
                spec,
                TrainingConfig.defaults().withBatchSize(2).withMaxSteps(1).withSeed(1),
                Datasets.embeddedMnist())) {
            trainer.checkpoint().write(checkpointDir);
        }
        ExportException e = assertThrows(
                ExportException.class,
                () -> Exporter.export(
                        checkpointDir, ExportFormat.TFJS, Exporter.Network.DISCRIMINATOR, tmp.resolve("d"), false));
        assertEquals("--format tfjs exports the generator only; export the discriminator as onnx", e.getMessage());
        assertFalse(Files.exists(tmp.resolve("d")));

        // A non-empty target needs force; with it, the directory is replaced as a whole, nothing left beside it.
        Path out = Files.createDirectories(tmp.resolve("web"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        ExportException notEmpty = assertThrows(
                ExportException.class, () -> Exporter.export(checkpointDir, ExportFormat.TFJS, out, false));
        assertEquals(out + " exists and is not empty (use --force to replace it)", notEmpty.getMessage());
        assertEquals(List.of("keep.txt"), names(out));
        Exporter.export(checkpointDir, ExportFormat.TFJS, out, true);
        assertEquals(List.of("export.json", "group1-shard1of1.bin", "model.json"), names(out));
        assertEquals(List.of("checkpoint", "web"), names(tmp));
        JsonNode description = new ObjectMapper()
                .readTree(out.resolve(Exporter.DESCRIPTION_FILE).toFile());
        assertEquals("tfjs", description.get("format").asText());
        assertEquals("model.json", description.get("model").asText());
        assertEquals("[\"group1-shard1of1.bin\"]", description.get("weights").toString());
        assertEquals("[\"N\",1]", description.get("inputs").get(1).get("shape").toString());

        // A damaged checkpoint: one clear error naming the file, nothing written.
        Path damaged = Files.createDirectories(tmp.resolve("damaged"));
        for (String f : names(checkpointDir)) {
            Files.copy(checkpointDir.resolve(f), damaged.resolve(f));
        }
        byte[] tensors = Files.readAllBytes(damaged.resolve(Checkpoint.TENSORS_FILE));
        tensors[tensors.length - 5] ^= 0x55;
        Files.write(damaged.resolve(Checkpoint.TENSORS_FILE), tensors);
        ExportException broken = assertThrows(
                ExportException.class,
                () -> Exporter.export(damaged, ExportFormat.TFJS, tmp.resolve("from-damaged"), false));
        assertTrue(broken.getMessage().contains(Checkpoint.TENSORS_FILE), broken.getMessage());
        assertEquals(List.of("checkpoint", "damaged", "web"), names(tmp));
    }

    /** Exports go through files; compares the images and returns the largest absolute difference. */
    private static double compare(GanBackend backend, ModelSpec spec, NamedTensors weights, Path modelDir, Path png)
            throws Exception {
        Tensor noise = NoiseSampler.sample(spec, IMAGES, new SplittableRandom(5));
        int[] labels = null;
        if (spec.kind().conditionalGenerator()) {
            labels = new int[IMAGES];
            for (int i = 0; i < IMAGES; i++) {
                labels[i] = i % spec.numClasses();
            }
        }
        ImageBatch expected;
        try (Generator g = backend.loadGenerator(spec, weights)) {
            expected = g.generate(noise, labels);
        }
        Tensor actual = TfjsNode.generate(modelDir, noise, labels, png);
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
                "tfjs",
                actual.data(),
                expected.toLayout(Layout.NHWC).pixels());
    }

    private static NamedTensors zeros(ModelSpec spec) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (ParameterSpec p : spec.validate().generator().parameters()) {
            weights.put(p.name(), Tensor.zeros(p.shape()));
        }
        return new NamedTensors(weights);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
