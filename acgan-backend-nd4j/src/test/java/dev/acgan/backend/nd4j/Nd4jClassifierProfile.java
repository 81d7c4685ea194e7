package dev.acgan.backend.nd4j;

import dev.acgan.api.data.DatasetSource;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.model.ClassifierBatch;
import dev.acgan.api.spec.ClassifierPresets;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.ParameterInitializer;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.train.AdamConfig;
import java.util.Locale;

/**
 * Diagnostics (a main, not a test): LeNet on the embedded MNIST with the ND4J backend, the time of a
 * training step at batch 32 and of predicting 1,000 images, and a per-op profile of each.
 * {@code java -cp <test classpath> dev.acgan.backend.nd4j.Nd4jClassifierProfile [steps]}
 */
public final class Nd4jClassifierProfile {

    private Nd4jClassifierProfile() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        ClassifierSpec spec = ClassifierPresets.lenet(ImageShape.mnist(), 10);
        DatasetSource data = Datasets.embeddedMnist();
        try (Nd4jClassifier m = new Nd4jClassifier(
                spec, new AdamConfig(2e-3, 0.9, 0.999, 1e-8), ParameterInitializer.initialize(spec.validate(), 1))) {
            OpTimer timer = new OpTimer();
            m.graphs().forEach(g -> g.addListeners(timer));
            for (int s = 0; s < steps + 3; s++) {
                int[] idx = new int[32];
                for (int i = 0; i < 32; i++) {
                    idx[i] = (s * 32 + i) % data.size();
                }
                ClassifierBatch b = ClassifierBatch.of(data.batch(idx));
                if (s == 3) {
                    timer.totals.clear();
                }
                long t0 = System.nanoTime();
                m.train(b, 1e-3);
                if (s >= 3) {
                    System.out.printf(Locale.ROOT, "train step %d: %.1f ms%n", s, (System.nanoTime() - t0) / 1e6);
                }
            }
            timer.print(15);
            int[] idx = new int[1000];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            ImageBatch images = data.batch(idx);
            for (int r = 0; r < 4; r++) {
                long t0 = System.nanoTime();
                m.predict(images);
                System.out.printf(Locale.ROOT, "predict 1000: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
            }
            timer.print(10);
        }
    }
}
