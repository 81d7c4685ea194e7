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
 * SameDiff session memory as an arena per call: every array the session allocates is recorded, an
 * array the session releases is freed at once, and {@link #freeAll()} frees whatever the call left
 * (the owning {@link ArrayScope} calls it when the call ends, after the results were copied out).
 *
 * <p>Why: SameDiff's default {@code ArrayCacheMemoryMgr} keeps released arrays for reuse, up to a
 * quarter of JavaCPP's {@code maxBytes} per session (a quarter of the Java heap limit, per thread and
 * graph), and its bookkeeping made an acgan-mnist step about twice as slow here. Worse, in a gradient
 * calculation the session releases only a small part of what it allocates (257 of 1582 MB in an
 * acgan-mnist step); the rest is dropped and waits for the garbage collector, which is what makes the
 * resident size grow by about a gigabyte per step.
 */
final class ClosingMemMgr extends AbstractMemoryMgr {

    private final Set<INDArray> live = Collections.newSetFromMap(new IdentityHashMap<>());

    @Override
    public INDArray allocate(boolean detached, DataType dataType, long... shape) {
        return record(Nd4j.createUninitializedDetached(dataType, shape));
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
        if (descriptor.isEmpty()) {
            return Nd4j.create(descriptor, false);
        }
        return record(Nd4j.createUninitializedDetached(descriptor.dataType(), descriptor.getOrder(),
                descriptor.getShape()));
    }

    private synchronized INDArray record(INDArray a) {
        live.add(a);
        return a;
    }

    @Override
    public synchronized void release(INDArray array) {
        if (array != null && live.remove(array)) {
            free(array);
        }
    }

    /** Frees every array allocated since the last call and not released yet. */
    synchronized void freeAll() {
        List<INDArray> all = new ArrayList<>(live);
        live.clear();
        all.forEach(ClosingMemMgr::free);
    }

    private static void free(INDArray a) {
        if (!a.wasClosed() && a.closeable()) {
            a.close();
        }
    }

    @Override
    public void close() {
        freeAll();
    }
}
