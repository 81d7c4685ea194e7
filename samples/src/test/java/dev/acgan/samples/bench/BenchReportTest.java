package dev.acgan.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report built from child results, its table and its JSON, without starting any JVM. */
class BenchReportTest {

    private static final MachineInfo MACHINE = new MachineInfo(
            "Test CPU",
            2,
            2,
            2,
            List.of("avx2", "fma"),
            24L * 1024 * 1024,
            "Linux 6.1 amd64",
            "OpenJDK 17",
            List.of(0.1, 0.2, 0.3));

    private static BenchSettings settings() {
        return new BenchSettings(
                "acgan-mnist",
                List.of(25, 100),
                100,
                2,
                4,
                List.of(1, 100),
                5,
                512,
                3,
                List.of(1, 2),
                0,
                100,
                500,
                false,
                42);
    }

    /** A child result with the given step times, SGEMM seconds (0: none) and generation medians. */
    private static ChildResult child(
            String backend, int batch, int threads, double[] steps, double sgemmSeconds, double gen1, double gen100) {
        List<Double> s = new ArrayList<>();
        for (double x : steps) {
            s.add(x);
        }
        List<ChildResult.Generation> gen = gen1 <= 0
                ? List.of()
                : List.of(
                        new ChildResult.Generation(1, 5, gen1, gen1 * 0.9, gen1 * 1.2),
                        new ChildResult.Generation(100, 5, gen100, gen100 * 0.9, gen100 * 1.2));
        return new ChildResult(
                backend,
                backend + " 1.0",
                "acgan-mnist",
                batch,
                threads,
                threads == 1 ? "0" : "0-1",
                threads == 1 ? 1 : 2,
                threads == 1 ? Map.of("OMP_NUM_THREADS", "1") : Map.of(),
                1_000_000L,
                1_000_400L,
                1_010_000L,
                6.0,
                2.0,
                List.of(2.0, 1.6),
                s,
                0.4,
                0.6,
                0.01,
                threads == 1 ? 4.0 : 7.6,
                4.0,
                400_000,
                600 * 1024,
                700 * 1024,
                30,
                100_000,
                gen,
                sgemmSeconds > 0 ? new ChildResult.Sgemm(512, 3, sgemmSeconds, sgemmSeconds * 1.1) : null,
                List.of(),
                "fp32",
                null);
    }

    private static ChildLauncher.Outcome ok(ChildResult r) {
        return new ChildLauncher.Outcome(r, null, 0, 999_000L, 20, List.of("java", "..."), List.of());
    }

