package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.samples.run.MetricsCsv;
import dev.acgan.samples.run.MetricsRow;
import dev.acgan.samples.run.RunLayout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A run trained on the PyTorch backend continues on TensorFlow or ND4J from its checkpoint, and a TensorFlow or ND4J
 * run continues on PyTorch, each where the first backend would have: the first loss the second backend computes (step
 * 3's discriminator loss, before its update, from the checkpoint's weights and the seeded step-3 batch) equals the
 * uninterrupted run's within the TCK's float32 loss tolerance.
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

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"pytorch, tensorflow", "pytorch, nd4j", "tensorflow, pytorch", "nd4j, pytorch"})
    void aRunResumesOnTheOtherBackend(String first, String second) {
        Path straight = tmp.resolve("straight");
        Path split = tmp.resolve("split");
        Cli.run(COMMON, "--backend", first, "--steps", "3", "--outdir", straight.toString())
                .expect(0);
        Cli.run(COMMON, "--backend", first, "--steps", "2", "--outdir", split.toString())
                .expect(0);
        assertEquals(
                first,
                Checkpoint.read(new RunLayout(split).checkpoint(2)).metadata().backend());

        Cli.Result resumed = Cli.run("train", "--resume", split.toString(), "--backend", second, "--steps", "3")
                .expect(0);
        assertTrue(resumed.out().contains("Resuming"), resumed.out());
        assertEquals(
                second,
                Checkpoint.read(new RunLayout(split).checkpoint(3)).metadata().backend());

        List<MetricsRow> uninterrupted = MetricsCsv.readKeeping(straight.resolve("metrics.csv"), Long.MAX_VALUE);
        List<MetricsRow> mixed = MetricsCsv.readKeeping(split.resolve("metrics.csv"), Long.MAX_VALUE);
        assertEquals(3, mixed.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(uninterrupted.get(i).dTotal(), mixed.get(i).dTotal(), "d_total of step " + (i + 1));
        }
        double expected = uninterrupted.get(2).dTotal();
        double tolerance = 1e-4 * Math.abs(expected) + 1e-6;
        assertEquals(expected, mixed.get(2).dTotal(), tolerance, "step 3's d_total, computed by " + second);
    }
}
