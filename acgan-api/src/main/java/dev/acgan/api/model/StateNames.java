package dev.acgan.api.model;

import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names of the tensors in a full training state, beside the parameters themselves
 * ({@code generator/...}, {@code discriminator/...}):
 * <ul>
 *   <li>{@code adam/m/<parameter>} and {@code adam/v/<parameter>}: first and second moments, shaped like
 *       the parameter;</li>
 *   <li>{@code adam/iterations/generator} and {@code adam/iterations/discriminator}: scalars counting the
 *       updates made (the {@code t} of Adam's bias correction).</li>
 * </ul>
 * A classifier's state ({@link ClassifierModel}) is built the same way from its one network:
 * {@code classifier/...}, {@code adam/m/classifier/...}, {@code adam/v/classifier/...} and
 * {@link #ITERATIONS_CLASSIFIER}.
 */
public final class StateNames {

    /** Prefix of first moments. */
    public static final String ADAM_M = "adam/m/";
    /** Prefix of second moments. */
    public static final String ADAM_V = "adam/v/";
    /** Update counter of the generator optimizer. */
    public static final String ITERATIONS_GENERATOR = "adam/iterations/generator";
    /** Update counter of the discriminator optimizer. */
    public static final String ITERATIONS_DISCRIMINATOR = "adam/iterations/discriminator";
    /** Update counter of a classifier's optimizer. */
    public static final String ITERATIONS_CLASSIFIER = "adam/iterations/" + ClassifierSpec.ROLE;
    /**
     * Prefix of the exponential moving average of the generator's weights in a training checkpoint
     * ({@link dev.acgan.api.train.TrainingConfig#generatorEma()}): {@code ema/generator/...}, one tensor per
     * entry of {@link #generatorOnly}, shaped like it. These tensors are the training loop's, never a
     * backend's: {@link GanModel#loadState} does not accept them, and a generator export holds the averaged
     * weights under the plain generator names instead.
     */
    public static final String EMA = "ema/";

    private StateNames() {}

    /** Every name a full state has for this model, with shapes, in canonical order. */
    public static Map<String, int[]> fullStateShapes(InferredModel model) {
        Map<String, int[]> out = parametersAndMoments(model.parameters());
        out.put(ITERATIONS_GENERATOR, new int[0]);
        out.put(ITERATIONS_DISCRIMINATOR, new int[0]);
        return out;
    }

    /** Every name a full state of one network (a classifier) has, with shapes, in canonical order. */
    public static Map<String, int[]> fullStateShapes(InferredNetwork network) {
        Map<String, int[]> out = parametersAndMoments(network.parameters());
        out.put("adam/iterations/" + network.role(), new int[0]);
        return out;
    }

    private static Map<String, int[]> parametersAndMoments(List<ParameterSpec> parameters) {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (ParameterSpec p : parameters) {
            out.put(p.name(), p.shape());
        }
        for (String prefix : List.of(ADAM_M, ADAM_V)) {
            for (ParameterSpec p : parameters) {
                if (p.trainable()) {
                    out.put(prefix + p.name(), p.shape());
                }
            }
        }
        return out;
    }

    /**
     * Completes a state with zero Adam moments and counters where absent, and checks every name and
     * shape against the model. Throws with the offending name when a tensor is missing, unknown or
     * misshapen.
     */
    public static NamedTensors completeAndCheck(InferredModel model, NamedTensors state) {
        return completeAndCheck(
                fullStateShapes(model), state, "model " + model.spec().name());
    }

    /** The same for the state of one network (a classifier). */
    public static NamedTensors completeAndCheck(InferredNetwork network, NamedTensors state) {
        return completeAndCheck(fullStateShapes(network), state, "network " + network.role());
    }

    private static NamedTensors completeAndCheck(Map<String, int[]> expected, NamedTensors state, String owner) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            String name = e.getKey();
            if (state.contains(name)) {
                Tensor t = state.get(name);
                if (!Arrays.equals(t.shape(), e.getValue())) {
                    throw new IllegalArgumentException("state tensor '" + name + "' has shape "
                            + Arrays.toString(t.shape()) + ", the model expects " + Arrays.toString(e.getValue()));
                }
                out.put(name, t);
            } else if (name.startsWith("adam/")) {
                out.put(name, Tensor.zeros(e.getValue()));
            } else {
                throw new IllegalArgumentException("state lacks parameter '" + name + "' of " + owner);
            }
        }
        Set<String> unknown = new java.util.TreeSet<>(state.names());
        unknown.removeAll(expected.keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("state has tensors the " + owner + " does not know: " + unknown);
        }
        return new NamedTensors(out);
    }

    /** Only the generator's parameters and statistics (what a generator export holds). */
    public static NamedTensors generatorOnly(NamedTensors state) {
        return state.withPrefix("generator/");
    }

    /** The {@value #EMA} entries of a state, under the plain generator names (empty when there are none). */
    public static NamedTensors emaGenerator(NamedTensors state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : state.asMap().entrySet()) {
            if (e.getKey().startsWith(EMA)) {
                out.put(e.getKey().substring(EMA.length()), e.getValue());
            }
        }
        return new NamedTensors(out);
    }

    /** The state without its {@value #EMA} entries: what a backend's {@link GanModel#loadState} accepts. */
    public static NamedTensors withoutEma(NamedTensors state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : state.asMap().entrySet()) {
            if (!e.getKey().startsWith(EMA)) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return new NamedTensors(out);
    }
}
