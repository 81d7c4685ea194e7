package dev.acgan.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.samples.cli.Cli;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code acgan bench --quick} end to end through real child JVMs, on the TensorFlow backend with tiny
 * settings (batch 8, 1 warm-up + 2 timed steps): the default run and a 1-thread run.
 */
class BenchSmokeTest {

    @Test
    void quickBenchThroughChildJvms() {
        Cli.Result r = Cli.run(
                        "bench",
                        "--quick",
                        "--backend",
                        "tensorflow",
                        "--batch-sizes",
                        "8",
                        "--warmup",
                        "1",
                        "--steps",
                        "2",
                        "--gen-counts",
                        "1,8",
                        "--gen-repeats",
                        "2",
                        "--sgemm",
                        "128",
                        "--sgemm-repeats",
                        "2",
                        "--threads",
                        "1",
                        "--json")
                .expect(0);
        // stdout is the JSON alone: no TensorFlow start-up lines, no progress
        BenchReport report = BenchReport.fromJson(r.out());
        assertEquals(BenchReport.SCHEMA_VERSION, report.schemaVersion());
        assertTrue(report.settings().quick());
        assertEquals(List.of(8), report.settings().batchSizes());
        assertTrue(
                report.reproduce()
                        .startsWith("acgan bench --backend tensorflow --batch-sizes 8 --warmup 1 " + "--steps 2"),
                report.reproduce());
        assertTrue(report.machine().logicalCpus() >= 1);
        assertFalse(report.machine().cpuModel().isBlank());
        assertTrue(
                report.backends().get(0).version().contains("TensorFlow 2."),
                report.backends().toString());
        assertEquals(8.0 / 100 * 99.70, report.flops(8).orElseThrow().stepGflop(), 0.01);
        // the kernel probe ran (what oneDNN logged depends on the CPU and TF_ENABLE_ONEDNN_OPTS)
        assertFalse(
                report.kernels().get("tensorflow").isEmpty(), report.kernels().toString());
        assertTrue(
                report.backends().get(0).version().contains("; fp32"),
                report.backends().toString());

        BenchReport.Run run = report.run("tensorflow", 8, 0).orElseThrow();
        assertTrue(run.ok(), run.error());
        ChildResult c = run.child();
        assertEquals(2, c.stepSeconds().size());
        assertEquals(1, c.warmupSeconds().size());
        assertEquals(2, run.step().count());
        assertTrue(run.step().median() > 0);
        assertEquals(8 / run.step().median(), run.imagesPerSecond(), 1e-9);
        assertTrue(run.gflopPerSecond() > 0);
        assertNotNull(run.shareOfSgemm());
        assertTrue(c.rssPeakKb() >= c.rssSteadyKb() && c.rssSteadyKb() > 50_000, c.rssPeakKb() + " " + c.rssSteadyKb());
        assertTrue(
                run.startToFirstStepSeconds() > c.modelCreateSeconds() + c.firstStepSeconds(),
                run.startToFirstStepSeconds() + " " + c.modelCreateSeconds());
        assertTrue(c.jvmStartEpochMs() <= c.mainStartEpochMs() && c.mainStartEpochMs() < c.firstStepEndEpochMs());
        assertEquals(
                List.of(1, 8),
                c.generation().stream().map(ChildResult.Generation::images).toList());
        assertTrue(c.generation().get(1).medianMs() > 0);
        assertEquals(128, c.sgemm().n());
        assertTrue(c.sgemm().gflops() > 0);
        assertTrue(run.cpuWallRatio() > 0);

        // On a one-CPU machine there is no thread-limited run to make (the plan skips it).
        boolean threadRun = Runtime.getRuntime().availableProcessors() >= 2;
        if (threadRun) {
            BenchReport.Run one = report.run("tensorflow", 8, 1).orElseThrow();
            assertTrue(one.ok(), one.error());
            assertEquals("1", one.child().environment().get("OMP_NUM_THREADS"));
            assertEquals("1", one.child().environment().get("TF_NUM_INTRAOP_THREADS"));
            if (ChildLauncher.tasksetAvailable()) {
                assertEquals("0", one.child().cpusAllowed());
                assertEquals(1, one.child().availableProcessors());
                // Pinned, the process cannot use more than one CPU; the margin covers the 10 ms ticks in
                // which the JVM counts CPU time, over a window of two short steps.
                assertTrue(one.cpuWallRatio() <= 1.2, "pinned to one CPU but used " + one.cpuWallRatio());
            }
            assertTrue(one.child().generation().isEmpty());
            assertNotNull(one.child().sgemm());
        }

        // stderr: progress lines only, the children's own output (TensorFlow's absl lines) kept out
        // the plan: the default run, the 1-thread run (where there are 2 CPUs), then the kernel probe
        int children = threadRun ? 3 : 2;
        assertTrue(r.err().contains("bench [1/" + children + "] tensorflow, batch 8"), r.err());
        if (threadRun) {
            assertTrue(r.err().contains("bench [2/3] tensorflow, batch 8, 1 thread"), r.err());
        }
        assertTrue(r.err().contains("bench [" + children + "/" + children + "] tensorflow, oneDNN kernels"), r.err());
        assertFalse(r.err().contains("absl") || r.err().contains("mlir"), r.err());
    }

    @Test
    void badOptionsAreUsageErrors() {
        Cli.Result r = Cli.run("bench", "--warmup", "0").expect(2);
        assertTrue(r.err().contains("--warmup must be at least 1"), r.err());
        Cli.Result b = Cli.run("bench", "--backend", "nope").expect(1);
        assertTrue(b.err().contains("no backend named 'nope'"), b.err());
        Cli.Result g = Cli.run("bench", "--gen-counts", "1,x").expect(2);
        assertTrue(g.err().contains("--gen-counts must be"), g.err());
        Cli.Result j = Cli.run("bench", "extra").expect(2);
        assertTrue(j.err().contains("need --jmh"), j.err());
    }
}
