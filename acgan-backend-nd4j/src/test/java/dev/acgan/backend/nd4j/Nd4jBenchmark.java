package dev.acgan.backend.nd4j;

import dev.acgan.api.data.Datasets;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.StepResult;
import dev.acgan.api.train.TrainingConfig;

/**
 * Not a test: a diagnostic profile of the ND4J backend's ops. Step times, throughput, GFLOP/s, generation
 * latency, memory (VmHWM/VmRSS) and start-up, compared with TensorFlow in the same run, are measured by
 * {@code ./acgan bench} (the samples' benchmark harness, which superseded the timing part of this class).
 * What is left here is what the harness does not do: wall time per SameDiff op type and shape (an
 * {@link OpTimer} on every graph of the model), and JavaCPP's tracked native bytes, per step. Run from the
 * module directory after {@code mvn test-compile}:
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) dev.acgan.backend.nd4j.Nd4jBenchmark  [steps] [batch] [top] [preset]
 * </pre>
 */
public final class Nd4jBenchmark {

    private Nd4jBenchmark() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int top = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        String preset = args.length > 3 ? args[3] : Presets.ACGAN_MNIST;
        TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(batch).withMaxSteps(steps);
        try (GanTrainer t =
                GanTrainer.create(new Nd4jBackend(), Presets.byName(preset), cfg, Datasets.embeddedMnist())) {
            OpTimer timer = new OpTimer();
            Nd4jModel m = (Nd4jModel) t.model();
            for (org.nd4j.autodiff.samediff.SameDiff sd : m.graphs()) {
                sd.addListeners(timer);
                if (sd.hasGradientFunction()) {
                    sd.getFunction("grad").addListeners(timer);
                }
            }
            for (int s = 0; s < steps; s++) {
                StepResult r = t.step();
                System.out.printf(
                        "step %d: %.3f s (data %.3f, D %.3f, G %.3f), JavaCPP tracked %d MB; ops:%n",
                        s + 1,
                        r.seconds(),
                        r.dataNanos() / 1e9,
                        r.discriminatorNanos() / 1e9,
                        r.generatorNanos() / 1e9,
                        org.bytedeco.javacpp.Pointer.totalBytes() >> 20);
                timer.print(top);
            }
        }
    }
}
