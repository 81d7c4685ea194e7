package dev.acgan.samples.bench;

import dev.acgan.api.data.Datasets;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.TrainingConfig;

/**
 * Not a test: the step-time ratio of two backends measured in one JVM, one step of each in turn
 * ({@code a b}, then {@code b a}, and so on), so that both see the same moment of a shared machine.
 * {@code ./acgan bench} runs each backend in its own JVM one after the other, which is right for memory
 * and start-up figures, but on a host whose speed drifts from minute to minute the ratio of two separate
 * medians moves with the drift (three runs of {@code --batch-sizes 100} within half an hour gave ND4J /
 * TensorFlow 2.09, 1.79 and 1.79); the median of per-pair ratios here moves less (five runs: 1.61 to
 * 1.73). Both backends share the two cores in turn, never at the same time. Run after
 * {@code mvn install -DskipTests}:
 * <pre>
 * mvn -q -pl samples test-compile
 * TF_ENABLE_ONEDNN_OPTS=1 TF_CPP_MIN_LOG_LEVEL=2 \
 *   java -cp "samples/target/test-classes:samples/target/classes:samples/target/lib/*" \
 *   dev.acgan.samples.bench.InterleavedRatio [pairs=24] [batch=100] [first=tensorflow] [second=nd4j]
 * </pre>
 * A backend may name its precision, {@code tensorflow:bf16} (fp32 otherwise), e.g. {@code 24 100 tensorflow
 * tensorflow:bf16} for bf16 against fp32 on the same backend.
 */
public final class InterleavedRatio {

    private static final int WARMUP = 3;

    private InterleavedRatio() {}

    public static void main(String[] args) {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 24;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        String first = args.length > 2 ? args[2] : "tensorflow";
        String second = args.length > 3 ? args[3] : "nd4j";
        TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(batch).withMaxSteps(WARMUP + pairs);
        try (GanTrainer a = trainer(first, cfg);
                GanTrainer b = trainer(second, cfg)) {
            for (int i = 0; i < WARMUP; i++) {
                a.step();
                b.step();
            }
            double[] ta = new double[pairs];
            double[] tb = new double[pairs];
            double[] ratio = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                // alternate which backend goes first, so neither always follows the other's cache traffic
                if (i % 2 == 0) {
                    ta[i] = timed(a);
                    tb[i] = timed(b);
                } else {
                    tb[i] = timed(b);
                    ta[i] = timed(a);
                }
                ratio[i] = tb[i] / ta[i];
                System.err.printf("pair %d/%d: %s %.3f s, %s %.3f s%n", i + 1, pairs, first, ta[i], second, tb[i]);
            }
            Stats sa = Stats.of(ta);
            Stats sb = Stats.of(tb);
            Stats sr = Stats.of(ratio);
            System.out.printf(
                    "acgan-mnist, batch %d, %d interleaved pairs after %d warm-up steps each%n", batch, pairs, WARMUP);
            System.out.printf("  %-12s step median %.3f s [%.3f, %.3f]%n", first, sa.median(), sa.min(), sa.max());
            System.out.printf("  %-12s step median %.3f s [%.3f, %.3f]%n", second, sb.median(), sb.min(), sb.max());
            System.out.printf(
                    "  %s / %s: per-pair median %.2f [%.2f, %.2f], ratio of medians %.2f%n",
                    second, first, sr.median(), sr.min(), sr.max(), sb.median() / sa.median());
        }
    }

    /** A trainer on {@code backend} or {@code backend:precision}. */
    private static GanTrainer trainer(String backend, TrainingConfig cfg) {
        int colon = backend.indexOf(':');
        Precision p = colon < 0 ? Precision.FP32 : Precision.parse(backend.substring(colon + 1), "precision");
        return GanTrainer.create(
                Backends.discover().select(colon < 0 ? backend : backend.substring(0, colon)),
                Presets.byName(Presets.ACGAN_MNIST),
                cfg.withPrecision(p),
                Datasets.embeddedMnist());
    }

    private static double timed(GanTrainer t) {
        long start = System.nanoTime();
        t.step();
        return (System.nanoTime() - start) / 1e9;
    }
}
