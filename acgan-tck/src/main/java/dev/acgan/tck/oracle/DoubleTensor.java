package dev.acgan.tck.oracle;

import dev.acgan.api.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense double-precision tensor in row-major order, the oracle's working representation. Inside the
 * oracle the first dimension is always the batch and activations are NHWC, e.g. {@code [n, h, w, c]}
 * or {@code [n, d]}.
 *
 * <p>The backing array is exposed without copying ({@link #data()}) so that the layer code can run
 * plain loops over it; a tensor handed to or returned from an oracle method is not mutated by the
 * oracle afterwards.
 */
public final class DoubleTensor {

    private final int[] shape;
    private final double[] data;

    /**
     * Wraps an array.
     *
     * @param shape dimensions, batch first
     * @param data  values in row-major order, {@code product(shape)} of them; not copied
     * @throws IllegalArgumentException when the length does not match the shape
     */
    public DoubleTensor(int[] shape, double[] data) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + size + " values but the array has " + data.length);
        }
        this.shape = shape.clone();
        this.data = data;
    }

    /** A zero-filled tensor. */
    public static DoubleTensor zeros(int... shape) {
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        return new DoubleTensor(shape, new double[Math.toIntExact(size)]);
    }

    /** A double copy of a float32 tensor (same shape). */
    public static DoubleTensor of(Tensor t) {
        float[] f = t.data();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return new DoubleTensor(t.shape(), d);
    }

    /** A batch of {@code n} examples of the given per-example shape over the given values. */
    public static DoubleTensor batch(int n, int[] exampleShape, double[] data) {
        return new DoubleTensor(withBatch(n, exampleShape), data);
    }

    /** {@code [n, exampleShape...]}. */
    public static int[] withBatch(int n, int[] exampleShape) {
        int[] s = new int[exampleShape.length + 1];
        s[0] = n;
        System.arraycopy(exampleShape, 0, s, 1, exampleShape.length);
        return s;
    }

    /** This tensor rounded to float32. */
    public Tensor toTensor() {
        return new Tensor(shape.clone(), toFloats(data));
    }

    /** The values rounded to float32 (a new array). */
    public static float[] toFloats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    /** The values widened to double (a new array). */
    public static double[] toDoubles(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    /** The dimensions (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** The per-example dimensions: the shape without the leading batch dimension (a copy). */
    public int[] exampleShape() {
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    /** One dimension. */
    public int dim(int axis) {
        return shape[axis];
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The leading (batch) dimension. */
    public int batch() {
        return shape[0];
    }

    /** The last dimension (channels for NHWC maps, features for vectors). */
    public int lastDim() {
        return shape[shape.length - 1];
    }

    /** Values per example: the product of all dimensions but the first. */
    public int exampleSize() {
        return shape[0] == 0 ? sizeOf(exampleShape()) : data.length / shape[0];
    }

    /** Number of values. */
    public int size() {
        return data.length;
    }

    /** The backing array (not a copy). */
    public double[] data() {
        return data;
    }

    /** A deep copy. */
    public DoubleTensor copy() {
        return new DoubleTensor(shape, data.clone());
    }

    /** The same values (copied) under another shape of equal size. */
    public DoubleTensor reshape(int... newShape) {
        return new DoubleTensor(newShape, data.clone());
    }

    /** Adds {@code other} element-wise into this tensor (shapes must be equal). */
    public void addInPlace(DoubleTensor other) {
        if (!Arrays.equals(shape, other.shape)) {
            throw new IllegalArgumentException(
                    "cannot add " + Arrays.toString(other.shape) + " to " + Arrays.toString(shape));
        }
        double[] o = other.data;
        for (int i = 0; i < data.length; i++) {
            data[i] += o[i];
        }
    }

    /** Product of the dimensions. */
    public static int sizeOf(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return "DoubleTensor" + Arrays.toString(shape);
    }
}
