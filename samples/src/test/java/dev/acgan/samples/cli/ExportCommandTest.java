package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.export.OnnxExporter;
import dev.acgan.export.TfjsExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code acgan export}: a run's generator as ONNX, and the refusals (unsupported format, damaged checkpoint, a
 * directory that is not a checkpoint, a non-empty output directory without --force), each one line on stderr,
 * exit code 1 and nothing written. The exported model's numbers are checked in acgan-export
 * ({@code OnnxExportParityTest}).
 */
class ExportCommandTest {

    @TempDir
    static Path shared;

    private static Path run;

    @TempDir
    Path tmp;

    @BeforeAll
    static void train() {
        run = shared.resolve("run");
        Cli.trainTiny(run, 2);
    }

    @Test
    void exportsTheNewestCheckpointsGenerator() throws IOException {
        Path out = tmp.resolve("onnx");
        Cli.Result r = Cli.run("export", "--checkpoint", run.toString(), "--format", "onnx", "--out", out.toString())
                .expect(0);
        Path model = out.resolve(OnnxExporter.MODEL_FILE);
        assertTrue(r.out().contains("Wrote " + model), r.out());
        assertTrue(r.out().contains("NHWC"), r.out());
        // The bytes the Java API gives for the same checkpoint: the command adds nothing of its own.
        Path newest = run.resolve("checkpoints")
                .resolve(Files.readString(run.resolve("checkpoints/latest")).strip());
        assertArrayEquals(OnnxExporter.generator(Checkpoint.read(newest)), Files.readAllBytes(model));
        JsonNode description =
                new ObjectMapper().readTree(out.resolve("export.json").toFile());
        assertEquals("onnx", description.get("format").asText());
        assertEquals(OnnxExporter.OPSET, description.get("opset").asInt());
        assertEquals("NHWC", description.get("outputs").get(0).get("layout").asText());
        assertEquals(List.of("onnx"), names(tmp));
    }

    @Test
    void exportsTheDiscriminatorOfATrainingCheckpoint() throws IOException {
        Path out = tmp.resolve("d");
        Cli.Result r = Cli.run(
                        "export", "--checkpoint", run.toString(), "--network", "discriminator", "--out", out.toString())
                .expect(0);
        assertTrue(r.out().contains("outputs validity [N, 1], class [N, 10]"), r.out());
        assertEquals(List.of(OnnxExporter.DISCRIMINATOR_FILE, "export.json"), names(out));

        Path refused = tmp.resolve("refused");
        Cli.Result g = Cli.run(
                        "export",
                        "--checkpoint",
                        run.resolve("generator").toString(),
                        "--network",
                        "discriminator",
                        "--out",
                        refused.toString())
                .expect(1);
        String line = assertOneLine(g, "acgan export: the checkpoint holds no discriminator");
        assertTrue(line.contains("GENERATOR"), line);
        assertFalse(Files.exists(refused));
    }

    @Test
    void exportsTheBuiltInClassifier() throws IOException {
        Path out = tmp.resolve("lenet");
        Cli.Result r = Cli.run("export", "--classifier", "mnist", "--out", out.toString())
                .expect(0);
        assertTrue(r.out().contains("ONNX classifier lenet"), r.out());
        assertEquals(List.of(OnnxExporter.CLASSIFIER_FILE, "export.json"), names(out));
        JsonNode description =
                new ObjectMapper().readTree(out.resolve("export.json").toFile());
        assertEquals("classifier", description.get("network").asText());

        assertOneLine(
                Cli.run("export", "--out", tmp.resolve("none").toString()).expect(2),
                "acgan export: give either --checkpoint DIR or --classifier NAME|FILE");
        assertOneLine(
                Cli.run(
                                "export",
                                "--checkpoint",
                                run.toString(),
                                "--classifier",
                                "mnist",
                                "--out",
                                tmp.resolve("both").toString())
                        .expect(2),
                "acgan export: give either --checkpoint DIR or --classifier NAME|FILE");
        assertFalse(Files.exists(tmp.resolve("none")));
        assertFalse(Files.exists(tmp.resolve("both")));
    }

    @Test
    void unsupportedFormatIsOneLineAndWritesNothing() {
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run("export", "--checkpoint", run.toString(), "--format", "tflite", "--out", out.toString())
                .expect(1);
        assertOneLine(r, "acgan export: --format: unsupported export format 'tflite'; supported: [onnx, tfjs, web]");
        assertFalse(Files.exists(out));
    }

