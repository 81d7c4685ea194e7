package dev.acgan.backend.nd4j;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The off-heap arrays of one call (fed placeholders, fetched outputs, gradients, SameDiff's
 * temporaries), freed or handed back to the {@link BufferPool} together when the call ends. ND4J frees
 * an array's native buffer only when the garbage collector finds the array unreachable, and the Java
 * heap barely notices multi-megabyte native buffers, so
 * without explicit closing the resident size grows by every activation of every step. Everything a
 * backend call allocates goes through a scope; nothing allocated in a call outlives it except values
 * copied to the Java heap. Long-lived arrays (parameters, statistics, Adam moments) are owned by the
 * model and closed by {@code close()}.
 *
 * <p>Arrays that share their buffer with a long-lived array are never closed: the constructor lists
 * them (a SameDiff output may be the very array of a variable).
 */
final class ArrayScope implements AutoCloseable {

    private final List<INDArray> arrays = new ArrayList<>();
    private final List<Runnable> finishers = new ArrayList<>();
    private final List<PooledMemMgr> sessions = new ArrayList<>();
    private final List<INDArray> recycled = new ArrayList<>();
    private final Set<INDArray> protectedArrays;
    private final BufferPool pool;

    /**
     * A scope that never closes the given arrays (compared by identity and by buffer), whose SameDiff calls
     * recycle their temporaries through the given pool.
     */
    ArrayScope(Collection<INDArray> protect, BufferPool pool) {
        Set<INDArray> p = Collections.newSetFromMap(new IdentityHashMap<>());
        p.addAll(protect);
        this.protectedArrays = p;
        this.pool = pool;
    }

    /** The pool that the SameDiff sessions of this call take their arrays from. */
    BufferPool pool() {
        return pool;
    }

    /** Registers an array to close with the scope; returns it. */
    INDArray track(INDArray a) {
        if (a != null) {
            arrays.add(a);
        }
        return a;
    }

    /** Registers an array of this call alone (a fed value) to go back to the pool when the scope closes. */
    INDArray recycle(INDArray a) {
        recycled.add(a);
        return a;
    }

    /**
     * Ends the call of a SameDiff session's memory manager when the scope closes: its arrays, outputs among
     * them, go back to the pool instead of being freed here.
     */
    void recycleWith(PooledMemMgr session) {
        if (!sessions.contains(session)) {
            sessions.add(session);
        }
    }

    /** Runs an action when the scope closes, after its arrays were freed and recycled. */
    void onClose(Runnable action) {
        finishers.add(action);
    }

    /** Registers every array of a map; returns the map. */
    <M extends Map<String, INDArray>> M trackAll(M map) {
        if (map != null) {
            map.values().forEach(this::track);
        }
        return map;
    }

    @Override
    public void close() {
        Set<INDArray> done = Collections.newSetFromMap(new IdentityHashMap<>());
        RuntimeException first = null;
        for (INDArray a : arrays) {
            try {
                if (!done.add(a)
                        || a.wasClosed()
                        || protectedArrays.contains(a)
                        || sharesProtectedBuffer(a)
                        || ownedBySession(a)) {
                    continue;
                }
                if (a.closeable()) {
                    a.close();
                }
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        arrays.clear();
        for (INDArray a : recycled) {
            try {
                if (!pool.give(a) && !a.wasClosed() && a.closeable()) {
                    a.close();
                }
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        recycled.clear();
        // Sessions first: their arrays go back to the pool before a finisher may drop the session.
        List<Runnable> after = new ArrayList<>();
        sessions.forEach(m -> after.add(m::endCall));
        after.addAll(finishers);
        sessions.clear();
        for (Runnable r : after) {
            try {
                r.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        finishers.clear();
        if (first != null) {
            throw first;
        }
    }

    private boolean ownedBySession(INDArray a) {
        for (PooledMemMgr m : sessions) {
            if (m.owns(a)) {
                return true;
            }
        }
        return false;
    }

    private boolean sharesProtectedBuffer(INDArray a) {
        if (protectedArrays.isEmpty() || a.data() == null) {
            return false;
        }
        long address = a.data().address();
        for (INDArray p : protectedArrays) {
            if (p.data() != null && p.data().address() == address) {
                return true;
            }
        }
        return false;
    }
}
