package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointMetadata;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --precision} of train, generate and evaluate, and what {@code acgan backends} says about it: ND4J
 * refuses bf16 with its reason, auto records what it picked, a bf16 checkpoint does not silently continue
 * in fp32.
 */
class PrecisionCliTest {

    @TempDir
    static Path tmp;

    static Path run;
    /** What auto means for the default backend on this machine (bf16 on AMX or AVX512_BF16 CPUs, else fp32). */
    static Precision auto;

    @BeforeAll
    static void tinyAutoRun() {
        GanBackend tf = Backends.discover().select();
        auto = tf.resolvePrecision(Precision.AUTO);
        run = tmp.resolve("auto");
        Cli.Result r = Cli.trainTiny(run, 1, "--model", "gan", "--precision", "auto", "--eval-every", "0");
        assertTrue(
                r.out().contains("  compute: " + tf.describeCompute(auto) + " (chosen by --precision auto)"), r.out());
    }

    @Test
    void autoIsRecordedAsAskedInTheConfigAndAsResolvedInTheCheckpoint() throws Exception {
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("\nprecision: auto\n"));
        CheckpointMetadata meta = Checkpoint.read(run.resolve("generator")).metadata();
        assertEquals(auto, meta.config().precision());
    }

    @Test
    void nd4jRefusesBf16WithItsReasonAndWritesNothing() {
        Path out = tmp.resolve("nd4j-bf16");
        String line = ErrorsTest.fails(
                1,
                "acgan train: precision bf16 is not available on backend nd4j: ND4J " + "1.0.0-M2.1 bundles oneDNN 2.3",
                "train",
                "--backend",
                "nd4j",
                "--precision",
                "bf16",
                "--outdir",
                out.toString());
        assertTrue(line.endsWith("Use fp32, or auto (which picks fp32 there)"), line);
        assertFalse(Files.exists(out), "nothing written for a run that cannot start");
        ErrorsTest.fails(
                1,
                "acgan generate: precision bf16 is not available on backend nd4j",
                "generate",
                "--checkpoint",
                run.toString(),
                "--backend",
                "nd4j",
                "--precision",
                "bf16",
                "--out",
                tmp.resolve("x.png").toString());
    }

    /** A bad --precision on the command line is a usage error (exit 2) in every command that takes one. */
    @Test
    void badValuesAreUsageErrors() {
        assertEquals(
                "acgan generate: --precision must be fp32, bf16 or auto, got 'fp16'",
                ErrorsTest.fails(
                        2, "acgan generate:", "generate", "--checkpoint", run.toString(), "--precision", "fp16"));
        assertEquals(
                "acgan train: --precision must be fp32, bf16 or auto, got 'half'",
                ErrorsTest.fails(2, "acgan train:", "train", "--precision", "half"));
        for (String command : new String[] {"evaluate", "serve"}) {
            assertEquals(
                    "acgan " + command + ": --precision must be fp32, bf16 or auto, got 'fp8'",
                    ErrorsTest.fails(
                            2,
                            "acgan " + command + ":",
                            command,
                            "--checkpoint",
                            run.toString(),
                            "--precision",
                            "fp8"));
        }
        assertEquals(
                "acgan bench: --precision must be fp32, bf16 or auto, got 'int8'",
                ErrorsTest.fails(2, "acgan bench:", "bench", "--precision", "fp32,int8"));
    }

    @Test
    void generateSaysWhatComputedTheImages() {
        Cli.Result r = Cli.run(
                        "generate",
                        "--checkpoint",
                        run.toString(),
                        "--precision",
                        "auto",
                        "--backend",
                        "nd4j",
                        "--out",
                        tmp.resolve("g.png").toString())
                .expect(0);
        assertTrue(r.out().contains("Computed by nd4j in fp32 (oneDNN 2.3 in libnd4j, "), r.out());
    }

    @Test
    void aBf16CheckpointDoesNotContinueInFp32Silently() throws Exception {
        // A bare checkpoint directory (no config.yaml) that says bf16, resumed on a backend without bf16.
        Checkpoint c = Checkpoint.read(run.resolve("checkpoints")
                .resolve(Files.readString(run.resolve("checkpoints/latest")).strip()));
        CheckpointMetadata m = c.metadata();
        Path bf16 = tmp.resolve("bf16-checkpoint");
        new Checkpoint(
                        new CheckpointMetadata(
                                m.formatVersion(),
                                m.type(),
                                m.spec(),
                                m.config().withPrecision(Precision.BF16),
                                m.position(),
                                m.backend(),
                                m.dataset(),
                                m.createdAt(),
                                m.history(),
                                null,
                                0),
                        c.tensors())
                .write(bf16);
        String line = ErrorsTest.fails(
                1,
                "acgan train: " + bf16 + " was trained in bf16, which backend nd4j cannot " + "compute here",
                "train",
                "--resume",
                bf16.toString(),
                "--backend",
                "nd4j",
                "--steps",
                "2",
                "--outdir",
                tmp.resolve("continued").toString());
        assertTrue(line.endsWith("continue it in fp32 with --precision fp32 (or auto)"), line);
        Cli.Result r = Cli.run(
                        "train",
                        "--resume",
                        bf16.toString(),
                        "--backend",
                        "nd4j",
                        "--steps",
                        "2",
                        "--precision",
                        "fp32",
                        "--eval-every",
                        "0",
                        "--outdir",
                        tmp.resolve("continued").toString())
                .expect(0);
        assertTrue(r.out().contains("  compute: fp32 (oneDNN 2.3 in libnd4j, "), r.out());
    }

    @Test
    void backendsSaysWhichPrecisionsEachBackendHasHere() {
        Cli.Result r = Cli.run("backends").expect(0);
        assertTrue(r.out().contains("precision on this CPU ("), r.out());
        assertTrue(r.out().contains("  nd4j: fp32 only, auto is fp32 (oneDNN 2.3 in libnd4j, "), r.out());
        assertTrue(r.out().contains("no bf16: ND4J 1.0.0-M2.1 bundles oneDNN 2.3"), r.out());
        assertTrue(
                r.out()
                        .contains(
                                auto == Precision.BF16
                                        ? "  tensorflow: fp32 or bf16, auto is bf16: "
                                        : "  tensorflow: fp32 only, auto is fp32 (oneDNN "),
                r.out());
    }
}
