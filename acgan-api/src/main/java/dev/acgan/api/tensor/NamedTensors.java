package dev.acgan.api.tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An ordered, immutable map from parameter name to tensor in the canonical layout: the unit in
 * which weights, optimizer moments and BatchNorm statistics move between backends and checkpoints.
 */
public final class NamedTensors {

    private final Map<String, Tensor> tensors;

    /** Copies the given map, keeping its iteration order. */
    public NamedTensors(Map<String, Tensor> tensors) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** An empty set of tensors. */
    public static NamedTensors empty() {
        return new NamedTensors(Map.of());
    }

    /** The tensor of that name; fails with the known names when absent. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "' (have " + tensors.keySet() + ")");
        }
        return t;
    }

    /** Whether a tensor of that name exists. */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** Names in order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    /** The underlying read-only map. */
    public Map<String, Tensor> asMap() {
        return tensors;
    }

    /** Number of tensors. */
    public int size() {
        return tensors.size();
    }

    /** The subset whose names satisfy the filter, order kept. */
    public NamedTensors filter(Predicate<String> nameFilter) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (nameFilter.test(k)) {
                out.put(k, v);
            }
        });
        return new NamedTensors(out);
    }

    /** The subset whose names start with the prefix. */
    public NamedTensors withPrefix(String prefix) {
        return filter(n -> n.startsWith(prefix));
    }

    /** This set with the other's tensors added (the other's win on equal names). */
    public NamedTensors merge(NamedTensors other) {
        Map<String, Tensor> out = new LinkedHashMap<>(tensors);
        out.putAll(other.tensors);
        return new NamedTensors(out);
    }

    /** Total number of float values. */
    public long totalValues() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.size();
        }
        return n;
    }

    /**
     * The first value that is NaN or infinite, described as {@code name[index] = value}, or {@code null}
     * when every value is finite.
     */
    public String firstNonFinite() {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            float[] data = e.getValue().data();
            for (int i = 0; i < data.length; i++) {
                if (!Float.isFinite(data[i])) {
                    return e.getKey() + "[" + i + "] = " + data[i];
                }
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedTensors n && tensors.equals(n.tensors);
    }

    @Override
    public int hashCode() {
        return tensors.hashCode();
    }

    @Override
    public String toString() {
        return "NamedTensors" + tensors.keySet();
    }
}