    /** TF: 1.0 s at batch 100 (SGEMM 512 in 2.68 ms = 100 GFLOP/s); ND4J 1.5 s; plus a failed ND4J run. */
    private static BenchReport report() {
        BenchSettings s = settings();
        Bench bench = new Bench(s, List.of("tensorflow", "nd4j"), null, null);
        List<Bench.Planned> plan = bench.plan(2);
        // reference batch first, backends interleaved, then the 1-thread runs; 2 threads is the default run
        assertEquals(
                List.of(
                        "tensorflow/100/0",
                        "nd4j/100/0",
                        "tensorflow/25/0",
                        "nd4j/25/0",
                        "tensorflow/100/1",
                        "nd4j/100/1",
                        "tensorflow/8/0",
                        "nd4j/8/0"),
                plan.stream()
                        .map(p -> p.task().backend() + "/" + p.task().batchSize() + "/" + p.threads())
                        .toList());
        assertTrue(plan.get(6).task().kernelProbe() && !plan.get(5).task().kernelProbe());
        assertEquals(List.of(1, 100), plan.get(0).task().generationCounts());
        assertEquals(512, plan.get(0).task().sgemmSize());
        assertEquals(List.of(), plan.get(2).task().generationCounts());
        assertEquals(0, plan.get(2).task().sgemmSize());
        assertEquals(512, plan.get(4).task().sgemmSize());
        double sgemm = 2.0 * 512 * 512 * 512 / 100e9;
        List<ChildLauncher.Outcome> outcomes = List.of(
                ok(child("tensorflow", 100, 0, new double[] {1.0, 0.9, 1.1, 1.0}, sgemm, 5, 200)),
                ok(child("nd4j", 100, 0, new double[] {1.5, 1.4, 1.6, 1.5}, sgemm * 2, 4, 100)),
                ok(child("tensorflow", 25, 0, new double[] {0.25, 0.25, 0.3, 0.25}, 0, 0, 0)),
                new ChildLauncher.Outcome(
                        null, "OutOfMemoryError: boom", 1, 999_000L, 3, List.of("java"), List.of("[nd4j] boom")),
                ok(child("tensorflow", 100, 1, new double[] {1.8, 1.8, 1.8, 1.8}, sgemm * 2, 0, 0)),
                ok(child("nd4j", 100, 1, new double[] {2.7, 2.7, 2.7, 2.7}, sgemm * 4, 0, 0)),
                new ChildLauncher.Outcome(
                        child("tensorflow", 8, 0, new double[] {0.1}, 0, 0, 0),
                        null,
                        0,
                        0,
                        5,
                        List.of("java"),
                        List.of(),
                        List.of("convolution: brg_conv_fwd:avx512_core", "matmul: gemm:jit")),
                new ChildLauncher.Outcome(null, "boom", 1, 0, 5, List.of("java"), List.of()));
        return bench.report(
                Instant.parse("2025-01-02T03:04:05Z"),
                List.of("bench"),
                "acgan bench --backend " + "tensorflow,nd4j",
                MACHINE,
                plan,
                outcomes,
                new ArrayList<>(),
                123.4);
    }

    @Test
    void derivesThroughputGflopsAndShares() {
        BenchReport r = report();
        BenchReport.Run tf = r.run("tensorflow", 100, 0).orElseThrow();
        assertEquals(1.0, tf.step().median(), 1e-12);
        assertEquals(100.0, tf.imagesPerSecond(), 1e-9);
        double flops = r.flops(100).orElseThrow().stepGflop();
        assertEquals(99.70, flops, 0.005);
        assertEquals(flops, tf.gflopPerSecond(), 1e-9);
        assertEquals(flops / 100, tf.shareOfSgemm(), 1e-9);
        // 25 has no SGEMM of its own; it is compared with the same backend's default-thread SGEMM
        BenchReport.Run tf25 = r.run("tensorflow", 25, 0).orElseThrow();
        assertEquals(r.flops(25).orElseThrow().stepGflop() / 0.25 / 100, tf25.shareOfSgemm(), 1e-9);
        // the 1-thread run is compared with its own (1-thread) SGEMM: 50 GFLOP/s
        BenchReport.Run tf1 = r.run("tensorflow", 100, 1).orElseThrow();
        assertEquals(flops / 1.8 / 50, tf1.shareOfSgemm(), 1e-9);
        assertEquals(1.0, tf1.cpuWallRatio(), 1e-9);
        assertTrue(tf1.limit().contains("OMP_NUM_THREADS=1"), tf1.limit());
        assertEquals(1.9, tf.cpuWallRatio(), 1e-9);
        // parent spawn at 999,000 ms, first step done at 1,010,000 ms
        assertEquals(11.0, tf.startToFirstStepSeconds(), 1e-9);
        BenchReport.Run failed = r.run("nd4j", 25, 0).orElseThrow();
        assertFalse(failed.ok());
        assertNull(failed.step());
        assertTrue(
                r.warnings().stream().anyMatch(w -> w.contains("nd4j, batch 25") && w.contains("boom")),
                r.warnings().toString());
        assertEquals(
                List.of("tensorflow", "nd4j"),
                r.backends().stream().map(BenchReport.Backend::name).toList());
        assertEquals("nd4j 1.0", r.backends().get(1).version());
    }

