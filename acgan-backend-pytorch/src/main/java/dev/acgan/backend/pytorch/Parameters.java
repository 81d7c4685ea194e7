package dev.acgan.backend.pytorch;

import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.TensorVector;

/**
 * The libtorch tensors of a model's state, by canonical name: parameters (trainable ones require gradients), BatchNorm
 * statistics and Adam moments, in canonical shapes. They are owned here, outside any {@link PointerScope}, and freed
 * by {@link #close()}; Adam's update counters are plain Java fields of the models.
 */
final class Parameters implements AutoCloseable {

    private final Map<String, org.bytedeco.pytorch.Tensor> tensors = new LinkedHashMap<>();

    /**
     * Allocates a tensor for every entry of {@code initial} except the update counters ({@code adam/iterations/...})
     * and fills it.
     *
     * @param trainable names of the parameters that require gradients
     */
    Parameters(NamedTensors initial, Set<String> trainable) {
        try (PointerScope scope = new PointerScope()) {
            for (Map.Entry<String, Tensor> e : initial.asMap().entrySet()) {
                if (e.getKey().startsWith("adam/iterations/")) {
                    continue;
                }
                Tensor t = e.getValue();
                org.bytedeco.pytorch.Tensor v = Feed.persistent(Feed.floats(t.data(), Feed.sizes(t.shape())));
                tensors.put(e.getKey(), v);
                if (trainable.contains(e.getKey())) {
                    v.set_requires_grad(true);
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Every tensor by canonical name (shared with the networks that compute on them). */
    Map<String, org.bytedeco.pytorch.Tensor> asMap() {
        return tensors;
    }

    /** Overwrites every tensor held here with the entry of that name. */
    void write(NamedTensors values) {
        try (PointerScope scope = new PointerScope();
                NoGradGuard noGrad = new NoGradGuard()) {
            for (Map.Entry<String, org.bytedeco.pytorch.Tensor> e : tensors.entrySet()) {
                Tensor t = values.get(e.getKey());
                e.getValue().copy_(Feed.floats(t.data(), Feed.sizes(t.shape())));
            }
        }
    }

    /** A copy of every tensor held here, in canonical layout. */
    Map<String, Tensor> read() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (PointerScope scope = new PointerScope()) {
            for (Map.Entry<String, org.bytedeco.pytorch.Tensor> e : tensors.entrySet()) {
                org.bytedeco.pytorch.Tensor v = e.getValue();
                int[] shape = new int[(int) v.dim()];
                for (int k = 0; k < shape.length; k++) {
                    shape[k] = Math.toIntExact(v.size(k));
                }
                out.put(e.getKey(), new Tensor(shape, Feed.read(v)));
            }
        }
        return out;
    }

    /** The tensors of these parameters, in order (inputs of {@code torch.grad}). */
    TensorVector vector(List<ParameterSpec> params) {
        List<org.bytedeco.pytorch.Tensor> list = new ArrayList<>();
        for (ParameterSpec p : params) {
            list.add(tensors.get(p.name()));
        }
        return new TensorVector(list.toArray(new org.bytedeco.pytorch.Tensor[0]));
    }

    /** Gradients read into canonical tensors, by parameter name. */
    static NamedTensors gradients(List<ParameterSpec> params, TensorVector grads) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int k = 0; k < params.size(); k++) {
            out.put(params.get(k).name(), new Tensor(params.get(k).shape(), Feed.read(grads.get(k))));
        }
        return new NamedTensors(out);
    }

    /**
     * Update number {@code t} (from 1) of Adam on these parameters, in place, with the formula of {@link AdamConfig}
     * (the TCK oracle's): {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr_t m / (sqrt(v) + eps)} with
     * {@code lr_t = lr sqrt(1-b2^t)/(1-b1^t)}, in float32 (the step size in double).
     */
    void adam(List<ParameterSpec> params, TensorVector grads, AdamConfig adam, double learningRate, long t) {
        double b1 = adam.beta1();
        double b2 = adam.beta2();
        double lrT = learningRate * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (int k = 0; k < params.size(); k++) {
                String name = params.get(k).name();
                org.bytedeco.pytorch.Tensor g = grads.get(k);
                org.bytedeco.pytorch.Tensor p = tensors.get(name);
                org.bytedeco.pytorch.Tensor m = tensors.get(dev.acgan.api.model.StateNames.ADAM_M + name);
                org.bytedeco.pytorch.Tensor v = tensors.get(dev.acgan.api.model.StateNames.ADAM_V + name);
                m.mul_(Feed.scalar(b1)).add_(g, Feed.scalar(1 - b1));
                v.mul_(Feed.scalar(b2)).add_(g.square(), Feed.scalar(1 - b2));
                p.sub_(m.div(v.sqrt().add(Feed.scalar(adam.epsilon()))), Feed.scalar(lrT));
            }
        }
    }

    /** Frees every tensor; calling it twice is harmless. */
    @Override
    public void close() {
        tensors.values().forEach(org.bytedeco.pytorch.Tensor::close);
        tensors.clear();
    }
}
