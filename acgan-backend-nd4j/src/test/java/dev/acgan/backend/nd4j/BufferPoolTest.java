package dev.acgan.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.data.Datasets;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The recycling of SameDiff temporaries: reuse by exact length, refusals, eviction, and a real training. */
class BufferPoolTest {

    private static INDArray detached(long... shape) {
        NativeRuntime.ensureStarted();
        return Nd4j.createUninitializedDetached(DataType.FLOAT, shape);
    }

    @Test
    void aGivenBufferServesTheNextRequestOfTheSameLengthInAnyShape() {
        try (BufferPool pool = new BufferPool()) {
            assertNull(pool.take(DataType.FLOAT, new long[] {6, 4}, new long[] {4, 1}, 'c'));
            INDArray a = detached(6, 4);
            long address = a.data().address();
            assertTrue(pool.give(a));
            assertEquals(96, pool.idleBytes());
            assertNull(pool.take(DataType.FLOAT, new long[] {5, 4}, new long[] {4, 1}, 'c'), "other length");
            assertNull(pool.take(DataType.DOUBLE, new long[] {6, 4}, new long[] {4, 1}, 'c'), "other type");
            INDArray b = pool.take(DataType.FLOAT, new long[] {2, 3, 4}, new long[] {12, 4, 1}, 'c');
            assertNotNull(b);
            assertEquals(address, b.data().address());
            assertArrayEquals(new long[] {2, 3, 4}, b.shape());
            b.assign(3f);
            assertEquals(72f, b.sumNumber().floatValue());
            assertEquals(0, pool.idleBytes());
            assertArrayEquals(new long[] {1, 3}, pool.hitsAndMisses());
            b.close();
        }
    }

    @Test
    void aBufferGivenTwiceIsHandedOutOnce() {
        try (BufferPool pool = new BufferPool()) {
            INDArray a = detached(10);
            assertTrue(pool.give(a));
            assertTrue(pool.give(a));
            assertNotNull(pool.take(DataType.FLOAT, new long[] {10}, new long[] {1}, 'c'));
            assertNull(pool.take(DataType.FLOAT, new long[] {10}, new long[] {1}, 'c'));
            a.close();
        }
    }

    @Test
    void closedArraysAndViewsAreRefused() {
        try (BufferPool pool = new BufferPool()) {
            INDArray closed = detached(4);
            closed.close();
            assertFalse(pool.give(closed));
            INDArray parent = detached(4, 4);
            INDArray row = parent.getRow(1);
            assertFalse(pool.give(row));
            assertFalse(pool.give(null));
            assertEquals(0, pool.idleBytes());
            parent.close();
        }
    }

    @Test
    void lengthsNoCallTookAreFreedAndClosingFreesTheRest() {
        BufferPool pool = new BufferPool();
        INDArray stale = detached(8);
        INDArray kept = detached(3);
        pool.give(stale);
        pool.give(kept);
        for (int call = 0; call < BufferPool.MAX_IDLE_CALLS + 1; call++) {
            INDArray k = pool.take(DataType.FLOAT, new long[] {3}, new long[] {1}, 'c');
            pool.give(k);
            pool.endCall();
        }
        assertTrue(stale.data().wasClosed(), "a length untaken for " + BufferPool.MAX_IDLE_CALLS + " calls is freed");
        assertFalse(kept.data().wasClosed());
        assertEquals(12, pool.idleBytes());
        pool.close();
        assertTrue(kept.data().wasClosed());
        assertNull(pool.take(DataType.FLOAT, new long[] {3}, new long[] {1}, 'c'));
        INDArray late = detached(2);
        assertFalse(pool.give(late));
        late.close();
    }

    @Test
    void fromTheSecondStepOnATrainingStepAllocatesNothingNew() {
        TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(8).withMaxSteps(4);
        try (GanTrainer t = GanTrainer.create(
                new Nd4jBackend(), Presets.byName(Presets.ACGAN_MNIST), cfg, Datasets.embeddedMnist())) {
            t.step();
            t.step();
            BufferPool pool = ((Nd4jModel) t.model()).pool();
            long[] before = pool.hitsAndMisses();
            t.step();
            long[] after = pool.hitsAndMisses();
            assertEquals(before[1], after[1], "requests the pool could not serve in step 3");
            assertTrue(
                    after[0] - before[0] > 100,
                    "SameDiff temporaries served from the pool in step 3: " + (after[0] - before[0]));
            assertTrue(pool.idleBytes() > 0);
        }
    }
}
