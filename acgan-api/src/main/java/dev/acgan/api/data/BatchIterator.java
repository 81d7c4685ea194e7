package dev.acgan.api.data;

import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.train.SeedStreams;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The batches of one epoch of a dataset, in a seeded random order.
 *
 * <p>The order is a Fisher–Yates shuffle driven by
 * {@link SeedStreams#random(long, SeedStreams.Purpose, long) SeedStreams.random(seed, SHUFFLE, epoch)},
 * so it depends only on the dataset size, the seed and the epoch: the same triple always gives the same
 * batches, and each epoch visits every example exactly once. There are
 * {@code ceil(size / batchSize)} batches; the last one is smaller when the size is not a multiple of
 * the batch size. Starting at batch {@code startBatch} yields exactly the batches an iteration from 0
 * would have yielded from there on, which is how an interrupted run resumes mid-epoch.
 *
 * <p>Not thread-safe; the dataset is only read.
 */
public final class BatchIterator implements Iterator<ImageBatch> {

    private final DatasetSource source;
    private final int batchSize;
    private final int[] order;
    private final int batches;
    private int next;

    /**
     * @param source     the dataset
     * @param batchSize  examples per batch, positive
     * @param seed       the training seed
     * @param epoch      the epoch, non-negative; selects the order
     * @param startBatch the first batch to return, in {@code [0, batchesPerEpoch]}
     */
    public BatchIterator(DatasetSource source, int batchSize, long seed, int epoch, int startBatch) {
        this.source = Objects.requireNonNull(source, "source");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be non-negative, got " + epoch);
        }
        this.batchSize = batchSize;
        this.order = permutation(source.size(), seed, epoch);
        this.batches = batchesPerEpoch(order.length, batchSize);
        if (startBatch < 0 || startBatch > batches) {
            throw new IllegalArgumentException("start batch " + startBatch + " is outside [0, " + batches + "] for "
                    + order.length + " examples in batches of " + batchSize);
        }
        this.next = startBatch;
    }

    /** An iterator over a whole epoch, from its first batch. */
    public BatchIterator(DatasetSource source, int batchSize, long seed, int epoch) {
        this(source, batchSize, seed, epoch, 0);
    }

    /** {@code ceil(size / batchSize)}: the number of batches of an epoch, the last possibly partial. */
    public static int batchesPerEpoch(int size, int batchSize) {
        if (size < 0 || batchSize <= 0) {
            throw new IllegalArgumentException("need size >= 0 and batch size > 0, got " + size + " and " + batchSize);
        }
        return (int) (((long) size + batchSize - 1) / batchSize);
    }

    /**
     * The order in which an epoch visits the examples: a permutation of {@code 0..size-1} by a
     * Fisher–Yates shuffle seeded with {@code SeedStreams.random(seed, SHUFFLE, epoch)}.
     */
    public static int[] permutation(int size, long seed, int epoch) {
        int[] p = new int[size];
        for (int i = 0; i < size; i++) {
            p[i] = i;
        }
        SplittableRandom random = SeedStreams.random(seed, SeedStreams.Purpose.SHUFFLE, epoch);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The number of batches of this epoch. */
    public int batchesPerEpoch() {
        return batches;
    }

    /** The index within the epoch of the batch {@link #next()} returns; equals the batch count at the end. */
    public int nextBatchIndex() {
        return next;
    }

    /** The dataset indices of batch {@code b} of this epoch (a copy). */
    public int[] indicesOf(int b) {
        Objects.checkIndex(b, batches);
        int from = b * batchSize;
        return Arrays.copyOfRange(order, from, (int) Math.min(order.length, (long) from + batchSize));
    }

    @Override
    public boolean hasNext() {
        return next < batches;
    }

    /** The next batch, with labels; its count is the batch size except possibly for the last one. */
    @Override
    public ImageBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch finished after " + batches + " batches");
        }
        return source.batch(indicesOf(next++));
    }
}
