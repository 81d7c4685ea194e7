package dev.acgan.samples.bench.jmh;

import dev.acgan.api.data.Datasets;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.StepResult;
import dev.acgan.api.train.TrainingConfig;
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
 * One acgan-mnist training step ({@link GanTrainer#step()}: discriminator and generator updates) at batch 25
 * on the embedded MNIST, per backend.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class TrainingStepBenchmark {

    /** Backend name. */
    @Param({"tensorflow", "nd4j"})
    public String backend;

    /** Real images per step. */
    @Param({"25"})
    public int batch;

    private GanTrainer trainer;

    /** Creates the trainer. */
    @Setup(Level.Trial)
    public void setUp() {
        trainer = GanTrainer.create(
                JmhBackends.byName(backend),
                Presets.byName(Presets.ACGAN_MNIST),
                TrainingConfig.defaults().withBatchSize(batch),
                Datasets.embeddedMnist());
    }

    /** One step. */
    @Benchmark
    public StepResult step() {
        return trainer.step();
    }

    /** Frees the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (trainer != null) {
            trainer.close();
        }
    }
}
