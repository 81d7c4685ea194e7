package dev.acgan.backend.nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The placeholder values of one SameDiff call. Every array it creates is registered with the call's
 * {@link ArrayScope} and freed with it.
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

    Feed floats(SDVariable placeholder, float[] data, long... shape) {
        return array(placeholder, Layouts.toArray(data, shape));
    }

    Feed scalar(SDVariable placeholder, float value) {
        return array(placeholder, Nd4j.scalar(DataType.FLOAT, value));
    }

    /** Feeds each Dropout node's keep mask (ones where dropout is disabled). */
    Feed masks(NetworkCompiler.Pass pass, Map<String, float[]> masks, int n) {
        for (Map.Entry<String, SDVariable> e : pass.masks.entrySet()) {
            array(e.getValue(), Layouts.mask(e.getKey(), masks, n, pass.maskShapes.get(e.getKey())));
        }
        return this;
    }

    Map<String, INDArray> values() {
        return values;
    }
}