    @Test
    void tableHasAColumnPerBackendAndTheRatio() {
        String t = ReportTable.format(report());
        List<String> lines = t.lines().toList();
        assertTrue(t.startsWith("acgan bench, 2025-01-02 03:04:05 UTC (took 2 min 3 s)"), t);
        assertTrue(
                t.contains("Machine    Test CPU, 2 logical CPUs, avx2 fma, 24.0 GiB RAM; load average 0.10 0.20 "
                        + "0.30 at start"),
                t);
        assertTrue(t.contains("Backends   tensorflow  tensorflow 1.0"), t);
        assertTrue(
                t.contains("Kernels    tensorflow  convolution: brg_conv_fwd:avx512_core; matmul: gemm:jit\n"
                        + "           nd4j        probe failed: boom"),
                t);
        assertTrue(t.contains("Reproduce  acgan bench --backend tensorflow,nd4j"), t);
        assertTrue(t.contains("FLOP/step  batch 25 24.9 G, batch 100 99.7 G"), t);
        String header = lines.stream()
                .filter(l -> l.trim().startsWith("tensorflow"))
                .findFirst()
                .orElseThrow();
        assertTrue(header.matches(" +tensorflow +nd4j +nd4j/tensorflow"), header);
        assertRow(lines, "  batch 100 ", "1.000 [0.900, 1.100]", "1.500 [1.400, 1.600]", "1.50");
        assertRow(lines, "  batch 25 ", "0.250 [0.250, 0.300]", "failed");
        assertRow(lines, "  SGEMM 512, GFLOP/s (best of 3)", "100.0", "50.0", "0.50");
        assertRow(lines, "  1 image", "5.0 [4.5]", "4.0 [3.6]", "0.80");
        assertRow(lines, "  100 images", "200 [180]", "100 [90.0]", "0.50");
        assertRow(lines, "  peak RSS (VmHWM), batch 100", "700", "700", "1.00");
        assertRow(lines, "  JVM start to first finished step", "11.0", "11.0", "1.00");
        String one = "  1 thread (" + (ChildLauncher.tasksetAvailable() ? "pinned)" : "limited)");
        assertRow(lines, one, "1.800 (cpu/wall 1.00)", "2.700 (cpu/wall 1.00)", "1.50");
        assertRow(lines, "  2 threads (default, every core)", "1.000 (cpu/wall 1.90)", "1.500 (cpu/wall 1.90)");
        assertRow(lines, "  speed-up, default over 1", "1.80x", "1.80x", "1.00");
        assertRow(lines, "  SGEMM GFLOP/s, 1 thread", "50.0", "25.0", "0.50");
        // 99.7 GFLOP in 1 s against 100 GFLOP/s of SGEMM
        assertTrue(t.contains("99.7 (100%)"), t);
        assertTrue(t.contains("Ratio: nd4j / tensorflow"), t);
        assertTrue(t.contains("Warnings:"), t);
    }

