package dev.acgan.backend.nd4j;

import java.util.Map;
import java.util.TreeMap;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** Diagnostics: wall time per op type, summed over the ops SameDiff executes. */
final class OpTimer extends BaseListener {
    final Map<String, long[]> totals = new TreeMap<>();
    private long start;

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
        start = System.nanoTime();
    }

    @Override
    public void opExecution(
            SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext, INDArray[] outputs) {
        long dt = System.nanoTime() - start;
        String key = op.getOp().opName();
        if (outputs.length > 0 && outputs[0] != null) {
            key += " " + java.util.Arrays.toString(outputs[0].shape());
        }
        long[] v = totals.computeIfAbsent(key, k -> new long[2]);
        v[0] += dt;
        v[1]++;
    }

    void print(int top) {
        totals.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .limit(top)
                .forEach(e -> System.out.printf(
                        "  %8.1f ms  %4d x  %s%n", e.getValue()[0] / 1e6, e.getValue()[1], e.getKey()));
        long sum = totals.values().stream().mapToLong(v -> v[0]).sum();
        System.out.printf("  total %.1f ms%n", sum / 1e6);
        totals.clear();
    }
}
