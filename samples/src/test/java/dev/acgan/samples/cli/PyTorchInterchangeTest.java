package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.samples.run.MetricsCsv;
import dev.acgan.samples.run.MetricsRow;
import dev.acgan.samples.run.RunLayout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run trained on the PyTorch backend continues on TensorFlow from its checkpoint, and continues where PyTorch would
 * have: the first loss TensorFlow computes (step 3's discriminator loss, before its update, from the checkpoint's
 * weights and the seeded step-3 batch) equals the uninterrupted PyTorch run's within the TCK's float32 loss tolerance.
 */
class PyTorchInterchangeTest {

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
    void pytorchRunResumesOnTensorFlow() {
        Path straight = tmp.resolve("straight");
        Path split = tmp.resolve("split");
        Cli.run(COMMON, "--backend", "pytorch", "--steps", "3", "--outdir", straight.toString())
                .expect(0);
        Cli.run(COMMON, "--backend", "pytorch", "--steps", "2", "--outdir", split.toString())
                .expect(0);
        assertEquals(
                "pytorch",
                Checkpoint.read(new RunLayout(split).checkpoint(2)).metadata().backend());

        Cli.Result resumed = Cli.run("train", "--resume", split.toString(), "--backend", "tensorflow", "--steps", "3")
                .expect(0);
        assertTrue(resumed.out().contains("Resuming"), resumed.out());
        assertEquals(
                "tensorflow",
                Checkpoint.read(new RunLayout(split).checkpoint(3)).metadata().backend());

        List<MetricsRow> pytorch = MetricsCsv.readKeeping(straight.resolve("metrics.csv"), Long.MAX_VALUE);
        List<MetricsRow> mixed = MetricsCsv.readKeeping(split.resolve("metrics.csv"), Long.MAX_VALUE);
        assertEquals(3, mixed.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(pytorch.get(i).dTotal(), mixed.get(i).dTotal(), "d_total of step " + (i + 1));
        }
        double expected = pytorch.get(2).dTotal();
        double tolerance = 1e-4 * Math.abs(expected) + 1e-6;
        assertEquals(expected, mixed.get(2).dTotal(), tolerance, "step 3's d_total, computed by TensorFlow");
    }
}