    @Test
    void aBf16ColumnIsComparedWithItsOwnPeakAndItsBackendsFp32Column() {
        BenchSettings s = new BenchSettings(
                "acgan-mnist", List.of(100), 100, 1, 3, List.of(), 1, 512, 3, List.of(), 0, 100, 500, false, 42);
        Bench bench = new Bench(s, List.of("tensorflow", "tensorflow bf16", "nd4j"), null, null);
        List<Bench.Planned> plan =
                bench.plan(2).stream().filter(p -> !p.task().kernelProbe()).toList();
        assertEquals(
                List.of("tensorflow/fp32", "tensorflow/bf16", "nd4j/fp32"),
                plan.stream()
                        .map(p -> p.task().backend() + "/" + p.task().precision())
                        .toList());
        double sgemm = 2.0 * 512 * 512 * 512 / 100e9;
        ChildResult fp32 = child("tensorflow", 100, 0, new double[] {1.0, 1.0, 1.0}, sgemm, 0, 0);
        ChildResult bf16 = child("tensorflow", 100, 0, new double[] {0.5, 0.5, 0.5}, sgemm / 4, 0, 0);
        bf16 = new ChildResult(
                bf16.backend(),
                bf16.version(),
                bf16.model(),
                100,
                0,
                "0-1",
                2,
                Map.of(),
                1_000_000L,
                1_000_400L,
                1_010_000L,
                6.0,
                2.0,
                List.of(2.0),
                bf16.stepSeconds(),
                0.2,
                0.3,
                0.01,
                1.9,
                1.0,
                400_000,
                600 * 1024,
                700 * 1024,
                30,
                100_000,
                List.of(),
                bf16.sgemm(),
                List.of(),
                "bf16",
                "bf16: on AMX-BF16 tiles");
        ChildResult nd4j = child("nd4j", 100, 0, new double[] {1.2, 1.2, 1.2}, sgemm, 0, 0);
        BenchReport r = bench.report(
                Instant.EPOCH,
                List.of(),
                "acgan bench --precision fp32,bf16",
                MACHINE,
                plan,
                List.of(ok(fp32), ok(bf16), ok(nd4j)),
                new ArrayList<>(),
                60);
        BenchReport.Run b = r.run("tensorflow bf16", 100, 0).orElseThrow();
        // 99.7 GFLOP in 0.5 s against its own 400 GFLOP/s bf16 product
        assertEquals(r.flops(100).orElseThrow().stepGflop() / 0.5 / 400, b.shareOfSgemm(), 1e-9);
        assertEquals(
                "tensorflow 1.0; bf16: on AMX-BF16 tiles", r.backends().get(1).version());
        String t = ReportTable.format(r);
        List<String> lines = t.lines().toList();
        String header = lines.stream()
                .filter(l -> l.endsWith("/tensorflow"))
                .findFirst()
                .orElseThrow();
        assertTrue(
                header.matches(" +tensorflow +tensorflow bf16 +nd4j +tensorflow bf16/tensorflow +nd4j/tensorflow"),
                header);
        assertRow(
                lines,
                "  batch 100 ",
                "1.000 [1.000, 1.000]",
                "0.500 [0.500, 0.500]",
                "1.200 [1.200, 1.200]",
                "0.50",
                "1.20");
        assertRow(
                lines,
                "  matrix product 512, GFLOP/s (best of 3; bf16 in bf16 columns)",
                "100.0",
                "400.0",
                "100.0",
                "4.00",
                "1.00");
        assertTrue(t.contains("Ratio: tensorflow bf16 / tensorflow"), t);
        assertTrue(t.contains("Ratio: nd4j / tensorflow"), t);
        assertEquals(
                List.of(new int[] {1, 0}).get(0)[0],
                ReportTable.ratios(List.of("a", "a bf16")).get(0)[0]);
        assertTrue(ReportTable.ratios(List.of("a bf16")).isEmpty(), "no fp32 column to compare with");
    }

