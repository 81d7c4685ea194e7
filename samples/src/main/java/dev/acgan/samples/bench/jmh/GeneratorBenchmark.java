package dev.acgan.samples.bench.jmh;

import dev.acgan.api.model.Generator;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.ParameterInitializer;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.tensor.ImageBatch;
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
 * Latency of generating 1 and 100 acgan-mnist images with a standalone generator
 * ({@code GanBackend.loadGenerator}, the serving path), per backend. The weights are the seed-42 initial
 * ones: the arithmetic does not depend on the values. Noise sampling and the copy of the images to the Java
 * heap are included, as for a caller.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GeneratorBenchmark {

    /** Backend name. */
    @Param({"tensorflow", "nd4j"})
    public String backend;

    /** Images per call. */
    @Param({"1", "100"})
    public int images;

    private Generator generator;
    private int[] labels;
    private long seed;

    /** Loads the generator. */
    @Setup(Level.Trial)
    public void setUp() {
        ModelSpec spec = Presets.byName(Presets.ACGAN_MNIST);
        generator =
                JmhBackends.byName(backend).loadGenerator(spec, ParameterInitializer.initialize(spec.validate(), 42));
        labels = new int[images];
        for (int i = 0; i < images; i++) {
            labels[i] = i % spec.numClasses();
        }
    }

    /** One call. */
    @Benchmark
    public ImageBatch generate() {
        return generator.generate(labels, seed++);
    }

    /** Frees the generator. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (generator != null) {
            generator.close();
        }
    }
}
