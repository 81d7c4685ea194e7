package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.export.Exporter;
import dev.acgan.export.OnnxExporter;
import dev.acgan.export.WebPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code acgan export --format web}: the page, the runtime and the model in one directory, and the refusals (a
 * non-empty directory without --force, a damaged checkpoint, a network or classifier the page cannot show), each one
 * line on stderr, exit code 1 and nothing written. The page itself runs in {@code BrowserExportTest}.
 */
class WebExportCommandTest {

    @TempDir
    static Path shared;

    private static Path run;

    @TempDir
    Path tmp;

    @BeforeAll
    static void train() {
        if (!WebPage.runtimeBundled()) {
            String ci = System.getenv("CI");
            if (ci != null && !ci.isBlank()) {
                fail("CI is set but acgan-export was built without onnxruntime-web (npm missing at build time)");
            }
            Assumptions.assumeTrue(false, "acgan-export was built without onnxruntime-web (no npm); skipped");
        }
        run = shared.resolve("run");
        Cli.trainTiny(run, 2);
    }

    @Test
    void writesThePageTheRuntimeAndTheModel() throws IOException {
        Path out = tmp.resolve("web");
        Cli.Result r = Cli.run("export", "--checkpoint", run.toString(), "--format", "web", "--out", out.toString())
                .expect(0);
        assertTrue(r.out().contains("Wrote " + out.resolve(OnnxExporter.MODEL_FILE) + ": WEB generator"), r.out());
        assertTrue(r.out().contains("Page " + out.resolve(WebPage.INDEX)), r.out());
        assertTrue(r.out().contains("onnxruntime-web " + WebPage.runtimeVersion()), r.out());
        List<String> expected = new ArrayList<>(WebPage.files());
        expected.add(OnnxExporter.MODEL_FILE);
        expected.add(Exporter.DESCRIPTION_FILE);
        assertEquals(expected.stream().sorted().toList(), tree(out));
        for (String f : WebPage.files()) {
            assertArrayEquals(WebPage.read(f), Files.readAllBytes(out.resolve(f)), f);
        }
        assertTrue(Files.size(out.resolve(WebPage.RUNTIME_WASM)) > 1_000_000, "the WebAssembly binary");
        Path newest = run.resolve("checkpoints")
                .resolve(Files.readString(run.resolve("checkpoints/latest")).strip());
        assertArrayEquals(
                OnnxExporter.generator(Checkpoint.read(newest)),
                Files.readAllBytes(out.resolve(OnnxExporter.MODEL_FILE)));
        JsonNode d = new ObjectMapper()
                .readTree(out.resolve(Exporter.DESCRIPTION_FILE).toFile());
        assertEquals("web", d.get("format").asText());
        assertEquals(WebPage.INDEX, d.get("page").asText());
        assertTrue(d.get("runtime").asText().startsWith("onnxruntime-web "), d.toString());
        assertEquals(List.of("web"), names(tmp), "nothing but the output directory");
    }

    @Test
    void nonEmptyOutputNeedsForceAndIsReplacedWhole() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        Cli.Result r = Cli.run("export", "--checkpoint", run.toString(), "--format", "web", "--out", out.toString())
                .expect(1);
        assertOneLine(r, "acgan export: " + out + " exists and is not empty (use --force to replace it)");
        assertEquals(List.of("keep.txt"), names(out));

        Cli.run("export", "--checkpoint", run.toString(), "--format", "web", "--out", out.toString(), "--force")
                .expect(0);
        assertFalse(Files.exists(out.resolve("keep.txt")), "replaced as a whole");
        assertTrue(Files.exists(out.resolve(WebPage.RUNTIME_WASM)));
        assertEquals(List.of("site"), names(tmp), "no temporary or old directory left beside the output");
    }

    @Test
    void damagedCheckpointIsRefusedAndNothingWritten() throws IOException {
        Path damaged = Files.createDirectories(tmp.resolve("damaged"));
        for (String f : List.of(Checkpoint.METADATA_FILE, Checkpoint.TENSORS_FILE)) {
            Files.copy(run.resolve("generator").resolve(f), damaged.resolve(f));
        }
        Path tensors = damaged.resolve(Checkpoint.TENSORS_FILE);
        byte[] bytes = Files.readAllBytes(tensors);
        Files.write(tensors, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run("export", "--checkpoint", damaged.toString(), "--format", "web", "--out", out.toString())
                .expect(1);
        String line = assertOneLine(r, "acgan export: ");
        assertTrue(line.contains(Checkpoint.TENSORS_FILE), line);
        assertEquals(List.of("damaged"), names(tmp), "nothing written");
    }

    @Test
    void theDiscriminatorAndTheClassifierAreNotPages() throws IOException {
        Path out = tmp.resolve("out");
        assertOneLine(
                Cli.run(
                                "export",
                                "--checkpoint",
                                run.toString(),
                                "--format",
                                "web",
                                "--network",
                                "discriminator",
                                "--out",
                                out.toString())
                        .expect(1),
                "acgan export: format web exports the generator");
        assertOneLine(
                Cli.run("export", "--classifier", "mnist", "--format", "web", "--out", out.toString())
                        .expect(1),
                "acgan export: format web exports a generator");
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

    /** Files under a directory, as relative paths with '/'. */
    private static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }
}
