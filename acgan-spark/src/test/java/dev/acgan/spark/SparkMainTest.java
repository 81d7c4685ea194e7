package dev.acgan.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.tensorboard.EventFileWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code acgan spark train|generate} as a user runs them (each call starts and stops its own local Spark). */
class SparkMainTest {

    @TempDir
    Path tmp;

    record Run(int code, String err) {}

    static Run run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = SparkMain.run(args);
            return new Run(code, String.join(" ", args) + "\n" + err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    static String[] train(Path outdir, String steps, String... more) {
        List<String> a = new ArrayList<>(List.of(
                "train",
                "--master",
                "local[2]",
                "-H",
                "2",
                "--batch-size",
                "8",
                "--seed",
                "7",
                "--steps",
                steps,
                "--sample-every",
                "1",
                "--checkpoint-every",
                "1",
                "--outdir",
                outdir.toString()));
        a.addAll(List.of(more));
        if (!a.contains("--workers")) {
            a.addAll(List.of("--workers", "2"));
        }
        return a.toArray(String[]::new);
    }

    @Test
    void resumedRunEqualsUninterruptedRunAndGenerateWritesParquet() throws Exception {
        Path straight = tmp.resolve("straight");
        Path split = tmp.resolve("split");
        assertEquals(
                0,
                run(train(straight, "4", "--tensorboard", tmp.resolve("tb").toString()))
                        .code());
        assertEquals(1, EventFileWriter.eventFiles(tmp.resolve("tb")).size());
        assertEquals(0, run(train(split, "2")).code());
        Path tb2 = tmp.resolve("tb2");
        Run resumed = run(
                "train",
                "--master",
                "local[2]",
                "--resume",
                split.toString(),
                "--steps",
                "4",
                "--tensorboard",
                tb2.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(1, EventFileWriter.eventFiles(tb2).size(), "--tensorboard given when resuming");
        assertEquals(
                "step-000000004",
                Files.readString(split.resolve("checkpoints/latest")).strip());
        assertArrayEquals(
                Files.readAllBytes(
                        straight.resolve("checkpoints/step-000000004").resolve(Checkpoint.TENSORS_FILE)),
                Files.readAllBytes(split.resolve("checkpoints/step-000000004").resolve(Checkpoint.TENSORS_FILE)));
        // The run directory of acgan train: grids, GIF, generator export, metrics with one row per round.
        assertTrue(Files.isRegularFile(split.resolve("samples/grid-step-000000002.png")));
        assertTrue(Files.isRegularFile(split.resolve("samples/grid-step-000000004.png")));
        assertTrue(Files.isRegularFile(split.resolve("samples/progress.gif")));
        assertEquals(
                4,
                Checkpoint.read(split.resolve("generator"))
                        .metadata()
                        .position()
                        .step());
        assertEquals(3, Files.readAllLines(split.resolve("metrics.csv")).size());
        // config.yaml: acgan train's keys (the periods in steps), the Spark options in its header, the new
        // step limit after --resume.
        String yaml = Files.readString(split.resolve("config.yaml"));
        for (String line : List.of(
                "# Spark: workers 2, steps-per-round (H) 2, threads-per-task 0, checkpoint-every 1 rounds",
                "\nmodel: \"acgan-fast\"\n",
                "\ndataset: \"mnist\"\n",
                "\nsteps: 4\n",
                "\nbatch-size: 8\n",
                "\nlearning-rate: 2.0E-4\n",
                "\naux-weights: \"2,0,3\"\n",
                "\nseed: 7\n",
                "\ncheckpoint-every: 2\n",
                "\nsample-every: 2\n",
                "\ntensorboard: \"" + tb2 + "\"\n")) {
            assertTrue(yaml.contains(line), line + " in\n" + yaml);
        }
        // Resuming a complete run is one line, exit 1, and leaves the directory as it was.
        byte[] before = Files.readAllBytes(split.resolve("config.yaml"));
        Run complete = run("train", "--master", "local[2]", "--resume", split.toString(), "--steps", "4");
        assertEquals(1, complete.code(), complete.err());
        assertTrue(complete.err().contains("is complete (step 4 of 4)"), complete.err());
        assertArrayEquals(before, Files.readAllBytes(split.resolve("config.yaml")));
        assertEquals(3, Files.readAllLines(split.resolve("metrics.csv")).size());

        Path out = tmp.resolve("synthetic.parquet");
        Run g = run(
                "generate",
                "--master",
                "local[2]",
                "--checkpoint",
                split.resolve("generator").toString(),
                "--per-class",
                "2",
                "--out",
                out.toString());
        assertEquals(0, g.code(), g.err());
        assertTrue(Files.isRegularFile(out.resolve("_SUCCESS")));
        assertTrue(Files.isRegularFile(split.resolve("loss.png")), "loss.png after the resumed run");

        // The synthetic Parquet is a training set Spark reads (model shape and classes from its rows).
        Path onSynthetic = tmp.resolve("on-synthetic");
        Run p = run(train(onSynthetic, "2", "--dataset", "parquet:" + out, "--workers", "1"));
        assertEquals(0, p.code(), p.err());
        assertEquals(
                "parquet:" + out,
                Checkpoint.read(onSynthetic.resolve("generator")).metadata().dataset());
    }

    @Test
    void badInputIsOneLineAndExitOne() {
        Run r = run(train(tmp.resolve("x"), "2", "--workers", "3"));
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("3 workers asked for"), r.err());
        assertTrue(Files.notExists(tmp.resolve("x")));

        Run d = run(train(tmp.resolve("y"), "2", "--dataset", "idx:" + tmp.resolve("none")));
        assertEquals(1, d.code(), d.err());
        assertTrue(d.err().contains(tmp.resolve("none").toString()), d.err());

        Run q = run(train(tmp.resolve("z"), "2", "--dataset", "parquet:" + tmp.resolve("none.parquet")));
        assertEquals(1, q.code(), q.err());
        assertTrue(q.err().contains(tmp.resolve("none.parquet").toString()), q.err());
        assertEquals(2, q.err().strip().split("\n").length, q.err());
        assertTrue(Files.notExists(tmp.resolve("z")));

        Run c = run(
                "generate",
                "--master",
                "local[2]",
                "--checkpoint",
                tmp.resolve("nope").toString(),
                "--out",
                tmp.resolve("o").toString());
        assertEquals(1, c.code(), c.err());
        assertTrue(c.err().contains(tmp.resolve("nope").toString()), c.err());
    }

    @Test
    void sweepOverRecipesRanksEachWithItsRecipeAndBadListsAreOneLine() throws Exception {
        for (String[] bad :
                new String[][] {{"--learning-rate", "1e-4,x"}, {"--aux-weights", "2,0,3:1,1"}, {"--batch-size", "0"}}) {
            Run r = run("sweep", bad[0], bad[1], "--outdir", tmp.resolve("bad").toString());
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("acgan spark: " + bad[0] + ": "), r.err());
            assertEquals(2, r.err().strip().split("\n").length, r.err());
            assertTrue(Files.notExists(tmp.resolve("bad")));
        }
        Path out = tmp.resolve("sweep");
        Run s = run(
                "sweep",
                "--master",
                "local[2]",
                "--seeds",
                "3",
                "--lr",
                "1e-4,2e-4",
                "--aux-weights",
                "1,1,1",
                "--batch-size",
                "4",
                "--steps",
                "2",
                "--eval-per-class",
                "5",
                "--outdir",
                out.toString());
        assertEquals(0, s.code(), s.err());
        List<String> table = Files.readAllLines(out.resolve(SparkSweep.TABLE_FILE));
        assertEquals(3, table.size(), String.join("\n", table));
        assertTrue(table.get(0).startsWith("rank,index,seed,batch_size,learning_rate,beta1,aux_weights,steps,"));
        String lrs = table.get(1).split(",")[4] + " " + table.get(2).split(",")[4];
        assertTrue(lrs.equals("1.0E-4 2.0E-4") || lrs.equals("2.0E-4 1.0E-4"), lrs);
        assertTrue(table.get(1).contains(",3,4," + table.get(1).split(",")[4] + ",0.5,\"1,1,1\",2,"), table.get(1));
        Path best = out.resolve("best");
        String yaml = Files.readString(best.resolve("config.yaml"));
        assertTrue(yaml.contains("\nlearning-rate: " + table.get(1).split(",")[4] + "\n"), yaml);
        assertTrue(yaml.contains("\naux-weights: \"1,1,1\"\n") && yaml.contains("\nbatch-size: 4\n"), yaml);
        assertTrue(
                Files.isRegularFile(best.resolve("checkpoints/step-000000002").resolve(Checkpoint.TENSORS_FILE)));
        assertTrue(Files.isRegularFile(best.resolve("generator").resolve(Checkpoint.METADATA_FILE)));
        assertTrue(Files.isRegularFile(best.resolve("samples/grid-step-000000002.png")));
        assertTrue(Files.isRegularFile(best.resolve("samples/progress.gif")));
    }
}
