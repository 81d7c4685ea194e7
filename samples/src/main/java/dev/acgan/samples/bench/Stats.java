package dev.acgan.samples.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Median, minimum, maximum and mean of a sample.
 *
 * @param median the middle value (the mean of the two middle values for an even count)
 * @param min    smallest
 * @param max    largest
 * @param mean   arithmetic mean
 * @param count  values
 */
public record Stats(double median, double min, double max, double mean, int count) {

    /** Of the values (at least one). */
    public static Stats of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return new Stats(median, v[0], v[n - 1], sum / n, n);
    }

    /** Of the values (at least one). */
    public static Stats of(List<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The median of the values (at least one). */
    public static double median(List<Double> values) {
        return of(values).median();
    }
}
