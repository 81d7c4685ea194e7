package dev.acgan.backend.nd4j;

import dev.acgan.api.data.Datasets;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.StepResult;
import dev.acgan.api.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Not a test: measures the acgan-mnist training step (batch 100) through the standard trainer, the
 * latency of generating 100 images, and the resident set size over the run. Run from the module
 * directory after {@code mvn test-compile}:
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) dev.acgan.backend.nd4j.Nd4jBenchmark [steps] [nd4j|tensorflow]
 * </pre>
 */
public final class Nd4jBenchmark {

    private Nd4jBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String which = args.length > 1 ? args[1] : "nd4j";
        int every = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        GanBackend backend = which.equals("tensorflow")
                ? (GanBackend) Class.forName("dev.acgan.backend.tensorflow.TensorFlowBackend").getDeclaredConstructor()
                        .newInstance()
                : new Nd4jBackend();
        long rss0 = rssKb();
        TrainingConfig cfg = TrainingConfig.defaults().withMaxSteps(steps);
        double[] seconds = new double[steps];
        try (GanTrainer t = GanTrainer.create(backend, Presets.byName("acgan-mnist"), cfg, Datasets.embeddedMnist())) {
            long rssStart = rssKb();
            System.out.printf("%s: RSS %d MB before, %d MB after compile%n", backend.name(), rss0 / 1024,
                    rssStart / 1024);
            long rss5 = 0;
            OpTimer timer = null;
            if (Boolean.getBoolean("profile") && t.model() instanceof Nd4jModel m) {
                timer = new OpTimer();
                for (org.nd4j.autodiff.samediff.SameDiff sd : m.graphs()) {
                    sd.addListeners(timer);
                    if (sd.hasGradientFunction()) {
                        sd.getFunction("grad").addListeners(timer);
                    }
                }
            }
            for (int s = 0; s < steps; s++) {
                long t0 = System.nanoTime();
                StepResult r = t.step();
                seconds[s] = (System.nanoTime() - t0) / 1e9;
                if (s == 4) {
                    rss5 = rssKb();
                }

                if (timer != null) {
                    System.out.println("ops of step " + (s + 1) + ":");
                    timer.print(Integer.getInteger("top", 25));
                }
                System.out.printf("  data %.0f ms%n", r.dataNanos() / 1e6);
                if (s % every == 0 || s == steps - 1) {
                    Runtime rt = Runtime.getRuntime();
                    System.out.printf("step %3d  %.3f s  (D %.3f, G %.3f)  RSS %d MB (JavaCPP tracked %d MB, heap used %d"
                            + " of %d MB)  D %.4f G %.4f%n", s + 1, seconds[s],
                            r.discriminatorNanos() / 1e9, r.generatorNanos() / 1e9, rssKb() / 1024,
                            org.bytedeco.javacpp.Pointer.totalBytes() >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20,
                            rt.totalMemory() >> 20, r.discriminator().total(), r.generator().total());
                }
            }
            double[] tail = Arrays.copyOfRange(seconds, Math.min(4, steps - 1), steps);
            Arrays.sort(tail);
            System.out.printf("median step (steps 5..%d): %.3f s; RSS after step 5: %d MB, after step %d: %d MB%n", steps,
                    tail[tail.length / 2], rss5 / 1024, steps, rssKb() / 1024);
            int[] labels = new int[100];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = i % 10;
            }
            double[] gen = new double[15];
            for (int k = 0; k < gen.length; k++) {
                long t0 = System.nanoTime();
                t.model().generator().generate(labels, k);
                gen[k] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(gen);
            System.out.printf("generate 100: median %.1f ms (min %.1f)%n", gen[gen.length / 2], gen[0]);
        }
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
