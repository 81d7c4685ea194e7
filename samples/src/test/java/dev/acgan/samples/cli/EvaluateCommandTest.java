package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acgan.eval.classifier.Classifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code acgan evaluate} end to end on a tiny ACGAN run (batch 8, 3 steps), and {@code acgan
 * train-classifier} on a reduced recipe (256 digits, 2 epochs): the same seed writes the same bytes.
 */
class EvaluateCommandTest {

    @TempDir
    static Path tmp;

    static Path run;

    @BeforeAll
    static void train() {
        run = tmp.resolve("run");
        Cli.trainTiny(run, 3, "--model", "acgan", "--sample-every", "0", "--checkpoint-every", "0");
    }

    @Test
    void tableFromRunDirectory() {
        Cli.Result r = Cli.run("evaluate", "--checkpoint", run.toString(), "--count", "10")
                .expect(0);
        String out = r.out();
        assertTrue(out.contains("built-in mnist"), out);
        assertTrue(out.contains("step 3"), out);
        assertTrue(out.contains("on the mnist test split (2000 images)"), out);
        assertTrue(out.contains("100 generated (10 per class, seed 42)"), out);
        for (String row : new String[] {
            "conditional accuracy",
            "classifier score (max 10)",
            "FID (real: test vs train)",
            "diversity (mean per class)",
            "grid-periodic energy share",
            "checkerboard (gen / real)"
        }) {
            assertTrue(out.contains(row), row + " in\n" + out);
        }
        assertEquals(
                10,
                out.lines().filter(l -> l.matches("\\s+\\d\\s+\\d\\s+.*%.*")).count(),
                "one row per class:\n" + out);
        assertFalse(out.contains("NaN"), out);
    }

    @Test
    void jsonFromGeneratorExportHasEveryNumberInRange() throws Exception {
        Cli.Result r = Cli.run(
                        "evaluate",
                        "--checkpoint",
                        run.resolve("generator").toString(),
                        "--count",
                        "10",
                        "--seed",
                        "7",
                        "--json")
                .expect(0);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(3, j.path("checkpoint").path("step").asLong());
        assertEquals("acgan-fast", j.path("checkpoint").path("model").asText());
        assertEquals(7, j.path("seed").asLong());
        assertEquals(100, j.path("generatedImages").asInt());
        JsonNode c = j.path("classifier");
        assertEquals("mnist", c.path("dataset").asText());
        assertEquals(Classifier.builtIn("mnist").sha256(), c.path("sha256").asText());
        assertTrue(c.path("testAccuracy").asDouble() >= 0.97, c.toString());
        assertEquals(2000, c.path("testImages").asInt());
        assertEquals(8000, c.path("referenceImages").asInt());
        inRange(j.path("conditionalAccuracy"), 0, 1);
        inRange(j.path("classifierScore").path("generated"), 1, 10);
        inRange(j.path("classifierScore").path("real"), 8, 10);
        assertEquals(10, j.path("classifierScore").path("max").asInt());
        inRange(j.path("fid").path("generated"), 0, 1e6);
        // 100 real images in 84 dimensions: the baseline carries the small-sample bias of FID.
        inRange(j.path("fid").path("baseline"), 0, 100);
        assertEquals(100, j.path("fid").path("realImages").asInt());
        inRange(j.path("diversity").path("generated"), 0, 1e6);
        inRange(j.path("diversity").path("real"), 0.1, 1e6);
        inRange(j.path("real").path("accuracy"), 0.9, 1);
        // 100 real digits: their mean periodic share is small but positive; any positive ratio for 3 steps.
        inRange(j.path("checkerboard").path("realPeriodicShare"), 1e-4, 0.05);
        inRange(j.path("checkerboard").path("periodicShare"), 0, 1);
        inRange(j.path("checkerboard").path("ratio"), 1e-3, 1e3);
        assertTrue(
                j.path("fid").path("generated").asDouble()
                        > j.path("fid").path("baseline").asDouble(),
                "a generator after 3 steps is far from real digits: " + j.path("fid"));
        JsonNode pc = j.path("perClass");
        assertEquals(10, pc.size());
        double share = 0;
        for (int k = 0; k < 10; k++) {
            JsonNode o = pc.get(k);
            assertEquals(k, o.path("class").asInt());
            assertEquals(Integer.toString(k), o.path("name").asText());
            assertEquals(10, o.path("generated").asInt());
            inRange(o.path("accuracy"), 0, 1);
            inRange(o.path("share"), 0, 1);
            inRange(o.path("diversity"), 0, 1e6);
            assertEquals(10, o.path("real").asInt());
            inRange(o.path("realAccuracy"), 0, 1);
            inRange(o.path("realDiversity"), 0.1, 1e6);
            share += o.path("share").asDouble();
        }
        assertEquals(1, share, 1e-9);
        // The same seed gives the same numbers.
        Cli.Result again = Cli.run(
                        "evaluate",
                        "--checkpoint",
                        run.resolve("generator").toString(),
                        "--count",
                        "10",
                        "--seed",
                        "7",
                        "--json")
                .expect(0);
        assertEquals(r.out(), again.out());
    }

