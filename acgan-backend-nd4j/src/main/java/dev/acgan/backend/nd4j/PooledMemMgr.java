package dev.acgan.backend.nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SameDiff session memory as an arena per call: every array the session allocates comes from the
 * model's {@link BufferPool} when a buffer of its length is idle, an array the session releases goes back
 * to the pool at once, and {@link #endCall()} returns whatever the call left, the fetched outputs
 * included (the owning {@link ArrayScope} calls it when the call ends, after the results were copied out).
 *
 * <p>Why not SameDiff's default {@code ArrayCacheMemoryMgr}: it keeps released arrays up to a quarter of
 * JavaCPP's {@code maxBytes} per session, and its bookkeeping made an acgan-mnist step about twice as
 * slow here. Worse, in a gradient calculation the session releases only a small part of what it
 * allocates (257 of 1582 MB in an acgan-mnist step); the rest is dropped and waits for the garbage
 * collector, which is what made the resident size grow by about a gigabyte per step.
 */
final class PooledMemMgr extends AbstractMemoryMgr {

    private final Set<INDArray> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private final BufferPool pool;

    PooledMemMgr(BufferPool pool) {
        this.pool = pool;
    }

    /** Whether this manager recycles through the given pool. */
    boolean uses(BufferPool p) {
        return pool == p;
    }

    @Override
    public INDArray allocate(boolean detached, DataType dataType, long... shape) {
        INDArray a = pool.take(dataType, shape, Nd4j.getStrides(shape, 'c'), 'c');
        return record(a != null ? a : Nd4j.createUninitializedDetached(dataType, shape));
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
        if (descriptor.isEmpty()) {
            return Nd4j.create(descriptor, false);
        }
        INDArray a =
                pool.take(descriptor.dataType(), descriptor.getShape(), descriptor.getStride(), descriptor.getOrder());
        return record(
                a != null
                        ? a
                        : Nd4j.createUninitializedDetached(
                                descriptor.dataType(), descriptor.getOrder(), descriptor.getShape()));
    }

    /** Whether the array was allocated in the current call and not released yet. */
    synchronized boolean owns(INDArray a) {
        return live.contains(a);
    }

    private synchronized INDArray record(INDArray a) {
        live.add(a);
        return a;
    }

    @Override
    public synchronized void release(INDArray array) {
        if (array != null && live.remove(array)) {
            recycle(array);
        }
    }

    /** Returns every array allocated in this call and not released yet to the pool; ends the call. */
    synchronized void endCall() {
        List<INDArray> all = new ArrayList<>(live);
        live.clear();
        all.forEach(this::recycle);
        pool.endCall();
    }

    private void recycle(INDArray a) {
        if (!pool.give(a) && !a.wasClosed() && a.closeable()) {
            a.close();
        }
    }

    @Override
    public synchronized void close() {
        List<INDArray> all = new ArrayList<>(live);
        live.clear();
        for (INDArray a : all) {
            if (!a.wasClosed() && a.closeable()) {
                a.close();
            }
        }
    }
}
