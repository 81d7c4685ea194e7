package dev.acgan.samples.bench;

import dev.acgan.api.data.Datasets;
import dev.acgan.api.model.ClassifierOutput;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.eval.classifier.Classifier;
import dev.acgan.eval.classifier.ClassifierData;
import dev.acgan.eval.classifier.CompiledClassifier;
import dev.acgan.eval.classifier.ImageSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: how long the evaluation classifier takes to classify 10,000 images on each backend, in one
 * JVM: the compilation (the first one also loads the backend's native library), the first call, and the
 * median of three more. {@code mnist} classifies the 10,000 embedded digits with the MNIST classifier,
 * {@code fashion-mnist} the Fashion-MNIST test split with its own. Run after {@code mvn install -DskipTests}:
 * <pre>
 * mvn -q -pl samples test-compile
 * TF_ENABLE_ONEDNN_OPTS=1 TF_CPP_MIN_LOG_LEVEL=2 \
 *   java -cp "samples/target/test-classes:samples/target/classes:samples/target/lib/*" \
 *   dev.acgan.samples.bench.ClassifierSpeed [mnist|fashion-mnist] [backend...]
 * </pre>
 */
public final class ClassifierSpeed {

    private ClassifierSpeed() {}

    public static void main(String[] args) {
        String dataset = args.length > 0 ? args[0] : "mnist";
        ImageSet images = dataset.equals("mnist")
                ? ImageSet.all(Datasets.embeddedMnist(), "the 10,000 embedded MNIST digits")
                : ClassifierData.test(dataset);
        Classifier classifier = Classifier.builtIn(dataset);
        Backends found = Backends.discover();
        List<GanBackend> backends = new ArrayList<>();
        if (args.length > 1) {
            Arrays.stream(args, 1, args.length).forEach(n -> backends.add(found.select(n)));
        } else {
            backends.addAll(found.all());
        }
        System.out.printf(Locale.ROOT, "%s classifier on %s%n", dataset, images.description());
        System.out.printf(
                Locale.ROOT,
                "%-12s %10s %10s %12s %9s%n",
                "backend",
                "compile s",
                "first s",
                "median of 3",
                "accuracy");
        for (GanBackend b : backends) {
            long t0 = System.nanoTime();
            try (CompiledClassifier c = classifier.compile(b)) {
                double compile = (System.nanoTime() - t0) / 1e9;
                long t1 = System.nanoTime();
                ClassifierOutput out = c.predict(images);
                double first = (System.nanoTime() - t1) / 1e9;
                double[] again = new double[3];
                for (int r = 0; r < again.length; r++) {
                    long t = System.nanoTime();
                    c.predict(images);
                    again[r] = (System.nanoTime() - t) / 1e9;
                }
                Arrays.sort(again);
                System.out.printf(
                        Locale.ROOT,
                        "%-12s %10.2f %10.2f %12.2f %8.2f%%%n",
                        b.name(),
                        compile,
                        first,
                        again[1],
                        100 * out.accuracy(images.labels()));
            }
        }
    }
}
