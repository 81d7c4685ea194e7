package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.model.StateNames;
import dev.acgan.samples.config.ConfigFiles;
import dev.acgan.samples.run.MetricsCsv;
import dev.acgan.samples.run.MetricsRow;
import dev.acgan.samples.run.RunLayout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code acgan train --ema} on a tiny run (batch 8, 10 steps, the EMA updated once at step 10, measured at steps
 * 5 and 10): config.yaml records it, generator/ holds the averaged weights, metrics.csv gets the raw generator's
 * numbers beside the averaged one's, and a bad decay is one line and exit 1.
 */
class EmaCliTest {

    @TempDir
    static Path tmp;

    static Path run;
    static Cli.Result trained;

    @BeforeAll
    static void train() {
        run = tmp.resolve("run");
        trained = Cli.trainTiny(
                run, 10, "--ema", "0.9", "--eval-every", "5", "--sample-every", "0", "--checkpoint-every", "0");
    }

    @Test
    void configAndOutputSayTheGeneratorIsTheAverage() throws Exception {
        assertEquals(0.9, ConfigFiles.read(run.resolve("config.yaml")).ema);
        assertTrue(trained.out().contains("generator EMA: decay 0.9, updated every 10 steps"), trained.out());
        assertTrue(trained.out().contains("generator-only export (EMA weights, decay 0.9)"), trained.out());
    }

    @Test
    void generatorExportHoldsTheEmaWeights() {
        Checkpoint training = Checkpoint.read(new RunLayout(run).checkpoint(10));
        assertTrue(training.hasGeneratorEma());
        assertEquals(0.9, training.metadata().config().generatorEma());
        Checkpoint generator = Checkpoint.read(run.resolve("generator"));
        assertEquals(training.generatorWeights(), generator.tensors());
        assertNotEquals(StateNames.generatorOnly(training.tensors()), generator.tensors());
        assertEquals(0.9, generator.metadata().config().generatorEma());
    }

    @Test
    void metricsHoldTheRawGeneratorBesideTheAverage() {
        List<MetricsRow> rows = MetricsCsv.readKeeping(run.resolve("metrics.csv"), Long.MAX_VALUE);
        List<MetricsRow> evaluated = rows.stream().filter(MetricsRow::evaluated).toList();
        assertEquals(List.of(5L, 10L), evaluated.stream().map(MetricsRow::step).toList());
        for (MetricsRow r : evaluated) {
            assertTrue(r.evalRawFid() > 0 && Double.isFinite(r.evalRawFid()), r.toString());
            assertTrue(r.evalRawAccuracy() >= 0 && r.evalRawAccuracy() <= 1, r.toString());
        }
        // After the update at step 10 the average is not the raw generator, so their FIDs differ.
        MetricsRow last = evaluated.get(1);
        assertNotEquals(last.evalFid(), last.evalRawFid(), last.toString());
        assertTrue(
                trained.err().contains("(EMA; raw generator: FID ")
                        || trained.out().contains("(EMA; raw generator: FID "),
                trained.out() + trained.err());
    }

    @Test
    void resumedRunContinuesTheAverageExactly() {
        Path straight = tmp.resolve("straight");
        Path split = tmp.resolve("split");
        List<String> common = List.of(
                "train",
                "--batch-size",
                "8",
                "--ema",
                "0.9",
                "--eval-every",
                "0",
                "--sample-every",
                "0",
                "--checkpoint-every",
                "0");
        Cli.run(common, "--steps", "12", "--outdir", straight.toString()).expect(0);
        Cli.run(common, "--steps", "6", "--outdir", split.toString()).expect(0);
        // --ema is not repeated: the run's config.yaml and checkpoint carry it.
        Cli.run("train", "--resume", split.toString(), "--steps", "12").expect(0);
        Checkpoint a = Checkpoint.read(new RunLayout(straight).checkpoint(12));
        Checkpoint b = Checkpoint.read(new RunLayout(split).checkpoint(12));
        assertTrue(b.hasGeneratorEma());
        assertEquals(a.tensors(), b.tensors());
        assertEquals(
                Checkpoint.read(straight.resolve("generator")).tensors(),
                Checkpoint.read(split.resolve("generator")).tensors());
    }

    @Test
    void badDecayIsOneLineAndExit1() {
        for (String bad : new String[] {"1", "-0.5", "NaN"}) {
            Cli.Result r = Cli.run("train", "--ema", bad, "--steps", "1").expect(1);
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(
                    r.errLines()
                            .get(0)
                            .startsWith("acgan train: --ema (the generator EMA decay) must be in [0, 1), 0 for off"),
                    r.err());
        }
    }
}
