package dev.acgan.api.spec;

import java.util.List;
import java.util.Objects;

/**
 * One node of a network graph: a named layer applied to named inputs. An input is either a network
 * input ({@link NetworkSpec#NOISE}, {@link NetworkSpec#LABEL}, {@link NetworkSpec#IMAGE}) or an
 * earlier node. The name is stable and becomes part of every parameter name, e.g.
 * {@code generator/deconv1/kernel}.
 *
 * @param name   unique within the network; letters, digits, '_' and '-'
 * @param layer  the layer
 * @param inputs names of the inputs, in order
 */
public record Node(String name, LayerSpec layer, List<String> inputs) {
    /** Validates and copies. */
    public Node {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(layer, "layer of node " + name);
        inputs = List.copyOf(inputs);
        if (!name.matches("[A-Za-z0-9_\\-]+")) {
            throw new IllegalArgumentException("node name '" + name + "' may use only letters, digits, '_' and '-'");
        }
    }
}