    @Test
    void classifierByNameOrFileAndErrors() throws Exception {
        Path file = tmp.resolve("c.safetensors");
        Cli.run(
                        "train-classifier",
                        "--dataset",
                        "mnist",
                        "--epochs",
                        "1",
                        "--train-limit",
                        "200",
                        "--seed",
                        "3",
                        "--out",
                        file.toString())
                .expect(0);
        Cli.Result r = Cli.run(
                        "evaluate",
                        "--checkpoint",
                        run.toString(),
                        "--count",
                        "5",
                        "--classifier",
                        file.toString(),
                        "--json")
                .expect(0);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(file.toString(), j.path("classifier").path("source").asText());
        assertEquals(200, Classifier.read(file).trainImages());

        Cli.Result missing = Cli.run("evaluate", "--checkpoint", run.toString(), "--classifier", "nope.safetensors")
                .expect(1);
        assertEquals(1, missing.errLines().size(), missing.err());
        assertTrue(
                missing.err()
                        .startsWith("acgan evaluate: --classifier must be mnist, fashion-mnist or an existing "
                                + "classifier file"),
                missing.err());

        Path notAClassifier = run.resolve("generator").resolve("tensors.safetensors");
        Cli.Result wrong = Cli.run(
                        "evaluate", "--checkpoint", run.toString(), "--classifier", notAClassifier.toString())
                .expect(1);
        assertTrue(wrong.err().contains("not a classifier file"), wrong.err());

        Cli.Result count = Cli.run("evaluate", "--checkpoint", run.toString(), "--count", "1")
                .expect(2);
        assertTrue(count.err().contains("--count must be between 2 and"), count.err());

        Cli.Result noRun = Cli.run(
                        "evaluate", "--checkpoint", tmp.resolve("absent").toString())
                .expect(1);
        assertTrue(noRun.err().contains("does not exist"), noRun.err());
    }

    @Test
    void trainClassifierIsReproducible() throws Exception {
        Path a = tmp.resolve("a.safetensors");
        Path b = tmp.resolve("b.safetensors");
        Path c = tmp.resolve("c2.safetensors");
        String[] common = {"train-classifier", "--dataset", "mnist", "--epochs", "2", "--train-limit", "256"};
        Cli.Result ra = Cli.run(java.util.List.of(common), "--seed", "5", "--out", a.toString())
                .expect(0);
        Cli.run(java.util.List.of(common), "--seed", "5", "--out", b.toString()).expect(0);
        Cli.run(java.util.List.of(common), "--seed", "6", "--out", c.toString()).expect(0);
        assertTrue(ra.out().contains("epoch 2/2"), ra.out());
        assertTrue(ra.out().contains("sha256 " + Classifier.sha256(Files.readAllBytes(a))), ra.out());
        assertTrue(ra.out().contains("differs from the built-in mnist classifier"), ra.out());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)), "same seed, same bytes");
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)), "other seed");
        Classifier read = Classifier.read(a);
        assertEquals(256, read.trainImages());
        assertEquals(2000, read.testImages());
        assertTrue(read.testAccuracy() > 0.2, "16 steps on 256 digits beat chance (10%): " + read.testAccuracy());
        assertTrue(
                read.recipe().command().contains("--train-limit 256"),
                read.recipe().command());

        Cli.Result bad = Cli.run(
                "train-classifier",
                "--dataset",
                "images:/nonexistent",
                "--out",
                tmp.resolve("x").toString());
        assertEquals(1, bad.code(), bad.err());
        assertEquals(1, bad.errLines().size(), bad.err());
    }

    private static void inRange(JsonNode n, double lo, double hi) {
        assertTrue(n.isNumber(), () -> "a number: " + n);
        double v = n.asDouble();
        assertTrue(v >= lo && v <= hi, () -> v + " in [" + lo + ", " + hi + "]");
    }
}
