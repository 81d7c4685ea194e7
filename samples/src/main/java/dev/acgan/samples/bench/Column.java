package dev.acgan.samples.bench;

import dev.acgan.api.model.Precision;

/**
 * A column of {@code acgan bench}: one backend computing in one precision. Its key, which names the column
 * and the report's runs, is the backend's name for fp32 ({@code tensorflow}) and the name and precision
 * otherwise ({@code tensorflow bf16}).
 *
 * @param backend   backend name
 * @param precision FP32 or BF16
 */
public record Column(String backend, Precision precision) {

    /** The column's key. */
    public String key() {
        return precision == Precision.FP32 ? backend : backend + " " + precision.label();
    }

    /** The column a key names. */
    public static Column parse(String key) {
        int space = key.indexOf(' ');
        return space < 0
                ? new Column(key, Precision.FP32)
                : new Column(key.substring(0, space), Precision.parse(key.substring(space + 1), "precision"));
    }

    /** The column a child task measures. */
    public static Column of(ChildTask task) {
        return new Column(task.backend(), Precision.parse(task.precision(), "precision"));
    }
}
