package dev.acgan.api.spec;

import java.util.Arrays;

/**
 * One named tensor of a network's state, with its canonical shape.
 *
 * @param name      full name, {@code <network>/<node>/<param>}, e.g. {@code generator/deconv1/kernel}
 * @param shape     canonical shape (see {@link ShapeInference} for the conventions)
 * @param init      how it is initialised
 * @param trainable true for weights the optimizer updates; false for BatchNorm moving statistics
 */
public record ParameterSpec(String name, int[] shape, Initializer init, boolean trainable) {

    /** Number of values. */
    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpec p
                && name.equals(p.name)
                && Arrays.equals(shape, p.shape)
                && init == p.init
                && trainable == p.trainable;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