    @Test
    void exportsTheGeneratorAsTfjs() throws IOException {
        Path out = tmp.resolve("tfjs");
        Cli.Result r = Cli.run("export", "--checkpoint", run.toString(), "--format", "tfjs", "--out", out.toString())
                .expect(0);
        Path model = out.resolve(TfjsExporter.MODEL_FILE);
        assertTrue(r.out().contains("Wrote " + model + ": TFJS generator"), r.out());
        assertTrue(r.out().contains("label [N, 1] float32 (class index)"), r.out());
        assertEquals(List.of("export.json", "group1-shard1of1.bin", TfjsExporter.MODEL_FILE), names(out));
        // The files the Java API gives for the same checkpoint: the command adds nothing of its own.
        Path newest = run.resolve("checkpoints")
                .resolve(Files.readString(run.resolve("checkpoints/latest")).strip());
        for (Map.Entry<String, byte[]> f :
                TfjsExporter.generator(Checkpoint.read(newest)).entrySet()) {
            assertArrayEquals(f.getValue(), Files.readAllBytes(out.resolve(f.getKey())), f.getKey());
        }
        JsonNode description =
                new ObjectMapper().readTree(out.resolve("export.json").toFile());
        assertEquals("tfjs", description.get("format").asText());

        Path refused = tmp.resolve("refused");
        assertOneLine(
                Cli.run(
                                "export",
                                "--checkpoint",
                                run.toString(),
                                "--format",
                                "tfjs",
                                "--network",
                                "discriminator",
                                "--out",
                                refused.toString())
                        .expect(1),
                "acgan export: --format tfjs exports the generator only; export the discriminator as onnx");
        assertOneLine(
                Cli.run("export", "--classifier", "mnist", "--format", "tfjs", "--out", refused.toString())
                        .expect(1),
                "acgan export: --format tfjs exports generators only; export the classifier as onnx");
        assertFalse(Files.exists(refused));
    }

    @Test
    void nonEmptyOutputNeedsForce() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        Cli.Result r = Cli.run("export", "--checkpoint", run.toString(), "--out", out.toString())
                .expect(1);
        assertOneLine(r, "acgan export: " + out + " exists and is not empty (use --force to replace it)");
        assertEquals(List.of("keep.txt"), names(out));

        Cli.run("export", "--checkpoint", run.toString(), "--out", out.toString(), "--force")
                .expect(0);
        assertEquals(List.of("export.json", OnnxExporter.MODEL_FILE), names(out));
        assertEquals(List.of("out"), names(tmp), "no temporary or old directory left beside the output");
    }

    @Test
    void emptyOutputDirectoryIsUsed() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("empty"));
        Cli.run("export", "--checkpoint", run.resolve("generator").toString(), "--out", out.toString())
                .expect(0);
        assertEquals(List.of("export.json", OnnxExporter.MODEL_FILE), names(out));
    }

    @Test
    void damagedCheckpointIsRefused() throws IOException {
        Path damaged = tmp.resolve("damaged");
        Files.createDirectories(damaged);
        Path generator = run.resolve("generator");
        for (String f : List.of(Checkpoint.METADATA_FILE, Checkpoint.TENSORS_FILE)) {
            Files.copy(generator.resolve(f), damaged.resolve(f));
        }
        byte[] tensors = Files.readAllBytes(damaged.resolve(Checkpoint.TENSORS_FILE));
        tensors[tensors.length - 5] ^= 0x55;
        Files.write(damaged.resolve(Checkpoint.TENSORS_FILE), tensors);
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run("export", "--checkpoint", damaged.toString(), "--out", out.toString())
                .expect(1);
        String line = assertOneLine(r, "acgan export: ");
        assertTrue(line.contains(Checkpoint.TENSORS_FILE), line);
        assertFalse(Files.exists(out));
    }

    @Test
    void directoryThatIsNoCheckpointIsRefused() throws IOException {
        Path notACheckpoint = Files.createDirectories(tmp.resolve("classifier"));
        Files.writeString(notACheckpoint.resolve("weights.safetensors"), "not a generator");
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run("export", "--checkpoint", notACheckpoint.toString(), "--out", out.toString())
                .expect(1);
        String line = assertOneLine(r, "acgan export: ");
        assertTrue(line.contains("is neither a checkpoint directory"), line);
        assertFalse(Files.exists(out));
    }

    private static String assertOneLine(Cli.Result r, String prefix) {
        assertEquals(1, r.errLines().size(), () -> "one line on stderr, got:\n" + r.err());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith(prefix), () -> "expected '" + prefix + "...', got: " + line);
        assertFalse(r.err().contains("\tat "), "no stack trace");
        return line;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
