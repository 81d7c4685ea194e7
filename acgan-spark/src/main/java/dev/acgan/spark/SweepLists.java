package dev.acgan.spark;

import dev.acgan.api.train.AdamConfig;
import dev.acgan.api.train.TrainingConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The value lists of {@code acgan spark sweep} ({@code --seeds 1,2 --lr 1e-4,2e-4 --aux-weights 2,0,3:1,1,1
 * --batch-size 32,64}) and their cartesian product. Each bad list is one {@link IllegalArgumentException} naming
 * the option and the value.
 */
final class SweepLists {

    /** Most runs one sweep makes (a typo such as {@code --seeds 1-1000} should not start a thousand runs). */
    static final int MAX_RUNS = 256;

    private SweepLists() {}

    static List<Long> longs(String option, String text) {
        return parse(option, text, ",", "whole numbers, e.g. 1,2,3", Long::parseLong, v -> true);
    }

    static List<Double> positive(String option, String text) {
        return parse(
                option,
                text,
                ",",
                "positive numbers, e.g. 1e-4,2e-4",
                Double::parseDouble,
                v -> v > 0 && Double.isFinite(v));
    }

    static List<Double> beta1(String option, String text) {
        return parse(
                option,
                text,
                ",",
                "numbers from 0 to below 1, e.g. 0.5,0.9",
                Double::parseDouble,
                v -> v >= 0 && v < 1);
    }

    static List<Integer> batchSizes(String option, String text) {
        return parse(option, text, ",", "whole numbers of at least 1, e.g. 32,64", Integer::parseInt, v -> v >= 1);
    }

    static List<float[]> auxWeights(String option, String text) {
        List<float[]> out = parse(
                option,
                text,
                ":",
                "recipes of three non-negative numbers REAL,FAKE,GENERATOR separated by ':', e.g. 2,0,3:1,1,1",
                SweepLists::weights,
                w -> w != null);
        Set<List<Float>> seen = new HashSet<>();
        for (float[] w : out) {
            if (!seen.add(List.of(w[0], w[1], w[2]))) {
                throw new IllegalArgumentException(
                        option + ": " + w[0] + "," + w[1] + "," + w[2] + " is given twice in '" + text + "'");
            }
        }
        return out;
    }

    private static float[] weights(String s) {
        String[] parts = s.split(",", -1);
        if (parts.length != 3) {
            return null;
        }
        float[] w = new float[3];
        for (int i = 0; i < 3; i++) {
            w[i] = Float.parseFloat(parts[i].strip());
            if (!(w[i] >= 0) || !Float.isFinite(w[i])) {
                return null;
            }
        }
        return w;
    }

    private static <T> List<T> parse(
            String option,
            String text,
            String separator,
            String expected,
            Function<String, T> parser,
            java.util.function.Predicate<T> valid) {
        List<T> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String raw : text.split(separator, -1)) {
            String v = raw.strip();
            T value;
            try {
                value = v.isEmpty() ? null : parser.apply(v);
            } catch (NumberFormatException e) {
                value = null;
            }
            if (value == null || !valid.test(value)) {
                throw new IllegalArgumentException(
                        option + ": '" + v + "' in '" + text + "' is not valid; expected " + expected);
            }
            if (!(value instanceof float[]) && !seen.add(String.valueOf(value))) {
                throw new IllegalArgumentException(option + ": " + v + " is given twice in '" + text + "'");
            }
            out.add(value);
        }
        return out;
    }

    /**
     * Every combination, the seed varying fastest, then the aux weights ({@code null}: the base's), beta1, the
     * learning rate and the batch size.
     */
    static List<TrainingConfig> product(
            TrainingConfig base,
            List<Integer> batchSizes,
            List<Double> learningRates,
            List<Double> beta1s,
            List<float[]> auxWeights,
            List<Long> seeds) {
        List<float[]> aux = auxWeights == null
                ? List.of(new float[] {base.auxWeightReal(), base.auxWeightFake(), base.auxWeightGenerator()})
                : auxWeights;
        long n = (long) batchSizes.size() * learningRates.size() * beta1s.size() * aux.size() * seeds.size();
        if (n > MAX_RUNS) {
            throw new IllegalArgumentException("the lists make " + n + " runs; a sweep makes at most " + MAX_RUNS);
        }
        List<TrainingConfig> out = new ArrayList<>();
        for (int b : batchSizes) {
            for (double lr : learningRates) {
                for (double b1 : beta1s) {
                    AdamConfig adam =
                            base.generatorOptimizer().withLearningRate(lr).withBeta1(b1);
                    for (float[] w : aux) {
                        for (long seed : seeds) {
                            out.add(base.withBatchSize(b)
                                    .withOptimizers(adam, adam)
                                    .withAuxiliaryWeights(w[0], w[1], w[2])
                                    .withSeed(seed));
                        }
                    }
                }
            }
        }
        return out;
    }
}
