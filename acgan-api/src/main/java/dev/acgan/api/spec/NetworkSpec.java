package dev.acgan.api.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network as a directed acyclic graph of {@link Node}s in topological order, with named outputs.
 *
 * <p>Generator outputs: {@link #OUT_IMAGE}. Discriminator outputs: {@link #OUT_VALIDITY} (probability
 * that the image is real, shape {@code [1]}) and, for ACGAN, {@link #OUT_CLASS} (class probabilities,
 * shape {@code [classes]}).
 *
 * @param nodes   nodes in topological order
 * @param outputs output role to node name
 */
public record NetworkSpec(List<Node> nodes, Map<String, String> outputs) {

    /** Network input: the noise vector {@code [latentDim]}. */
    public static final String NOISE = "noise";
    /** Network input: an integer class label. */
    public static final String LABEL = "label";
    /** Network input: an image {@code [h, w, c]}. */
    public static final String IMAGE = "image";
    /** Generator output role: the image. */
    public static final String OUT_IMAGE = "image";
    /** Discriminator output role: probability of being real. */
    public static final String OUT_VALIDITY = "validity";
    /** Discriminator output role: class probabilities. */
    public static final String OUT_CLASS = "class";

    /** Copies, keeping order. */
    public NetworkSpec {
        nodes = List.copyOf(nodes);
        // Map.copyOf would lose the declared order (its iteration order changes from one JVM run to the
        // next), making the spec's JSON differ between runs; keep insertion order, still rejecting nulls.
        Map<String, String> copy = new LinkedHashMap<>(outputs);
        copy.forEach((role, node) -> {
            java.util.Objects.requireNonNull(role, "output role");
            java.util.Objects.requireNonNull(node, "node of output " + role);
        });
        outputs = java.util.Collections.unmodifiableMap(copy);
    }

    /** The node of that name, or an error naming the known nodes. */
    public Node node(String name) {
        for (Node n : nodes) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("no node named '" + name + "'");
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a network one node at a time. A node added without explicit inputs takes the previous
     * node's output; a node added without a name gets {@code <index>_<type>}.
     */
    public static final class Builder {
        private final List<Node> nodes = new ArrayList<>();
        private final Map<String, String> outputs = new LinkedHashMap<>();
        private String last;

        /** Adds a named node with explicit inputs. */
        public Builder add(String name, LayerSpec layer, String... inputs) {
            List<String> in = inputs.length == 0 && last != null ? List.of(last) : List.of(inputs);
            String n = name != null ? name : nodes.size() + "_" + layer.typeName();
            nodes.add(new Node(n, layer, in));
            last = n;
            return this;
        }

        /** Adds an auto-named node fed by the previous node. */
        public Builder then(LayerSpec layer) {
            return add(null, layer);
        }

        /** Adds a named node fed by the previous node. */
        public Builder then(String name, LayerSpec layer) {
            return add(name, layer);
        }

        /** Marks the last node as the output with that role. */
        public Builder output(String role) {
            outputs.put(role, last);
            return this;
        }

        /** Name of the last node added. */
        public String last() {
            return last;
        }

        /** The network. */
        public NetworkSpec build() {
            return new NetworkSpec(nodes, outputs);
        }
    }
}
