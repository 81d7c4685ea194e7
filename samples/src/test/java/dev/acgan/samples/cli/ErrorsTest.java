package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointMetadata;
import dev.acgan.api.spec.Presets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input ends with one line on stderr, no stack trace, and a non-zero exit code. */
class ErrorsTest {

    @TempDir
    static Path tmp;

    static Path run;

    @BeforeAll
    static void tinyRun() {
        run = tmp.resolve("run");
        Cli.run("train", "--model", "gan", "--batch-size", "8", "--steps", "1", "--outdir", run.toString())
                .expect(0);
    }

    /** Runs, checks exit code and a single stderr line starting with {@code prefix}; returns that line. */
    static String fails(int code, String prefix, String... args) {
        Cli.Result r = Cli.run(args).expect(code);
        assertEquals(1, r.errLines().size(), () -> "one line on stderr, got:\n" + r.err());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith(prefix), () -> "expected '" + prefix + "...', got: " + line);
        assertFalse(r.err().contains("\tat "), "no stack trace");
        return line;
    }

    @Test
    void unknownOption() {
        assertEquals(
                "acgan train: Unknown option: '--bogus' (see 'acgan train --help')",
                fails(2, "acgan train: Unknown option", "train", "--bogus"));
    }

    @Test
    void unknownCommand() {
        fails(2, "acgan: Unmatched argument at index 0: 'trian'", "trian");
    }

    @Test
    void badNumber() {
        fails(2, "acgan train: Invalid value for option '--steps': 'many' is not a long", "train", "--steps", "many");
    }

    @Test
    void valueOutOfRange() {
        assertEquals(
                "acgan train: --batch-size must be at least 1, got 0",
                fails(1, "acgan train:", "train", "--batch-size", "0"));
    }

    @Test
    void badEvalOptions() throws Exception {
        assertEquals(
                "acgan train: --eval-every must be at least 0, got -5",
                fails(1, "acgan train:", "train", "--eval-every", "-5"));
        Path missing = tmp.resolve("no-such-classifier.safetensors");
        assertEquals(
                "acgan train: --eval-classifier must be mnist, fashion-mnist or an existing classifier file; " + missing
                        + " does not exist",
                fails(
                        1,
                        "acgan train:",
                        "train",
                        "--eval-classifier",
                        missing.toString(),
                        "--outdir",
                        tmp.resolve("e1").toString()));
        // A dataset without a built-in classifier: an explicit --eval-every says what it needs.
        Path digits = tmp.resolve("digits");
        for (int c = 0; c < 2; c++) {
            Files.createDirectories(digits.resolve("c" + c));
            javax.imageio.ImageIO.write(
                    new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
                    "png",
                    digits.resolve("c" + c + "/a.png").toFile());
        }
        String line = fails(
                1,
                "acgan train:",
                "train",
                "--dataset",
                "images:" + digits,
                "--eval-every",
                "10",
                "--outdir",
                tmp.resolve("e2").toString());
        assertTrue(
                line.contains("--eval-every needs a classifier for dataset") && line.contains("--eval-classifier FILE"),
                line);
    }

    @Test
    void badAuxWeights() {
        for (String bad : new String[] {"1,1", "1,-1,1", "a,b,c", "1,1,NaN"}) {
            assertEquals(
                    "acgan train: --aux-weights must be three non-negative numbers REAL,FAKE,GENERATOR (the "
                            + "class-loss weights on real images, on fakes in the discriminator step, and in the generator "
                            + "step), e.g. 1,1,1; got '" + bad + "'",
                    fails(1, "acgan train:", "train", "--aux-weights", bad));
        }
    }

    @Test
    void divergedRunNamesTheStep() {
        String line = fails(
                1,
                "acgan train:",
                "train",
                "--batch-size",
                "8",
                "--steps",
                "3",
                "--learning-rate",
                "1e30",
                "--eval-every",
                "0",
                "--outdir",
                tmp.resolve("diverged").toString());
        assertTrue(line.startsWith("acgan train: training diverged at step 1: "), line);
        assertTrue(line.endsWith("Try a lower --learning-rate"), line);
        assertFalse(Files.exists(tmp.resolve("diverged/checkpoints/latest")), "nothing of the diverged state");
    }

    @Test
    void unknownModel() {
        assertEquals(
                "acgan train: unknown model 'dcgan'; choose acgan, cgan or gan (or the preset names acgan-fast, acgan-hq, "
                        + "acgan-hq-wide, acgan-mnist, cgan-mnist, gan-mlp)",
                fails(1, "acgan train:", "train", "--model", "dcgan"));
    }

    @Test
    void unknownBackend() {
        fails(
                1,
                "acgan train: no backend named 'nope' (from the argument); found: [tensorflow (priority 100), nd4j (priority 50), pytorch (priority 30)]",
                "train",
                "--backend",
                "nope",
                "--outdir",
                tmp.resolve("nb").toString());
        fails(
                1,
                "acgan generate: no backend named 'nope'",
                "generate",
                "--checkpoint",
                run.toString(),
                "--backend",
                "nope",
                "--out",
                tmp.resolve("x.png").toString());
    }

    @Test
    void unknownDataset() {
        fails(
                1,
                "acgan train: unknown dataset spec 'cifar'; expected one of: mnist | fashion-mnist",
                "train",
                "--dataset",
                "cifar");
    }

    @Test
    void missingDataset() {
        Path missing = tmp.resolve("no-such-dir");
        assertEquals(
                "acgan train: " + missing + ": no such directory; expected a directory holding IDX files such as "
                        + "train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz",
                fails(1, "acgan train:", "train", "--dataset", "idx:" + missing));
    }

    @Test
    void corruptDataset() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("corrupt"));
        Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0, 0, 5, 1, 2});
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3, 4, 5});
        String line = fails(1, "acgan train: ", "train", "--dataset", "idx:" + dir);
        assertTrue(line.contains("train-images-idx3-ubyte"), line);
    }

    @Test
    void outdirThatCannotBeCreated() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        fails(
                1,
                "acgan train: cannot create output directory " + file.resolve("run") + ": ",
                "train",
                "--model",
                "gan",
                "--outdir",
                file.resolve("run").toString());
    }

    @Test
    void outdirHoldingARun() {
        assertEquals(
                "acgan train: output directory " + run + " already holds a training run; continue it with "
                        + "--resume " + run + " or choose another --outdir",
                fails(1, "acgan train:", "train", "--outdir", run.toString()));
    }

    @Test
    void missingConfigFile() {
        fails(
                1,
                "acgan train: config file " + tmp.resolve("nope.yaml") + " does not exist",
                "train",
                "--config",
                tmp.resolve("nope.yaml").toString());
    }

    @Test
    void checkpointThatDoesNotExist() {
        fails(
                1,
                "acgan generate: checkpoint " + tmp.resolve("none") + " does not exist",
                "generate",
                "--checkpoint",
                tmp.resolve("none").toString());
        fails(
                1,
                "acgan train: --resume " + tmp.resolve("none") + ": no such directory",
                "train",
                "--resume",
                tmp.resolve("none").toString());
    }

    @Test
    void directoryThatIsNoCheckpoint() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        fails(
                1,
                "acgan generate: " + empty + " is neither a checkpoint directory",
                "generate",
                "--checkpoint",
                empty.toString());
        fails(
                1,
                "acgan train: --resume " + empty + ": no training checkpoint there",
                "train",
                "--resume",
                empty.toString());
    }

    @Test
    void damagedCheckpoint() throws Exception {
        Path copy = tmp.resolve("damaged");
        copyDir(run.resolve("generator"), copy);
        Path tensors = copy.resolve(Checkpoint.TENSORS_FILE);
        byte[] bytes = Files.readAllBytes(tensors);
        bytes[bytes.length - 3] ^= 0x55;
        Files.write(tensors, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        String line = fails(
                1,
                "acgan generate: " + tensors + ": SHA-256 ",
                "generate",
                "--checkpoint",
                copy.toString(),
                "--out",
                tmp.resolve("d.png").toString());
        assertTrue(line.endsWith("the checkpoint is damaged"), line);

        Path truncated = tmp.resolve("truncated");
        copyDir(run.resolve("generator"), truncated);
        Files.write(truncated.resolve(Checkpoint.TENSORS_FILE), new byte[] {1, 2, 3});
        fails(
                1,
                "acgan generate: " + truncated.resolve(Checkpoint.TENSORS_FILE) + ": 3 bytes, but checkpoint.json",
                "generate",
                "--checkpoint",
                truncated.toString());
    }

    @Test
    void checkpointOfAnotherSpec() {
        // gan-mlp weights under an acgan-mnist spec: the tensors do not fit the spec.
        Checkpoint gan = Checkpoint.read(run.resolve("generator"));
        CheckpointMetadata m = gan.metadata();
        CheckpointMetadata other = new CheckpointMetadata(
                m.formatVersion(),
                m.type(),
                Presets.byName("acgan"),
                m.config(),
                m.position(),
                m.backend(),
                m.dataset(),
                m.createdAt(),
                m.history(),
                null,
                0);
        Path dir = tmp.resolve("mismatch");
        new Checkpoint(other, gan.tensors()).write(dir);
        String line = fails(
                1,
                "acgan generate: " + dir.resolve(Checkpoint.TENSORS_FILE) + ": generator export lacks",
                "generate",
                "--checkpoint",
                dir.toString());
        assertTrue(line.contains("generator/"), line);
    }

    @Test
    void resumeFromGeneratorExport() {
        fails(
                1,
                "acgan train: " + run.resolve("generator") + " is a generator-only export; --resume needs a training "
                        + "checkpoint",
                "train",
                "--resume",
                run.resolve("generator").toString(),
                "--steps",
                "5");
    }

    @Test
    void badGenerateArguments() {
        fails(
                1,
                "acgan generate: --class 1: model gan-mlp is an unconditional GAN",
                "generate",
                "--checkpoint",
                run.toString(),
                "--class",
                "1");
        fails(
                2,
                "acgan generate: --interpolate must be two seeds A:B",
                "generate",
                "--checkpoint",
                run.toString(),
                "--interpolate",
                "1-2");
        fails(
                2,
                "acgan generate: --class must be a class number or 'all', got 'seven'",
                "generate",
                "--checkpoint",
                run.toString(),
                "--class",
                "seven");
        fails(2, "acgan generate: Missing required option: '--checkpoint=DIR'", "generate");
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli.Result r = Cli.run("--verbose", "train", "--model", "dcgan").expect(1);
        assertTrue(r.err().startsWith("acgan train: unknown model 'dcgan'"), r.err());
        assertTrue(r.err().contains("\tat dev.acgan.samples.cli."), r.err());
        Cli.Result r2 = Cli.run("train", "--model", "dcgan", "--verbose").expect(1);
        assertTrue(r2.err().contains("\tat dev.acgan.samples.cli."), "--verbose after the subcommand too");
    }

    private static void copyDir(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }
}
