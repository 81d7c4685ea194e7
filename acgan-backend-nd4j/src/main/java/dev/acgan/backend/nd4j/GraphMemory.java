package dev.acgan.backend.nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The native memory of a compiled network (a model, a classifier or a standalone generator): its SameDiff
 * graphs with SameDiff's per-thread sessions, the parameter arrays those graphs share, the constants the
 * compiler created and the pool of call temporaries. {@link #release()} frees all of it; an owner frees
 * what else it holds (optimizer scratch arrays) itself.
 */
final class GraphMemory {

    /** The shared parameter (and state) arrays by canonical name. */
    final Map<String, INDArray> arrays = new LinkedHashMap<>();
    /** Constants created for the graphs. */
    final List<INDArray> constants = new ArrayList<>();
    /** The temporaries of every SameDiff call, recycled between calls. */
    final BufferPool pool = new BufferPool();

    private final List<SameDiff> graphs = new ArrayList<>();

    /** A new graph, released with the rest. */
    SameDiff newGraph() {
        SameDiff sd = SameDiff.create();
        graphs.add(sd);
        return sd;
    }

    /** The graphs, for diagnostics (listeners) in tests. */
    List<SameDiff> graphs() {
        return List.copyOf(graphs);
    }

    /** Frees the graphs' sessions, the pool, the constants and the arrays; safe to call twice. */
    void release() {
        for (SameDiff sd : graphs) {
            Sessions.closeAll(sd);
        }
        graphs.clear();
        pool.close();
        constants.forEach(GraphMemory::closeQuietly);
        constants.clear();
        arrays.values().forEach(GraphMemory::closeQuietly);
        arrays.clear();
    }

    /** Closes an array unless ND4J has already released it. */
    static void closeQuietly(INDArray a) {
        try {
            if (a != null && !a.wasClosed() && a.closeable()) {
                a.close();
            }
        } catch (RuntimeException ignored) {
            // already released by ND4J
        }
    }
}
