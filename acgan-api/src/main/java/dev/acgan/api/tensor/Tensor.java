package dev.acgan.api.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense float32 tensor in row-major order with an explicit shape. Immutable by convention: the
 * backing array is not copied, so callers that keep a tensor must not mutate the array they passed.
 *
 * @param shape dimensions, outermost first; an empty array is a scalar
 * @param data  values in row-major order; its length equals the product of {@code shape}
 */
public record Tensor(int[] shape, float[] data) {

    /** Validates that the data length matches the shape. */
    public Tensor {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        long size = Tensor.size(shape);
        if (size != data.length) {
            throw new IllegalArgumentException(
                    "tensor of shape " + Arrays.toString(shape) + " needs " + size + " values but has " + data.length);
        }
    }

    /** A zero-filled tensor of the given shape. */
    public static Tensor zeros(int... shape) {
        return new Tensor(shape.clone(), new float[Math.toIntExact(size(shape))]);
    }

    /** Number of elements for a shape; rejects negative dimensions and products beyond a long. */
    public static long size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                // A wrapped product could equal a small array's length and pass the size check.
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(shape) + " has more than " + Long.MAX_VALUE + " elements");
            }
        }
        return n;
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    /** Rank (number of dimensions). */
    public int rank() {
        return shape.length;
    }

    /** A deep copy. */
    public Tensor copy() {
        return new Tensor(shape.clone(), data.clone());
    }

    /** Largest absolute element-wise difference to another tensor of the same shape. */
    public double maxAbsDifference(Tensor other) {
        if (!Arrays.equals(shape, other.shape)) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " vs " + Arrays.toString(other.shape));
        }
        double max = 0;
        for (int i = 0; i < data.length; i++) {
            max = Math.max(max, Math.abs((double) data[i] - other.data[i]));
        }
        return max;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
