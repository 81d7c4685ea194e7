package dev.acgan.backend.pytorch;

import dev.acgan.api.data.Datasets;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.StepResult;
import dev.acgan.api.train.TrainingConfig;

/**
 * Not a test: training steps of acgan-mnist on the PyTorch backend, timed per step (data, D, G), for a per-op profile
 * from oneDNN's own log. With {@code ONEDNN_VERBOSE=1} oneDNN prints one {@code exec} line per primitive run with its
 * kernel and milliseconds; {@code scripts/onednn-profile.awk} sums them per primitive, kernel and pass, and the step
 * time minus that sum is what libtorch's own (non-oneDNN) kernels and the JVM took. Run from the module directory
 * after {@code mvn test-compile} and {@code mvn dependency:build-classpath -Dmdep.outputFile=cp.txt}:
 * <pre>
 * ONEDNN_VERBOSE=1 java -cp target/classes:target/test-classes:$(cat cp.txt) \
 *     dev.acgan.backend.pytorch.PyTorchProfile [steps] [batch] [fp32|bf16] &gt; log.txt
 * awk -v steps=STEPS-1 -f ../scripts/onednn-profile.awk log.txt
 * </pre>
 * The first step (oneDNN's kernel generation) prints {@code PROFILE-START} after it, so that the script skips it.
 */
public final class PyTorchProfile {

    private PyTorchProfile() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Precision precision = args.length > 2 ? Precision.parse(args[2], "precision") : Precision.FP32;
        TrainingConfig cfg = TrainingConfig.defaults()
                .withBatchSize(batch)
                .withMaxSteps(steps)
                .withPrecision(precision);
        PyTorchBackend backend = new PyTorchBackend();
        System.out.println("compute: " + backend.describeCompute(precision));
        try (GanTrainer t =
                GanTrainer.create(backend, Presets.byName(Presets.ACGAN_MNIST), cfg, Datasets.embeddedMnist())) {
            t.step();
            System.out.println("PROFILE-START");
            double sum = 0;
            for (int s = 1; s < steps; s++) {
                StepResult r = t.step();
                sum += r.seconds();
                System.out.printf(
                        "step %d: %.3f s (data %.3f, D %.3f, G %.3f)%n",
                        s + 1,
                        r.seconds(),
                        r.dataNanos() / 1e9,
                        r.discriminatorNanos() / 1e9,
                        r.generatorNanos() / 1e9);
            }
            System.out.printf("mean step %.3f s over %d steps%n", sum / (steps - 1), steps - 1);
        }
    }
}
