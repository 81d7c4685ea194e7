package dev.acgan.spark;

import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The element-wise mean of the replicas' states, in a fixed order: tensors in the first replica's
 * (canonical) order, and for every value the replicas summed in double precision from the first to the
 * last, divided by their number and rounded once to float. The result depends only on the list's order,
 * never on timing, so the same replicas always give the same bits; one replica is returned unchanged.
 */
final class StateAverage {

    private StateAverage() {}

    static NamedTensors of(List<NamedTensors> replicas) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("no replica to average");
        }
        NamedTensors first = replicas.get(0);
        for (int k = 1; k < replicas.size(); k++) {
            if (!replicas.get(k).names().equals(first.names())) {
                throw new IllegalArgumentException("replica " + k + " holds tensors "
                        + replicas.get(k).names() + ", replica 0 holds " + first.names());
            }
        }
        int n = replicas.size();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : first.names()) {
            Tensor t0 = first.get(name);
            float[][] parts = new float[n][];
            for (int k = 0; k < n; k++) {
                Tensor t = replicas.get(k).get(name);
                if (!Arrays.equals(t.shape(), t0.shape())) {
                    throw new IllegalArgumentException("replica " + k + ": '" + name + "' has shape "
                            + Arrays.toString(t.shape()) + ", replica 0 " + Arrays.toString(t0.shape()));
                }
                parts[k] = t.data();
            }
            float[] mean = new float[t0.size()];
            for (int i = 0; i < mean.length; i++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += parts[k][i];
                }
                mean[i] = (float) (sum / n);
            }
            out.put(name, new Tensor(t0.shape().clone(), mean));
        }
        return new NamedTensors(out);
    }
}
