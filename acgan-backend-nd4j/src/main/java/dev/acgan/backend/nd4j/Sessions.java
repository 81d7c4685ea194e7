package dev.acgan.backend.nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every SameDiff execution of the backend goes through here, so that what it returns is owned by the
 * call's {@link ArrayScope}, and so that SameDiff's per-thread sessions (each with its own cache of
 * intermediate arrays) can be released.
 */
final class Sessions {

    /** Key of SameDiff's gradient function (SameDiff.GRAD_FN_KEY). */
    private static final String GRAD_FN = "grad";

    private Sessions() {}

    /** Runs a forward pass; the returned arrays belong to the scope. */
    static Map<String, INDArray> output(
            SameDiff sd, Map<String, INDArray> feed, List<String> outputs, ArrayScope scope) {
        scope.recycleWith(install(sd, scope.pool()));
        return scope.trackAll(sd.output(feed, outputs.toArray(new String[0])));
    }

    /**
     * Runs a forward pass from a thread that may not come back (a caller of a generator), and drops the
     * thread's session afterwards so that sessions do not pile up per thread.
     */
    static Map<String, INDArray> outputOnce(
            SameDiff sd, Map<String, INDArray> feed, List<String> outputs, ArrayScope scope) {
        long thread = Thread.currentThread().getId();
        scope.onClose(() -> sd.getSessions().remove(thread));
        return output(sd, feed, outputs, scope);
    }

    /** Runs a forward and backward pass; the returned arrays belong to the scope. */
    static OutAndGrad outputAndGradients(
            SameDiff sd, Map<String, INDArray> feed, List<String> outputs, List<String> variables, ArrayScope scope) {
        scope.recycleWith(install(sd, scope.pool()));
        if (sd.hasGradientFunction()) {
            scope.recycleWith(install(sd.getFunction(GRAD_FN), scope.pool()));
        }
        OutAndGrad og = sd.calculateGradientsAndOutputs(feed, outputs, variables);
        scope.trackAll(og.getOutputs());
        scope.trackAll(og.getGradients());
        return og;
    }

    /** Gives the calling thread a session whose arrays come from and go back to the pool ({@link PooledMemMgr}). */
    private static PooledMemMgr install(SameDiff sd, BufferPool pool) {
        Map<Long, InferenceSession> sessions = sd.getSessions();
        long thread = Thread.currentThread().getId();
        InferenceSession s = sessions.get(thread);
        if (s == null) {
            s = new InferenceSession(sd);
            sessions.put(thread, s);
        }
        if (!(s.getMmgr() instanceof PooledMemMgr m && m.uses(pool))) {
            // SameDiff may have made the session already (building the gradient function does)
            SessionMemMgr previous = s.getMmgr();
            s.setMmgr(new PooledMemMgr(pool));
            if (previous != null) {
                previous.close();
            }
        }
        return (PooledMemMgr) s.getMmgr();
    }

    /** Frees the arrays of every session of the instance and of its gradient function (not the pool's). */
    static void closeAll(SameDiff sd) {
        List<SameDiff> all = new ArrayList<>();
        all.add(sd);
        if (sd.hasGradientFunction()) {
            all.add(sd.getFunction(GRAD_FN));
        }
        for (SameDiff s : all) {
            for (InferenceSession session : s.getSessions().values()) {
                try {
                    session.getMmgr().close();
                } catch (RuntimeException ignored) {
                    // best effort: the arrays are unreachable either way
                }
            }
            s.getSessions().clear();
        }
    }
}
