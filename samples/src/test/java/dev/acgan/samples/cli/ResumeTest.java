package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.samples.run.MetricsCsv;
import dev.acgan.samples.run.MetricsRow;
import dev.acgan.samples.run.RunLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 4 steps in one go and 2 steps + resume to 4 give bit-identical weights. */
class ResumeTest {

    @TempDir
    Path tmp;

    static final List<String> COMMON = List.of(
            "train",
            "--model",
            "acgan",
            "--batch-size",
            "8",
            "--seed",
            "5",
            "--sample-every",
            "0",
            "--checkpoint-every",
            "0");

    @Test
    void resumedRunEqualsUninterruptedRun() throws Exception {
        Path straight = tmp.resolve("straight");
        Path split = tmp.resolve("split");
        Cli.run(COMMON, "--steps", "4", "--outdir", straight.toString()).expect(0);
        Cli.run(COMMON, "--steps", "2", "--outdir", split.toString()).expect(0);
        Cli.Result resumed =
                Cli.run("train", "--resume", split.toString(), "--steps", "4").expect(0);
        assertTrue(
                resumed.out().contains("Resuming acgan-fast from " + split.resolve("checkpoints/step-000000002")),
                resumed.out());

        Checkpoint a = Checkpoint.read(straight.resolve("generator"));
        Checkpoint b = Checkpoint.read(split.resolve("generator"));
        assertEquals(4, a.metadata().position().step());
        assertEquals(4, b.metadata().position().step());
        assertEquals(a.tensors().names(), b.tensors().names());
        for (Map.Entry<String, Tensor> e : a.tensors().asMap().entrySet()) {
            assertEquals(e.getValue(), b.tensors().get(e.getKey()), "generator tensor " + e.getKey());
        }
        // The whole training state (discriminator, Adam moments and counters) matches too.
        Checkpoint ta = Checkpoint.read(new RunLayout(straight).checkpoint(4));
        Checkpoint tb = Checkpoint.read(new RunLayout(split).checkpoint(4));
        assertEquals(ta.tensors().asMap(), tb.tensors().asMap());

        // metrics.csv of the split run has steps 1..4 with the same losses.
        List<MetricsRow> ra = MetricsCsv.readKeeping(straight.resolve("metrics.csv"), Long.MAX_VALUE);
        List<MetricsRow> rb = MetricsCsv.readKeeping(split.resolve("metrics.csv"), Long.MAX_VALUE);
        assertEquals(4, rb.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1, rb.get(i).step());
            assertEquals(ra.get(i).dTotal(), rb.get(i).dTotal(), "d_total of step " + (i + 1));
            assertEquals(ra.get(i).gTotal(), rb.get(i).gTotal(), "g_total of step " + (i + 1));
        }
        // Both checkpoints of the split run are there (default --keep 3), latest points at step 4.
        assertTrue(Files.isDirectory(new RunLayout(split).checkpoint(2)));
        assertEquals(
                "step-000000004",
                Files.readString(new RunLayout(split).latestPointer()).strip());
    }

    @Test
    void resumeRefusesToChangeTheRecipeAndToRunPastTheEnd() {
        Path dir = tmp.resolve("gan");
        Cli.run("train", "--model", "gan", "--batch-size", "8", "--steps", "2", "--outdir", dir.toString())
                .expect(0);

        Cli.Result same = Cli.run("train", "--resume", dir.toString()).expect(1);
        assertEquals(1, same.errLines().size(), same.err());
        assertTrue(same.err().contains("already the end of its run (step 2)"), same.err());

        Cli.Result model = Cli.run("train", "--resume", dir.toString(), "--model", "acgan", "--steps", "3")
                .expect(1);
        assertEquals(
                List.of("acgan train: --model acgan differs from the run being resumed (gan-mlp); a resumed run "
                        + "keeps its model, seed, batch size and optimizer settings so that it continues exactly. Start a new "
                        + "run to change them"),
                model.errLines());

        Cli.Result batch = Cli.run("train", "--resume", dir.toString(), "--batch-size", "16", "--steps", "3")
                .expect(1);
        assertTrue(
                batch.err().startsWith("acgan train: --batch-size 16 differs from the run being resumed (8)"),
                batch.err());

        // The same values as the run are fine; so is another cadence.
        Cli.run(
                        "train",
                        "--resume",
                        dir.toString(),
                        "--batch-size",
                        "8",
                        "--model",
                        "gan",
                        "--steps",
                        "3",
                        "--sample-every",
                        "1")
                .expect(0);
        assertTrue(Files.isRegularFile(new RunLayout(dir).grid(3)));
    }

    @Test
    void resumeFromCheckpointDirectory() {
        Path dir = tmp.resolve("gan2");
        Cli.run(
                        "train",
                        "--model",
                        "gan",
                        "--batch-size",
                        "8",
                        "--steps",
                        "2",
                        "--keep",
                        "5",
                        "--outdir",
                        dir.toString())
                .expect(0);
        Cli.run("train", "--resume", dir.toString(), "--steps", "4").expect(0);
        // Branch again from step 2 by naming its checkpoint: rows after step 2 are dropped, then rewritten.
        Cli.run("train", "--resume", new RunLayout(dir).checkpoint(2).toString(), "--steps", "3")
                .expect(0);
        List<MetricsRow> rows = MetricsCsv.readKeeping(dir.resolve("metrics.csv"), Long.MAX_VALUE);
        assertEquals(List.of(1L, 2L, 3L), rows.stream().map(MetricsRow::step).toList());
    }
}
