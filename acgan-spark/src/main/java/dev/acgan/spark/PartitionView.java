package dev.acgan.spark;

import dev.acgan.api.data.DatasetInfo;
import dev.acgan.api.data.DatasetSource;
import java.util.Objects;

/**
 * Worker {@code k}'s share of a dataset among {@code n}: the examples whose index is {@code k} modulo
 * {@code n}, in index order. With {@code n == 1} it is the whole dataset, example for example.
 */
final class PartitionView implements DatasetSource {

    private final DatasetSource data;
    private final int worker;
    private final int workers;
    private final DatasetInfo info;

    PartitionView(DatasetSource data, int worker, int workers) {
        this.data = Objects.requireNonNull(data, "data");
        if (workers < 1 || worker < 0 || worker >= workers) {
            throw new IllegalArgumentException("worker " + worker + " of " + workers);
        }
        this.worker = worker;
        this.workers = workers;
        int size = sizeOf(data.size(), worker, workers);
        DatasetInfo all = data.info();
        String name = workers == 1 ? all.name() : all.name() + " [part " + worker + " of " + workers + "]";
        this.info = new DatasetInfo(name, size, all.image(), all.classNames());
    }

    /** Examples of worker {@code k} among {@code n} of a dataset of {@code total}. */
    static int sizeOf(int total, int k, int n) {
        return total / n + (k < total % n ? 1 : 0);
    }

    @Override
    public DatasetInfo info() {
        return info;
    }

    @Override
    public int label(int index) {
        return data.label(map(index));
    }

    @Override
    public void readImage(int index, float[] dst, int offset) {
        data.readImage(map(index), dst, offset);
    }

    private int map(int index) {
        Objects.checkIndex(index, info.size());
        return index * workers + worker;
    }
}
