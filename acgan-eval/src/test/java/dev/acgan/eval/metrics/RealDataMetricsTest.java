package dev.acgan.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spi.Backends;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.eval.classifier.Classifier;
import dev.acgan.eval.classifier.ClassifierData;
import dev.acgan.eval.classifier.CompiledClassifier;
import dev.acgan.eval.classifier.ImageSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The evaluation on real images posing as generated ones, with the shipped MNIST classifier: real test
 * digits "generated" for their true class score like the real sample; the same digits with shuffled
 * requested classes keep FID and diversity but fall to chance accuracy; one digit repeated collapses the
 * diversity and raises FID; a faint 2x2 checker added to the digits raises the checkerboard ratio while
 * real digits keep it near 1. The classifier runs on the default backend.
 */
class RealDataMetricsTest {

    static Classifier classifier;
    static CompiledClassifier compiled;
    static ImageSet test;
    /** Images per class. */
    static final int PER = 30;
    /** The last 30 test digits of each class: none of them in the real comparison sample (the first 30). */
    static ImageBatch fakes;

    @BeforeAll
    static void load() {
        classifier = Classifier.builtIn("mnist");
        compiled = classifier.compile(Backends.discover().select());
        test = ClassifierData.test("mnist");
        int[] labels = test.labels();
        int[] taken = new int[10];
        int[] rows = new int[10 * PER];
        int n = 0;
        for (int i = labels.length - 1; i >= 0; i--) {
            if (taken[labels[i]] < PER) {
                taken[labels[i]]++;
                rows[n++] = test.indices()[i];
            }
        }
        assertEquals(10 * PER, n);
        fakes = test.source().batch(rows);
    }

    @AfterAll
    static void close() {
        compiled.close();
    }

    @Test
    void realImagesForTheirClassScoreLikeRealImages() {
        EvaluationReport r = Evaluator.evaluate(compiled, test, fakes, PER);
        assertEquals(10 * PER, r.generatedImages());
        assertTrue(r.conditionalAccuracy() > 0.95, "conditional accuracy " + r.conditionalAccuracy());
        assertEquals(classifier.testAccuracy(), r.classifierTestAccuracy(), 1e-9);
        assertTrue(r.classifierScore() > 8.5 && r.classifierScore() <= 10, "score " + r.classifierScore());
        System.out.printf(
                "real digits as generated ones: FID %.2f, baseline %.2f, accuracy %.4f, score %.2f%n",
                r.fid(), r.fidBaseline(), r.conditionalAccuracy(), r.classifierScore());
        // 300 images in 84 dimensions: both carry the small-sample bias of FID and its spread (two disjoint
        // sets of 300 real digits differ by several points), far below what a poor generator gets (hundreds).
        assertTrue(r.fidBaseline() < 20, "baseline " + r.fidBaseline());
        assertTrue(r.fid() < 2 * r.fidBaseline(), "FID " + r.fid() + " near the baseline " + r.fidBaseline());
        assertEquals(1, r.diversity() / r.realDiversity(), 0.1, "diversity like real");
        System.out.printf(
                "real digits as generated ones: checkerboard %.3f (periodic share %.5f, real %.5f)%n",
                r.checkerboard(), r.periodicShare(), r.realPeriodicShare());
        assertEquals(1, r.checkerboard(), 0.3, "checkerboard like real");
        assertEquals(r.periodicShare() / r.realPeriodicShare(), r.checkerboard(), 1e-12);
        for (EvaluationReport.ClassScores k : r.perClass()) {
            assertEquals(PER, k.generated());
            assertTrue(k.accuracy() > 0.85, k.toString());
            assertEquals(0.1, k.share(), 0.03, k.toString());
        }
    }

    @Test
    void shuffledRequestedClassesFallToChance() {
        int[] shuffled = fakes.labels().clone();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        EvaluationReport right = Evaluator.evaluate(compiled, test, fakes, PER);
        EvaluationReport r = Evaluator.evaluate(compiled, test, fakes.withLabels(shuffled), PER);
        assertEquals(0.1, r.conditionalAccuracy(), 0.05, "chance");
        assertEquals(right.fid(), r.fid(), 1e-9, "FID ignores the requested classes");
        assertEquals(right.classifierScore(), r.classifierScore(), 1e-9);
    }

    @Test
    void oneRepeatedImagePerClassCollapsesDiversity() {
        int per = fakes.imageSize();
        float[] px = new float[fakes.pixels().length];
        for (int i = 0; i < fakes.count(); i++) {
            // every image replaced by the first fake of its class
            int first = 0;
            while (fakes.labels()[first] != fakes.labels()[i]) {
                first++;
            }
            System.arraycopy(fakes.pixels(), first * per, px, i * per, per);
        }
        ImageBatch collapsed = ImageBatch.nhwc(fakes.count(), 28, 28, 1, px, fakes.labels());
        EvaluationReport r = Evaluator.evaluate(compiled, test, collapsed, PER);
        assertEquals(0, r.diversity(), 1e-9);
        assertTrue(r.realDiversity() > 1);
        EvaluationReport right = Evaluator.evaluate(compiled, test, fakes, PER);
        System.out.printf("one image per class: FID %.2f (distinct real digits: %.2f)%n", r.fid(), right.fid());
        assertTrue(r.fid() > 3 * right.fid(), "collapse raises FID: " + r.fid() + " vs " + right.fid());
    }

    @Test
    void aFaintCheckerRaisesTheCheckerboardRatio() {
        float[] px = fakes.pixels().clone();
        for (int i = 0; i < fakes.count(); i++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int p = i * 784 + y * 28 + x;
                    // +-0.1 on a pixel range of 2 (clipped there): 5% of the range, faint.
                    px[p] = Math.max(-1, Math.min(1, px[p] + ((y + x) % 2 == 0 ? 0.1f : -0.1f)));
                }
            }
        }
        ImageBatch checkered = ImageBatch.nhwc(fakes.count(), 28, 28, 1, px, fakes.labels());
        EvaluationReport r = Evaluator.evaluate(compiled, test, checkered, PER);
        EvaluationReport right = Evaluator.evaluate(compiled, test, fakes, PER);
        System.out.printf("faint checker: checkerboard %.3f (without: %.3f)%n", r.checkerboard(), right.checkerboard());
        assertTrue(r.checkerboard() > 2 * right.checkerboard(), r.checkerboard() + " vs " + right.checkerboard());
        assertEquals(right.realPeriodicShare(), r.realPeriodicShare(), 0, "the real reference is the same");
    }
}
