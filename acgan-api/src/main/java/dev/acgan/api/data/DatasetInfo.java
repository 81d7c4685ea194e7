package dev.acgan.api.data;

import dev.acgan.api.spec.ImageShape;
import java.util.List;

/**
 * What a dataset holds.
 *
 * @param name       human-readable name, e.g. {@code mnist (embedded, 10000 images)}
 * @param size       number of examples
 * @param image      image shape
 * @param classNames one name per class; its size is the number of classes
 */
public record DatasetInfo(String name, int size, ImageShape image, List<String> classNames) {
    /** Copies the class names. */
    public DatasetInfo {
        classNames = List.copyOf(classNames);
    }

    /** Number of classes. */
    public int numClasses() {
        return classNames.size();
    }
}
