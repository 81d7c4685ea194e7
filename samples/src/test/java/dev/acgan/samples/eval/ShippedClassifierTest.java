package dev.acgan.samples.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.acgan.api.data.FashionMnist;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The classifiers shipped with the samples: they reach the accuracy they state on the real test split,
 * their stored FID reference is the feature statistics of their training split, and (opt-in, about two
 * minutes for MNIST and four for Fashion-MNIST on 2 cores: {@code -Dacgan.eval.reproduce=true}) retraining
 * with their recipe reproduces them byte for byte.
 */
class ShippedClassifierTest {

    static final Path FASHION = Path.of(FashionMnist.DEFAULT_DIR);

    @Test
    void mnistReachesItsStatedAccuracyOnTheTestSplit() {
        Classifier c = Classifier.builtIn("mnist");
        ImageSet test = ClassifierData.test("mnist");
        assertEquals(ClassifierData.MNIST_TEST, test.size());
        double acc = c.predict(test).accuracy(test.labels());
        assertTrue(acc >= 0.97, "accuracy " + acc);
        assertEquals(c.testAccuracy(), acc, 1e-6, "the accuracy stored in the file");
        assertEquals(ClassifierData.MNIST_TEST, c.testImages());
        assertEquals(ClassifierData.MNIST_TRAIN, c.trainImages());
        assertEquals(ClassifierRecipe.defaults("mnist"), c.recipe(), "shipped with the default recipe");
        assertEquals(LeNetShape.standard(10), c.network().shape());
        assertEquals(10, c.classNames().size());
    }

    @Test
    void mnistReferenceIsTheFeatureStatisticsOfTheTrainingSplit() {
        Classifier c = Classifier.builtIn("mnist");
        ImageSet train = ClassifierData.train("mnist");
        LeNet.Predictions p = c.predict(train);
        FeatureStats s = FeatureStats.of(p.features(), p.featureLength(), p.count());
        FeatureStats ref = c.reference();
        assertEquals(train.size(), ref.count());
        for (int i = 0; i < s.dim(); i++) {
            assertEquals(s.mean()[i], ref.mean()[i], 1e-6 + 1e-6 * Math.abs(s.mean()[i]));
            for (int j = 0; j < s.dim(); j++) {
                assertEquals(s.covariance()[i][j], ref.covariance()[i][j], 1e-6 + 1e-6 * Math.abs(s.covariance()[i][j]));
            }
        }
        assertTrue(Fid.distance(s, ref) < 1e-3, "FID of the training split against its own statistics");
    }

    @Test
    void mnistSplitIsTheFirst8000AndLast2000() {
        ImageSet train = ClassifierData.train("mnist");
        ImageSet test = ClassifierData.test("mnist");
        assertEquals(8000, train.size());
        assertEquals(2000, test.size());
        assertEquals(0, train.indices()[0]);
        assertEquals(8000, test.indices()[0]);
        int[] perClass = new int[10];
        for (int y : train.labels()) {
            perClass[y]++;
        }
        int[] expected = new int[10];
        java.util.Arrays.fill(expected, 800);
        assertArrayEquals(expected, perClass, "the interleaved classes make the training split balanced");
        int[] testPerClass = new int[10];
        for (int y : test.labels()) {
            testPerClass[y]++;
        }
        assertArrayEquals(new int[] {201, 327, 191, 232, 180, 63, 214, 270, 144, 178}, testPerClass,
                "the interleaving runs out of the rarer classes towards the end");
    }

    @Test
    void fashionMnistReachesItsStatedAccuracyOnTheTestSplit() {
        assumeTrue(Files.isDirectory(FASHION), FASHION + " not installed (apt-get install dataset-fashion-mnist)");
        Classifier c = Classifier.builtIn("fashion-mnist");
        ImageSet test = ClassifierData.test("fashion-mnist");
        assertEquals(10_000, test.size());
        double acc = c.predict(test).accuracy(test.labels());
        assertTrue(acc >= 0.85, "accuracy " + acc);
        assertEquals(c.testAccuracy(), acc, 1e-6, "the accuracy stored in the file");
        assertEquals(60_000, c.trainImages());
        assertEquals(ClassifierRecipe.defaults("fashion-mnist"), c.recipe());
        assertEquals(FashionMnist.CLASS_NAMES, c.classNames());
    }

    @Test
    void fileRoundTripsByteForByte() throws IOException {
        byte[] shipped;
        try (InputStream in = Classifier.class.getResourceAsStream(Classifier.resource("mnist"))) {
            shipped = in.readAllBytes();
        }
        Classifier c = Classifier.decode(shipped, "mnist");
        assertArrayEquals(shipped, c.encode());
        assertEquals(Classifier.sha256(shipped), Classifier.builtIn("mnist").sha256());
    }

    @Test
    @EnabledIfSystemProperty(named = "acgan.eval.reproduce", matches = "true")
    void retrainingMnistReproducesTheShippedFile() {
        Classifier shipped = Classifier.builtIn("mnist");
        ClassifierTrainer.Result r = ClassifierTrainer.train(ClassifierRecipe.defaults("mnist"), null);
        assertEquals(shipped.sha256(), Classifier.sha256(r.classifier().encode()));
    }

    @Test
    @EnabledIfSystemProperty(named = "acgan.eval.reproduce", matches = "true")
    void retrainingFashionMnistReproducesTheShippedFile() {
        assumeTrue(Files.isDirectory(FASHION), FASHION + " not installed (apt-get install dataset-fashion-mnist)");
        Classifier shipped = Classifier.builtIn("fashion-mnist");
        ClassifierTrainer.Result r = ClassifierTrainer.train(ClassifierRecipe.defaults("fashion-mnist"), null);
        assertEquals(shipped.sha256(), Classifier.sha256(r.classifier().encode()));
    }
}
