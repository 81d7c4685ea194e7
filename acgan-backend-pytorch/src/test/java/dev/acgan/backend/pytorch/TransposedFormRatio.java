package dev.acgan.backend.pytorch;

import dev.acgan.api.data.Datasets;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Not a test: A/B timing of the two forms of the transposed convolution ({@code acgan.pytorch.transposedConv}) in one
 * JVM, two acgan-mnist trainers on the PyTorch backend (A and B: two forms, default direct and phase) stepped in interleaved pairs after 3 warm-up
 * steps each, alternating which goes first; prints each pair, the per-pair ratios B/A and the load average. Run from
 * the module directory as {@link PyTorchProfile} says: {@code TransposedFormRatio [pairs] [batch] [fp32|bf16] [formA] [formB]}.
 */
public final class TransposedFormRatio {

    private static final int WARMUP = 3;

    private TransposedFormRatio() {}

    public static void main(String[] args) throws IOException {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Precision precision = args.length > 2 ? Precision.parse(args[2], "precision") : Precision.FP32;
        String formA = args.length > 3 ? args[3] : "direct";
        String formB = args.length > 4 ? args[4] : "phase";
        TrainingConfig cfg = TrainingConfig.defaults()
                .withBatchSize(batch)
                .withMaxSteps(WARMUP + pairs)
                .withPrecision(precision);
        System.out.println("load average at start: "
                + Files.readString(Path.of("/proc/loadavg")).trim());
        try (GanTrainer a = trainer(formA, cfg);
                GanTrainer b = trainer(formB, cfg)) {
            for (int i = 0; i < WARMUP; i++) {
                a.step();
                b.step();
            }
            double[] ta = new double[pairs];
            double[] tb = new double[pairs];
            double[] ratio = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                if (i % 2 == 0) {
                    ta[i] = timed(a);
                    tb[i] = timed(b);
                } else {
                    tb[i] = timed(b);
                    ta[i] = timed(a);
                }
                ratio[i] = tb[i] / ta[i];
                System.out.printf(
                        "pair %d/%d: %s %.3f s, %s %.3f s, ratio %.2f%n",
                        i + 1, pairs, formA, ta[i], formB, tb[i], ratio[i]);
            }
            System.out.printf(
                    "%s batch %d, %d pairs: %s median %.3f s, %s median %.3f s; B/A per-pair median"
                            + " %.2f [%.2f, %.2f]%n",
                    precision,
                    batch,
                    pairs,
                    formA,
                    median(ta),
                    formB,
                    median(tb),
                    median(ratio),
                    Arrays.stream(ratio).min().orElse(0),
                    Arrays.stream(ratio).max().orElse(0));
        }
        System.out.println("load average at end: "
                + Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static GanTrainer trainer(String form, TrainingConfig cfg) {
        System.setProperty(NetworkCompiler.TRANSPOSED_PROPERTY, form);
        return GanTrainer.create(
                new PyTorchBackend(), Presets.byName(Presets.ACGAN_MNIST), cfg, Datasets.embeddedMnist());
    }

    private static double timed(GanTrainer t) {
        long start = System.nanoTime();
        t.step();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
