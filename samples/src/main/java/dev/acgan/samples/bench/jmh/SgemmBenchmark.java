package dev.acgan.samples.bench.jmh;

import dev.acgan.api.spi.ComputeProbe;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code n x n} fp32 matrix product through each backend's {@link ComputeProbe} (inputs prepared once).
 * GFLOP/s = {@code 2 n^3 / (ms/op * 1e6)}: at n = 2048, 17.18 GFLOP per op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SgemmBenchmark {

    /** Backend name. */
    @Param({"tensorflow", "nd4j"})
    public String backend;

    /** Matrix size. */
    @Param({"2048"})
    public int n;

    private ComputeProbe.Sgemm sgemm;

    /** Prepares the product. */
    @Setup(Level.Trial)
    public void setUp() {
        ComputeProbe probe = JmhBackends.byName(backend)
                .computeProbe()
                .orElseThrow(() -> new IllegalStateException("backend " + backend + " has no compute probe"));
        sgemm = probe.prepareSgemm(n);
    }

    /** One product. */
    @Benchmark
    public void sgemm() {
        sgemm.run();
    }

    /** Frees the arrays. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (sgemm != null) {
            sgemm.close();
        }
    }
}
