package dev.acgan.api.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A network spec with every node's output shape and every parameter resolved. Shapes exclude the
 * batch dimension. Produced by {@link ShapeInference}; backends compile from this.
 *
 * @param role       "generator" or "discriminator", the prefix of every parameter name
 * @param spec       the network
 * @param nodes      per node, in order
 * @param inputs     the network inputs it uses, with their shapes ({@code []} for an integer label)
 */
public record InferredNetwork(String role, NetworkSpec spec, List<InferredNode> nodes, Map<String, int[]> inputs) {

    /**
     * A node with its resolved shapes.
     *
     * @param node        the node
     * @param inputShapes shape of each input
     * @param outputShape shape of the output
     * @param parameters  the node's parameters and statistics
     */
    public record InferredNode(Node node, List<int[]> inputShapes, int[] outputShape, List<ParameterSpec> parameters) {
        /** The layer. */
        public LayerSpec layer() {
            return node.layer();
        }

        /** The node name. */
        public String name() {
            return node.name();
        }

        /** Number of output values per example. */
        public int outputSize() {
            int n = 1;
            for (int d : outputShape) {
                n *= d;
            }
            return n;
        }
    }

    /** All parameters and statistics of the network, in node order. */
    public List<ParameterSpec> parameters() {
        List<ParameterSpec> out = new ArrayList<>();
        for (InferredNode n : nodes) {
            out.addAll(n.parameters());
        }
        return out;
    }

    /** Parameters the optimizer updates. */
    public List<ParameterSpec> trainableParameters() {
        return parameters().stream().filter(ParameterSpec::trainable).toList();
    }

    /** The node of that name. */
    public InferredNode node(String name) {
        for (InferredNode n : nodes) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException(role + " has no node named '" + name + "'");
    }

    /** The node that produces the output of that role. */
    public InferredNode output(String outputRole) {
        String name = spec.outputs().get(outputRole);
        if (name == null) {
            throw new IllegalArgumentException(role + " has no output '" + outputRole + "'");
        }
        return node(name);
    }

    /** Dropout nodes, in order (their masks are supplied per step). */
    public List<InferredNode> dropoutNodes() {
        return nodes.stream()
                .filter(n -> n.layer() instanceof LayerSpec.Dropout)
                .toList();
    }

    /** Total number of trainable values. */
    public long trainableCount() {
        return trainableParameters().stream().mapToLong(ParameterSpec::size).sum();
    }
}
