package dev.acgan.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.tensor.ImageBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class BatchIteratorTest {

    /** A dataset whose example i is a 1x2x1 image of pixel values (i/size, -i/size) and label i % 3. */
    private static final class Counting implements DatasetSource {
        private final int size;

        Counting(int size) {
            this.size = size;
        }

        @Override
        public DatasetInfo info() {
            return new DatasetInfo("counting", size, new ImageShape(1, 2, 1), List.of("a", "b", "c"));
        }

        @Override
        public int label(int index) {
            return index % 3;
        }

        @Override
        public void readImage(int index, float[] dst, int offset) {
            dst[offset] = (float) index / size;
            dst[offset + 1] = -(float) index / size;
        }
    }

    /** The example indices of the remaining batches, recovered from the pixel values. */
    private static List<int[]> drain(BatchIterator it, int size) {
        List<int[]> out = new ArrayList<>();
        while (it.hasNext()) {
            ImageBatch b = it.next();
            int[] idx = new int[b.count()];
            for (int i = 0; i < b.count(); i++) {
                idx[i] = Math.round(b.pixels()[2 * i] * size);
                assertEquals(idx[i] % 3, b.labels()[i]);
            }
            out.add(idx);
        }
        return out;
    }

    private static int[] flatten(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void batchesPerEpochIsCeiling() {
        assertEquals(0, BatchIterator.batchesPerEpoch(0, 5));
        assertEquals(1, BatchIterator.batchesPerEpoch(5, 5));
        assertEquals(2, BatchIterator.batchesPerEpoch(6, 5));
        assertEquals(157, BatchIterator.batchesPerEpoch(10_000, 64));
        assertEquals(2, BatchIterator.batchesPerEpoch(Integer.MAX_VALUE, Integer.MAX_VALUE - 1));
        assertThrows(IllegalArgumentException.class, () -> BatchIterator.batchesPerEpoch(3, 0));
    }

    @Test
    void sameSeedAndEpochGiveTheSameOrder() {
        Counting ds = new Counting(103);
        List<int[]> a = drain(new BatchIterator(ds, 10, 42L, 3, 0), 103);
        List<int[]> b = drain(new BatchIterator(ds, 10, 42L, 3, 0), 103);
        assertEquals(a.size(), b.size());
        assertArrayEquals(flatten(a), flatten(b));
        assertArrayEquals(BatchIterator.permutation(103, 42L, 3), flatten(a));
    }

    @Test
    void differentEpochOrSeedGiveADifferentOrder() {
        assertFalse(Arrays.equals(BatchIterator.permutation(1000, 42L, 0), BatchIterator.permutation(1000, 42L, 1)));
        assertFalse(Arrays.equals(BatchIterator.permutation(1000, 42L, 0), BatchIterator.permutation(1000, 43L, 0)));
        int[] identity = java.util.stream.IntStream.range(0, 1000).toArray();
        assertNotEquals(Arrays.toString(identity), Arrays.toString(BatchIterator.permutation(1000, 42L, 0)));
    }

    @Test
    void everyExampleOnceEachEpochWithPartialLastBatch() {
        Counting ds = new Counting(103);
        for (int epoch = 0; epoch < 3; epoch++) {
            BatchIterator it = new BatchIterator(ds, 10, 7L, epoch, 0);
            assertEquals(11, it.batchesPerEpoch());
            List<int[]> batches = drain(it, 103);
            assertEquals(11, batches.size());
            for (int i = 0; i < 10; i++) {
                assertEquals(10, batches.get(i).length);
            }
            assertEquals(3, batches.get(10).length);
            int[] all = flatten(batches);
            Arrays.sort(all);
            assertArrayEquals(java.util.stream.IntStream.range(0, 103).toArray(), all);
            assertEquals(11, it.nextBatchIndex());
            assertThrows(NoSuchElementException.class, it::next);
        }
    }

    @Test
    void resumeFromStartBatchEqualsTheTailOfAFullEpoch() {
        Counting ds = new Counting(50);
        List<int[]> full = drain(new BatchIterator(ds, 8, 99L, 5, 0), 50);
        for (int start = 0; start <= 7; start++) {
            BatchIterator resumed = new BatchIterator(ds, 8, 99L, 5, start);
            assertEquals(start, resumed.nextBatchIndex());
            List<int[]> tail = drain(resumed, 50);
            assertEquals(full.size() - start, tail.size());
            for (int i = 0; i < tail.size(); i++) {
                assertArrayEquals(full.get(start + i), tail.get(i), "batch " + (start + i));
            }
        }
    }

    @Test
    void nextBatchIndexAdvances() {
        BatchIterator it = new BatchIterator(new Counting(5), 2, 1L, 0);
        assertEquals(0, it.nextBatchIndex());
        assertEquals(2, it.next().count());
        assertEquals(1, it.nextBatchIndex());
        it.next();
        assertEquals(1, it.next().count());
        assertFalse(it.hasNext());
    }

    @Test
    void rejectsBadArguments() {
        Counting ds = new Counting(10);
        assertThrows(IllegalArgumentException.class, () -> new BatchIterator(ds, 0, 1L, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new BatchIterator(ds, 3, 1L, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new BatchIterator(ds, 3, 1L, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> new BatchIterator(ds, 3, 1L, 0, -1));
        assertFalse(new BatchIterator(ds, 3, 1L, 0, 4).hasNext());
    }

    @Test
    void realDataBatchesAreConsistentWithTheSource() {
        IdxDataset mnist = EmbeddedMnist.load();
        BatchIterator it = new BatchIterator(mnist, 64, 2024L, 0, 156);
        assertEquals(157, it.batchesPerEpoch());
        ImageBatch last = it.next();
        assertEquals(10_000 - 156 * 64, last.count());
        int[] idx = it.indicesOf(156);
        float[] px = new float[784];
        mnist.readImage(idx[3], px, 0);
        assertArrayEquals(px, Arrays.copyOfRange(last.pixels(), 3 * 784, 4 * 784));
        assertEquals(mnist.label(idx[3]), last.labels()[3]);
        assertTrue(last.labelled());
    }
}
