package dev.acgan.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.samples.bench.jmh.JmhLauncher;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.Options;

/** The JMH annotation processor ran and the launcher builds JMH options; no benchmark is run here. */
class JmhBenchmarksTest {

    @Test
    void benchmarkListNamesTheThreeBenchmarks() throws Exception {
        String list;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList is missing: the JMH annotation processor did not run");
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String b : List.of("GeneratorBenchmark", "SgemmBenchmark", "TrainingStepBenchmark")) {
            assertTrue(list.contains("dev.acgan.samples.bench.jmh." + b), b + " not in\n" + list);
        }
    }

    @Test
    void launcherOptions() throws Exception {
        Options all = JmhLauncher.options(List.of());
        assertEquals(List.of("dev\\.acgan\\.samples\\.bench\\.jmh\\..*"), all.getIncludes());
        Options some = JmhLauncher.options(List.of("-f", "1", "-p", "backend=nd4j", "Generator"));
        assertEquals(List.of("Generator"), some.getIncludes());
        assertEquals(1, some.getForkCount().get());
        assertEquals(List.of("nd4j"), List.copyOf(some.getParameter("backend").get()));
    }
}
