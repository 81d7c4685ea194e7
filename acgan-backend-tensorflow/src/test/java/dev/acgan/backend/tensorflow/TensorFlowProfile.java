package dev.acgan.backend.tensorflow;

import dev.acgan.api.data.Datasets;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.StepResult;
import dev.acgan.api.train.TrainingConfig;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;

/**
 * Not a test: wall time per TensorFlow op type over training steps, from TensorFlow's own step statistics
 * (a FULL_TRACE of every session run). Op times overlap when TensorFlow runs ops side by side, so their sum
 * can exceed the step; tracing itself slows the step a little. Step times and the comparison with ND4J
 * are {@code ./acgan bench}'s job. Run from the module directory after {@code mvn test-compile}:
 * <pre>
 * TF_ENABLE_ONEDNN_OPTS=1 java -cp target/classes:target/test-classes:$(cat cp.txt) \
 *     dev.acgan.backend.tensorflow.TensorFlowProfile [steps] [batch] [top] [fp32|bf16]
 * </pre>
 */
public final class TensorFlowProfile {

    private TensorFlowProfile() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int top = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        Precision precision = args.length > 3 ? Precision.parse(args[3], "precision") : Precision.FP32;
        Map<String, long[]> totals = new TreeMap<>();
        TrainingConfig cfg = TrainingConfig.defaults()
                .withBatchSize(batch)
                .withMaxSteps(steps)
                .withPrecision(precision);
        try (GanTrainer t = GanTrainer.create(
                new TensorFlowBackend(), Presets.byName(Presets.ACGAN_MNIST), cfg, Datasets.embeddedMnist())) {
            t.step(); // first step: graph optimisation and allocation, not profiled
            Feed.tracer = m -> add(totals, m);
            for (int s = 1; s < steps; s++) {
                StepResult r = t.step();
                System.out.printf(
                        "step %d: %.3f s (data %.3f, D %.3f, G %.3f) traced%n",
                        s + 1,
                        r.seconds(),
                        r.dataNanos() / 1e9,
                        r.discriminatorNanos() / 1e9,
                        r.generatorNanos() / 1e9);
            }
            Feed.tracer = null;
        }
        long sum = totals.values().stream().mapToLong(v -> v[0]).sum();
        System.out.printf("op time per step by op type (%d steps), ms:%n", steps - 1);
        totals.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .limit(top)
                .forEach(e -> System.out.printf(
                        "  %8.1f  %5.1f%%  %5d x  %s%n",
                        e.getValue()[0] / 1e3 / (steps - 1),
                        100.0 * e.getValue()[0] / sum,
                        e.getValue()[1] / (steps - 1),
                        e.getKey()));
        System.out.printf("  total %.1f ms per step%n", sum / 1e3 / (steps - 1));
    }

    private static synchronized void add(Map<String, long[]> totals, RunMetadata m) {
        for (DeviceStepStats d : m.getStepStats().getDevStatsList()) {
            for (NodeExecStats n : d.getNodeStatsList()) {
                String label = n.getTimelineLabel();
                int eq = label.indexOf(" = ");
                int paren = label.indexOf('(', eq + 3);
                String op = eq >= 0 && paren > eq ? label.substring(eq + 3, paren) : n.getNodeName();
                long[] v = totals.computeIfAbsent(op, k -> new long[2]);
                v[0] += n.getOpEndRelMicros() - n.getOpStartRelMicros();
                v[1]++;
            }
        }
    }
}
