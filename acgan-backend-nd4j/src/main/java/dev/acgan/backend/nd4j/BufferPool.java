package dev.acgan.backend.nd4j;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Off-heap buffers that SameDiff's sessions allocate and release, kept for the next call instead of going
 * back to the C allocator. One pool serves every graph of a model (or of a standalone generator).
 *
 * <p>Why: a training step allocates and frees about 1.5 GB at batch 100 through ND4J's native allocator
 * (glibc malloc). glibc serves blocks of that size from its heap once its dynamic mmap threshold has risen,
 * and that heap grows without bound while the memory in use stays flat: measured at batch 8, about 90 MB in
 * use and 4.9 GB of free heap after 600 steps (5.4 GB resident). Handing the same buffers back to the same
 * call in the next step keeps the allocator out of the loop: the resident size is the working set of one
 * step of each graph, and no step pays page faults for fresh memory.
 *
 * <p>Buffers are keyed by data type and exact length; a step's allocation pattern repeats exactly, so
 * nearly every request is served from the pool after the first step. A length that no call has taken
 * for {@link #MAX_IDLE_CALLS} calls is freed, so a change of batch size (or generation requests of varying
 * size) does not pin memory for good. Thread-safe: generation may run on several threads.
 */
final class BufferPool implements AutoCloseable {

    /** Calls after which an untaken length is freed. A training step is 2 to 4 calls. */
    static final int MAX_IDLE_CALLS = 16;

    private record Key(DataType type, long length) {}

    private static final class Shelf {
        final ArrayDeque<DataBuffer> buffers = new ArrayDeque<>();
        long lastUse;
    }

    private final Map<Key, Shelf> shelves = new HashMap<>();
    /** Every buffer on a shelf, by identity: a buffer given back twice must not be handed out twice. */
    private final Set<DataBuffer> idle = Collections.newSetFromMap(new IdentityHashMap<>());

    private long calls;
    private long idleBytes;
    private long hits;
    private long misses;
    private boolean closed;

    /** An array of the given shape over a pooled buffer, or null when none of that length is idle. */
    synchronized INDArray take(DataType type, long[] shape, long[] stride, char order) {
        if (closed) {
            return null;
        }
        Shelf shelf = shelves.get(new Key(type, length(shape)));
        DataBuffer b = shelf == null ? null : shelf.buffers.pollLast();
        if (b == null) {
            misses++;
            return null;
        }
        hits++;
        shelf.lastUse = calls;
        idle.remove(b);
        idleBytes -= b.length() * b.getElementSize();
        return Nd4j.create(b, shape, stride, 0, order, type);
    }

    /**
     * Takes the buffer of an array the caller is done with; returns false (and keeps nothing) when the array
     * cannot be recycled: closed, a view, or not the sole owner of a buffer of exactly its length.
     */
    synchronized boolean give(INDArray a) {
        if (closed || a == null || a.wasClosed() || !a.closeable() || a.isView() || a.isEmpty()) {
            return false;
        }
        DataBuffer b = a.data();
        if (b == null || b.length() != a.length() || a.offset() != 0) {
            return false;
        }
        if (!idle.add(b)) {
            return true;
        }
        Shelf shelf = shelves.computeIfAbsent(new Key(b.dataType(), b.length()), k -> new Shelf());
        shelf.buffers.addLast(b);
        shelf.lastUse = calls;
        idleBytes += b.length() * b.getElementSize();
        return true;
    }

    /** Marks the end of a call and frees the lengths no recent call has used. */
    synchronized void endCall() {
        calls++;
        for (Iterator<Shelf> it = shelves.values().iterator(); it.hasNext(); ) {
            Shelf s = it.next();
            if (calls - s.lastUse > MAX_IDLE_CALLS) {
                s.buffers.forEach(this::free);
                s.buffers.clear();
                it.remove();
            }
        }
    }

    /** Bytes held idle in the pool. */
    synchronized long idleBytes() {
        return idleBytes;
    }

    /** Requests served from the pool, and requests that needed a new buffer. */
    synchronized long[] hitsAndMisses() {
        return new long[] {hits, misses};
    }

    private synchronized void free(DataBuffer b) {
        idle.remove(b);
        idleBytes -= b.length() * b.getElementSize();
        if (!b.wasClosed() && b.closeable()) {
            b.close();
        }
    }

    /** Frees every idle buffer; later gifts are refused and requests answered with null. */
    @Override
    public synchronized void close() {
        closed = true;
        for (Shelf s : shelves.values()) {
            s.buffers.forEach(this::free);
        }
        shelves.clear();
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
