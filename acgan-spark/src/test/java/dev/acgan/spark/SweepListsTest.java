package dev.acgan.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.train.TrainingConfig;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The value lists of {@code acgan spark sweep} and their cartesian product (no Spark). */
class SweepListsTest {

    @Test
    void theProductHasEveryCombinationSeedFastest() {
        TrainingConfig base = TrainingConfig.forPreset("acgan-fast").withMaxSteps(5);
        List<TrainingConfig> all = SweepLists.product(
                base,
                SweepLists.batchSizes("--batch-size", "32,64"),
                SweepLists.positive("--lr", "1e-4, 2e-4"),
                SweepLists.beta1("--beta1", "0.5"),
                SweepLists.auxWeights("--aux-weights", "2,0,3:1,1,1"),
                SweepLists.longs("--seeds", "1,2"));
        assertEquals(16, all.size());
        assertEquals(16, new HashSet<>(all).size());
        TrainingConfig first = all.get(0);
        assertEquals(1, first.seed());
        assertEquals(32, first.batchSize());
        assertEquals(1e-4, first.generatorOptimizer().learningRate());
        assertEquals(1e-4, first.discriminatorOptimizer().learningRate());
        assertEquals("2,0,3", SparkTraining.auxWeights(first));
        assertEquals(2, all.get(1).seed());
        assertEquals("1,1,1", SparkTraining.auxWeights(all.get(2)));
        assertEquals(2e-4, all.get(4).generatorOptimizer().learningRate());
        assertEquals(64, all.get(8).batchSize());
        assertEquals(5, all.get(15).maxSteps());
        // Without --aux-weights the model's recipe stays.
        List<TrainingConfig> one =
                SweepLists.product(base, List.of(64), List.of(2e-4), List.of(0.5), null, List.of(42L));
        assertEquals(base.withBatchSize(64), one.get(0));
    }

    @Test
    void aBadListIsOneErrorNamingTheOptionAndValue() {
        String[][] cases = {
            {"--lr", "1e-4,x", "'x'"},
            {"--lr", "1e-4,-2", "'-2'"},
            {"--seeds", "1,,2", "''"},
            {"--seeds", "1,1", "1 is given twice"},
            {"--batch-size", "32,0", "'0'"},
            {"--beta1", "1.5", "'1.5'"},
            {"--aux-weights", "2,0,3:1,1", "'1,1'"},
            {"--aux-weights", "1,1,1:1,1,1", "is given twice"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(c[0], c[1]));
            assertTrue(e.getMessage().startsWith(c[0] + ": ") && e.getMessage().contains(c[2]), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
        IllegalArgumentException big = assertThrows(
                IllegalArgumentException.class,
                () -> SweepLists.product(
                        TrainingConfig.defaults(),
                        List.of(8, 16, 32, 64, 128),
                        List.of(1e-4, 2e-4, 3e-4, 4e-4, 5e-4, 6e-4, 7e-4, 8e-4),
                        List.of(0.5),
                        null,
                        List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L)));
        assertTrue(big.getMessage().contains("280 runs"), big.getMessage());
    }

    private static Object parse(String option, String text) {
        return switch (option) {
            case "--lr" -> SweepLists.positive(option, text);
            case "--seeds" -> SweepLists.longs(option, text);
            case "--batch-size" -> SweepLists.batchSizes(option, text);
            case "--beta1" -> SweepLists.beta1(option, text);
            default -> SweepLists.auxWeights(option, text);
        };
    }
}
