package dev.acgan.backend.nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The placeholder values of one SameDiff call. Every array it creates belongs to the call's
 * {@link ArrayScope}: arrays of Java values are taken from the scope's {@link BufferPool} and go back to
 * it when the call ends (a step feeds the same shapes every time: images, labels, dropout masks, some
 * 60 MB at batch 100), the others are freed.
 */
final class Feed {

    private final Map<String, INDArray> values = new LinkedHashMap<>();
    private final ArrayScope scope;

    Feed(ArrayScope scope) {
        this.scope = scope;
    }

    /** Feeds an array created for this call (owned by the scope from now on). */
    Feed array(SDVariable placeholder, INDArray value) {
        values.put(placeholder.name(), scope.track(value));
        return this;
    }

    /** Feeds a copy of the values as a C-order float array of the given shape, in a pooled buffer. */
    Feed floats(SDVariable placeholder, float[] data, long... shape) {
        INDArray a = scope.pool().take(DataType.FLOAT, shape, Nd4j.getStrides(shape, 'c'), 'c');
        if (a == null) {
            a = Nd4j.createUninitializedDetached(DataType.FLOAT, shape);
        }
        scope.recycle(a);
        if (a.length() != data.length) {
            throw new IllegalArgumentException(
                    "expected " + a.length() + " values for " + placeholder.name() + ", got " + data.length);
        }
        // One bulk copy: DataBuffer.setData(float[]) puts element by element, some 50 ms a step at batch 100.
        a.data().asNioFloat().put(data);
        values.put(placeholder.name(), a);
        return this;
    }

    Feed scalar(SDVariable placeholder, float value) {
        return array(placeholder, Nd4j.scalar(DataType.FLOAT, value));
    }

    /** Feeds each Dropout node's keep mask (ones where dropout is disabled). */
    Feed masks(NetworkCompiler.Pass pass, Map<String, float[]> masks, int n) {
        for (Map.Entry<String, SDVariable> e : pass.masks.entrySet()) {
            int[] shape = pass.maskShapes.get(e.getKey());
            floats(e.getValue(), Layouts.mask(e.getKey(), masks, n, shape), Layouts.withBatch(n, shape));
        }
        return this;
    }

    Map<String, INDArray> values() {
        return values;
    }
}
