package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.samples.config.ConfigFiles;
import dev.acgan.samples.run.RunLayout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code acgan train --lr-schedule} on tiny runs (batch 8, 6 steps, the milestone after step 3): config.yaml and the
 * checkpoint record it, a run resumed after the milestone continues at the lower rate exactly, and bad text is one
 * line and exit 1.
 */
class LrScheduleCliTest {

    @TempDir
    Path tmp;

    private static final List<String> COMMON = List.of(
            "train", "--batch-size", "8", "--eval-every", "0", "--sample-every", "0", "--checkpoint-every", "0");

    @Test
    void scheduledRunIsRecordedAndResumesExactly() throws Exception {
        Path straight = tmp.resolve("straight");
        Path split = tmp.resolve("split");
        Path constant = tmp.resolve("constant");
        Cli.Result r = Cli.run(COMMON, "--steps", "6", "--lr-schedule", "0.5@3", "--outdir", straight.toString())
                .expect(0);
        assertTrue(r.out().contains("learning rate: 2.0E-4, then 1.0E-4 after step 3 (--lr-schedule 0.5@3)"), r.out());
        assertEquals("0.5@3", ConfigFiles.read(straight.resolve("config.yaml")).lrSchedule);
        Checkpoint a = Checkpoint.read(new RunLayout(straight).checkpoint(6));
        assertEquals("0.5@3", a.metadata().config().learningRateSchedule().toString());

        Cli.run(COMMON, "--steps", "4", "--lr-schedule", "0.5@3", "--outdir", split.toString())
                .expect(0);
        // --lr-schedule is not repeated: the run's config.yaml and checkpoint carry it.
        Cli.run("train", "--resume", split.toString(), "--steps", "6").expect(0);
        assertEquals(
                a.tensors(), Checkpoint.read(new RunLayout(split).checkpoint(6)).tensors());

        Cli.run(COMMON, "--steps", "6", "--outdir", constant.toString()).expect(0);
        assertEquals(null, ConfigFiles.read(constant.resolve("config.yaml")).lrSchedule);
        assertNotEquals(
                a.tensors(),
                Checkpoint.read(new RunLayout(constant).checkpoint(6)).tensors());
    }

    @Test
    void badScheduleIsOneLineAndExit1() {
        for (String bad : new String[] {"6000", "6000:0.5", "0@6000", "0.5@0", "0.5@9000,0.25@6000"}) {
            Cli.Result r =
                    Cli.run("train", "--lr-schedule", bad, "--steps", "1").expect(1);
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.errLines().get(0).startsWith("acgan train: --lr-schedule: "), r.err());
        }
    }
}
