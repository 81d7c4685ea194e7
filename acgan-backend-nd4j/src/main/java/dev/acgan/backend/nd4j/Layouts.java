package dev.acgan.backend.nd4j;

import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conversions between the API's canonical tensors and ND4J arrays. The backend computes in the
 * canonical layout itself: NHWC activations, Conv2D kernels {@code [kH, kW, in, out]} (ND4J's
 * {@code YXIO} weights format), transposed-convolution kernels {@code [kH, kW, out, in]} (rearranged
 * inside the graph, see {@link TransposedConv}), Dense kernels {@code [in, out]} and NHWC flatten order.
 * So canonical tensors map to ND4J arrays one to one, in C order, and nothing is permuted here.
 */
final class Layouts {

    private Layouts() {}

    /** A new C-order float array holding a copy of the tensor (a scalar for shape {@code []}). */
    static INDArray toArray(Tensor t) {
        if (t.shape().length == 0) {
            return Nd4j.scalar(DataType.FLOAT, t.data()[0]);
        }
        return Nd4j.create(t.data(), toLong(t.shape()), 'c');
    }

    /** A new C-order float array of the given shape over a copy of the values. */
    static INDArray toArray(float[] data, long... shape) {
        return Nd4j.create(data, shape, 'c');
    }

    /** The array's values in C order as a canonical tensor of the given shape. */
    static Tensor toTensor(INDArray a, int[] shape) {
        float[] data = floats(a);
        return new Tensor(shape.clone(), data);
    }

    /** The array's values in C order (a copy; works for views and cached buffers). */
    static float[] floats(INDArray a) {
        if (a.length() == 0) {
            return new float[0];
        }
        // A fresh, exact, C-order copy: the source may be a view or sit in a larger cached buffer.
        INDArray copy = a.dataType() == DataType.FLOAT
                ? a.dup('c')
                : a.castTo(DataType.FLOAT).dup('c');
        try {
            float[] out = copy.data().asFloat();
            if (out.length != a.length()) {
                out = Arrays.copyOf(out, Math.toIntExact(a.length()));
            }
            return out;
        } finally {
            copy.close();
        }
    }

    /** A scalar's value. */
    static double scalar(INDArray a) {
        return a.getDouble(0);
    }

    /** The values of a one-hot matrix {@code [n, classes]} for the labels (range already checked). */
    static float[] oneHot(int[] labels, int classes) {
        float[] m = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            m[i * classes + labels[i]] = 1f;
        }
        return m;
    }

    /** The shape of {@code n} NHWC images: {@code [n, h, w, c]}. */
    static long[] imageShape(ModelSpec spec, int n) {
        return imageShape(spec.image(), n);
    }

    /** The shape of {@code n} NHWC images of that shape ({@code -1}: any number). */
    static long[] imageShape(ImageShape image, int n) {
        return new long[] {n, image.height(), image.width(), image.channels()};
    }

    /** Shape with a leading batch dimension. */
    static long[] withBatch(long batch, int[] shape) {
        long[] out = new long[shape.length + 1];
        out[0] = batch;
        for (int k = 0; k < shape.length; k++) {
            out[k + 1] = shape[k];
        }
        return out;
    }

    static long[] toLong(int[] shape) {
        long[] out = new long[shape.length];
        for (int k = 0; k < shape.length; k++) {
            out[k] = shape[k];
        }
        return out;
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * The keep mask of one Dropout node, NHWC values of {@code [n, shape...]}: the caller's mask, or ones
     * when dropout is disabled ({@code masks == null} or no entry).
     */
    static float[] mask(String node, Map<String, float[]> masks, int n, int[] shape) {
        long per = size(shape);
        float[] m = masks == null ? null : masks.get(node);
        if (m == null) {
            float[] ones = new float[Math.toIntExact(per * n)];
            Arrays.fill(ones, 1f);
            return ones;
        }
        if (m.length != per * n) {
            throw new IllegalArgumentException("dropout mask of node '" + node + "' has " + m.length
                    + " values, expected " + per * n + " (" + n + " examples)");
        }
        return m;
    }
}
