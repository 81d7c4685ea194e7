package dev.acgan.backend.pytorch;

import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Copies between Java arrays and libtorch tensors. Every tensor made here is a copy that owns its memory (never a
 * view of a Java-side buffer), so it may outlive the arrays. Like every op result, it belongs to the innermost
 * {@link PointerScope} of the calling thread, which frees it when it closes; {@link #persistent} takes one out of
 * its scope for state that lives as long as a model.
 */
final class Feed {

    private Feed() {}

    /** A float32 tensor of {@code shape} holding a copy of {@code data}. */
    static Tensor floats(float[] data, long... shape) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        if (count != data.length) {
            throw new IllegalArgumentException("a tensor of shape " + java.util.Arrays.toString(shape) + " needs "
                    + count + " values, got " + data.length);
        }
        try (FloatPointer p = new FloatPointer(data)) {
            return torch.from_blob(p, shape).clone();
        }
    }

    /** An int64 tensor {@code [n]} of class labels. */
    static Tensor labels(int[] labels) {
        long[] wide = new long[labels.length];
        for (int k = 0; k < labels.length; k++) {
            wide[k] = labels[k];
        }
        try (LongPointer p = new LongPointer(wide);
                TensorOptions options = new TensorOptions(torch.ScalarType.Long)) {
            return torch.from_blob(p, new long[] {labels.length}, options).clone();
        }
    }

    /** A scalar operand of an op. */
    static Scalar scalar(double v) {
        return new Scalar(v);
    }

    /** The values of a float32 tensor, row-major (a copy). */
    static float[] read(Tensor t) {
        Tensor c = t.detach().contiguous();
        float[] out = new float[Math.toIntExact(c.numel())];
        FloatPointer p = c.data_ptr_float();
        p.get(out);
        return out;
    }

    /** The value of a one-element tensor, widened to double. */
    static double scalarValue(Tensor t) {
        return t.item_float();
    }

    /** The shape of {@code shape} with a leading batch dimension {@code n}. */
    static long[] withBatch(int n, int[] shape) {
        long[] out = new long[shape.length + 1];
        out[0] = n;
        for (int k = 0; k < shape.length; k++) {
            out[k + 1] = shape[k];
        }
        return out;
    }

    /** A canonical shape as libtorch sizes. */
    static long[] sizes(int[] shape) {
        long[] out = new long[shape.length];
        for (int k = 0; k < shape.length; k++) {
            out[k] = shape[k];
        }
        return out;
    }

    /**
     * The dropout mask of a node as a tensor {@code [n, shape]}: the given keep mask, or {@code null} when dropout
     * is disabled for the step (the node then passes its input on unchanged).
     */
    static Tensor mask(Map<String, float[]> masks, String node, int n, int[] shape) {
        float[] m = masks == null ? null : masks.get(node);
        if (m == null) {
            return null;
        }
        long per = 1;
        for (int d : shape) {
            per *= d;
        }
        if (m.length != per * n) {
            throw new IllegalArgumentException("dropout mask of node '" + node + "' has " + m.length
                    + " values, expected " + per * n + " (" + n + " examples)");
        }
        return floats(m, withBatch(n, shape));
    }

    /**
     * Takes a tensor out of the calling thread's innermost {@link PointerScope}, if any, so that it lives until its
     * owner closes it (model state).
     */
    static Tensor persistent(Tensor t) {
        // Detaching releases the scope's reference; the tensor's own reference keeps it until close().
        t.retainReference();
        PointerScope scope = PointerScope.getInnerScope();
        if (scope != null) {
            scope.detach(t);
        }
        return t;
    }
}