    private static void assertRow(List<String> lines, String label, String... cells) {
        String line = lines.stream()
                .filter(l -> l.startsWith(label))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + label + " in\n" + String.join("\n", lines)));
        String rest = line.substring(label.length()).trim();
        assertEquals(
                List.of(cells),
                List.of(rest.split(" {2,}(?=\\S)")).stream()
                        .filter(x -> !x.isBlank())
                        .map(String::trim)
                        .toList()
                        .subList(0, cells.length),
                line);
    }

    @Test
    void jsonRoundTrips(@TempDir Path dir) throws Exception {
        BenchReport r = report();
        Path file = dir.resolve("sub/bench.json");
        r.write(file);
        BenchReport back = BenchReport.fromJson(Files.readString(file));
        assertEquals(r, back);
        String json = r.toJson();
        for (String field : List.of(
                "\"schemaVersion\" : 2",
                "\"imagesPerSecond\"",
                "\"gflopPerSecond\"",
                "\"shareOfSgemm\"",
                "\"rssPeakKb\"",
                "\"rssSteadyKb\"",
                "\"startToFirstStepSeconds\"",
                "\"cpuWallRatio\"",
                "\"stepSeconds\"",
                "\"generation\"",
                "\"sgemm\"",
                "\"gflops\" : ",
                "\"cpuModel\"")) {
            assertTrue(json.contains(field), field);
        }
    }

    @Test
    void longRunTable() {
        BenchSettings s = new BenchSettings(
                "acgan-mnist", List.of(100), 100, 1, 1, List.of(), 1, 0, 1, List.of(), 2000, 100, 500, false, 42);
        Bench bench = new Bench(s, List.of("nd4j"), null, null);
        List<Bench.Planned> plan = bench.plan(2);
        assertEquals(1, plan.size());
        assertEquals(2000, plan.get(0).task().longRunSteps());
        List<ChildResult.RssSample> samples = List.of(
                new ChildResult.RssSample(1, 500 * 1024, 510 * 1024, 1, 2.0, 2),
                new ChildResult.RssSample(500, 600 * 1024, 610 * 1024, 1, 1.5, 700),
                new ChildResult.RssSample(1000, 800 * 1024, 810 * 1024, 1, 1.5, 1400),
                new ChildResult.RssSample(1500, 810 * 1024, 820 * 1024, 1, 1.5, 2100),
                new ChildResult.RssSample(2000, 820 * 1024, 830 * 1024, 1, 1.5, 2800));
        ChildResult c = new ChildResult(
                "nd4j",
                "nd4j 1.0",
                "acgan-mnist",
                100,
                0,
                "0-1",
                2,
                Map.of(),
                0,
                0,
                0,
                1,
                1,
                List.of(1.0),
                List.of(),
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                List.of(),
                null,
                samples,
                "fp32",
                null);
        BenchReport r = bench.report(
                Instant.EPOCH,
                List.of(),
                "acgan bench --long-run 2000",
                MACHINE,
                plan,
                List.of(ok(c)),
                new ArrayList<>(),
                2800);
        BenchReport.Run run = r.runs().get(0);
        assertEquals(1000L, run.longRunBaselineStep());
        assertEquals(2.5, run.longRunRssChangePercent(), 1e-9);
        String t = ReportTable.format(r);
        assertTrue(
                t.contains("nd4j: RSS +2.5% from step 1,000 to step 2,000: flat within 5%; " + "peak (VmHWM) 830 MiB"),
                t);
        assertTrue(t.lines().anyMatch(l -> l.matches(" *1,000 +800 +1.500")), t);
    }

    @Test
    void oneDnnKernelsFromItsLog() {
        OneDnnKernels k = new OneDnnKernels();
        k.accept("onednn_verbose,info,cpu,isa:Intel AVX-512 with float16, Intel DL Boost and bfloat16 support and "
                + "Intel AMX with bfloat16 and 8-bit integer support");
        k.accept("onednn_verbose,primitive,exec,cpu,convolution,brg_conv_bwd:avx10_1_512_amx+brg_conv_fwd:"
                + "avx10_1_512_amx,backward_data,src_bf16::blocked:acdb::f0,,alg:convolution_direct,mb2_ic32,0.2");
        k.accept("onednn_verbose,primitive,exec,cpu,matmul,brg_matmul:avx10_1_512_amx,undef,src_bf16,,,2x100,0.1");
        k.accept("onednn_verbose,primitive,exec,cpu,reorder,jit:uni,undef,src,,,96x1x5x5,0.05");
        k.accept("dnnl_verbose,exec,cpu,convolution,brgconv:avx512_core,forward_inference,src_f32,,alg,mb200,3.1");
        k.accept("[stray] onednn_verbose,primitive,exec,cpu,matmul,other,undef");
        assertEquals(
                List.of(
                        "isa: Intel AVX-512 with float16, Intel DL Boost and bfloat16 support and Intel AMX "
                                + "with bfloat16 and 8-bit integer support",
                        "convolution: brg_conv_bwd:avx10_1_512_amx+brg_conv_fwd:"
                                + "avx10_1_512_amx, brgconv:avx512_core",
                        "matmul: brg_matmul:avx10_1_512_amx"),
                k.describe());
    }

    @Test
    void statsAndProcStatus() {
        assertEquals(2.5, Stats.of(4, 1, 3, 2).median());
        assertEquals(3, Stats.of(5, 1, 3).median());
        assertEquals(1, Stats.of(5, 1, 3).min());
        ProcStatus p = ProcStatus.parse(
                "Name:\tjava\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\nThreads:\t42\n" + "Cpus_allowed_list:\t0\n");
        assertEquals(new ProcStatus(100000, 123456, 42, "0"), p);
        ProcStatus self = ProcStatus.self();
        assertTrue(self.rssKb() > 0 && self.hwmKb() >= self.rssKb(), self.toString());
    }

    @Test
    void protocolLines() {
        assertEquals(
                new ChildProtocol.Line("progress", "step 1/3"),
                ChildProtocol.Line.parse(ChildProtocol.PREFIX + "progress step 1/3"));
        assertNull(ChildProtocol.Line.parse("I0000 mlir_graph_optimization_pass.cc:401] MLIR V1"));
        assertEquals("timed step", Progress.phase("timed step 3/10 (last 1.5 s)"));
        assertEquals("generating", Progress.phase("generating 100 images x 11"));
    }

    @Test
    void childCommandAndEnvironment() {
        ChildTask task =
                new ChildTask("nd4j", "acgan-mnist", 8, 1, 1, 1, List.of(), 1, 0, 1, 0, 500, 42, "fp32", false);
        List<String> pinned = ChildLauncher.command(task, 1, true);
        assertEquals(List.of("taskset", "-c", "0"), pinned.subList(0, 3));
        assertTrue(pinned.get(3).endsWith("/bin/java"), pinned.get(3));
        assertEquals(BenchChild.class.getName(), pinned.get(pinned.size() - 2));
        assertEquals(task, ChildProtocol.fromJson(pinned.get(pinned.size() - 1), ChildTask.class));
        assertTrue(ChildLauncher.command(task, 2, true).contains("0-1"));
        assertFalse(ChildLauncher.command(task, 0, true).contains("taskset"));
        assertEquals("1", ChildLauncher.threadEnvironment(1).get("OMP_NUM_THREADS"));
        assertEquals("1", ChildLauncher.threadEnvironment(1).get("TF_NUM_INTRAOP_THREADS"));
        assertTrue(ChildLauncher.threadEnvironment(0).isEmpty());
        assertEquals(
                List.of("-Xmx4g", "-XX:+UseG1GC", "-Dacgan.backend=nd4j", "-ea"),
                ChildLauncher.jvmOptions(List.of(
                        "-Xmx4g",
                        "-XX:+UseG1GC",
                        "-agentlib:jdwp=transport=dt_socket",
                        "-javaagent:x.jar",
                        "-Dacgan.backend=nd4j",
                        "-ea")));
    }

    @Test
    void settingsValidateAndReproduce() {
        BenchSettings d = BenchSettings.defaults();
        assertEquals(100, d.referenceBatch());
        assertEquals(List.of(100, 25, 400), d.measurementOrder());
        assertEquals(
                "--batch-sizes 25,100,400 --warmup 3 --steps 10 --gen-counts 1,100,1000 --gen-repeats 10 "
                        + "--sgemm 2048 --sgemm-repeats 10 --threads 1,2",
                String.join(" ", d.arguments()));
        assertEquals(8, BenchSettings.referenceBatch(List.of(8, 16)));
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> new BenchSettings(
                        "acgan-mnist", List.of(8), 8, 0, 1, List.of(), 1, 0, 1, List.of(), 0, 1, 1, false, 1));
    }
}
