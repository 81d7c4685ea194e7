package dev.acgan.api.data;

import java.util.List;

/** Which part of a dataset distributed with separate training and test files to load. */
public enum Split {
    /** The training examples ({@code train-*} files; 60,000 for MNIST and Fashion-MNIST). */
    TRAIN(List.of("train", "training")),
    /** The test examples ({@code t10k-*} or {@code test-*} files; 10,000 for MNIST and Fashion-MNIST). */
    TEST(List.of("t10k", "test", "testing"));

    private final List<String> filePrefixes;

    Split(List<String> filePrefixes) {
        this.filePrefixes = filePrefixes;
    }

    /** File-name prefixes that mark this split, e.g. {@code train} and {@code t10k}; lower case. */
    public List<String> filePrefixes() {
        return filePrefixes;
    }
}
