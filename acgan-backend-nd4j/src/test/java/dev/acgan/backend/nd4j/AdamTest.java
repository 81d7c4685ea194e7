package dev.acgan.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.Initializer;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.train.AdamConfig;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The in-place Adam update against the formula of {@link AdamConfig}, evaluated in float64. */
class AdamTest {

    @Test
    void matchesTheKerasFormulaOverSeveralSteps() {
        NativeRuntime.ensureStarted();
        AdamConfig adam = new AdamConfig(3e-3, 0.7, 0.99, 1e-4);
        int n = 257;
        SplittableRandom rnd = new SplittableRandom(3);
        double[] p = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        float[] p0 = new float[n];
        for (int i = 0; i < n; i++) {
            p0[i] = (float) rnd.nextGaussian();
            p[i] = p0[i];
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        String name = "generator/x/kernel";
        arrays.put(name, Layouts.toArray(p0, n));
        arrays.put(StateNames.ADAM_M + name, Layouts.toArray(new float[n], n));
        arrays.put(StateNames.ADAM_V + name, Layouts.toArray(new float[n], n));
        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> vars = new HashMap<>();
        vars.put(name, sd.var("x", arrays.get(name)));
        Nd4jModel.Optimization opt = new Nd4jModel.Optimization(
                List.of(new ParameterSpec(name, new int[] {n}, Initializer.ZEROS, true)), vars, arrays, adam);
        for (int t = 1; t <= 4; t++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                // magnitudes from 1e-6 to 10, both signs, some exact zeros
                g[i] = i % 17 == 0 ? 0f : (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(8) - 6));
            }
            try (BufferPool pool = new BufferPool();
                    ArrayScope scope = new ArrayScope(arrays.values(), pool)) {
                opt.apply(Map.of("x", scope.track(Layouts.toArray(g, n))), t, scope);
            }
            double lrT =
                    adam.learningRate() * Math.sqrt(1 - Math.pow(adam.beta2(), t)) / (1 - Math.pow(adam.beta1(), t));
            double[] mScale = new double[n];
            for (int i = 0; i < n; i++) {
                // float32 rounds each term, so the error bound follows the terms, not their (cancelling) sum
                mScale[i] = Math.abs(adam.beta1() * m[i]) + Math.abs((1 - adam.beta1()) * g[i]);
                m[i] = adam.beta1() * m[i] + (1 - adam.beta1()) * g[i];
                v[i] = adam.beta2() * v[i] + (1 - adam.beta2()) * g[i] * g[i];
                p[i] -= lrT * m[i] / (Math.sqrt(v[i]) + adam.epsilon());
            }
            float[] pNd = Layouts.floats(arrays.get(name));
            float[] mNd = Layouts.floats(arrays.get(StateNames.ADAM_M + name));
            float[] vNd = Layouts.floats(arrays.get(StateNames.ADAM_V + name));
            for (int i = 0; i < n; i++) {
                assertEquals(p[i], pNd[i], 1e-6 * Math.max(1, Math.abs(p[i])), "p[" + i + "] at t=" + t);
                assertEquals(m[i], mNd[i], 1e-6 * mScale[i] + 1e-30, "m[" + i + "] at t=" + t);
                assertEquals(v[i], vNd[i], 1e-6 * Math.abs(v[i]) + 1e-30, "v[" + i + "] at t=" + t);
                // the next step starts from the float32 state, so rounding does not accumulate in the check
                p[i] = pNd[i];
                m[i] = mNd[i];
                v[i] = vNd[i];
            }
        }
        opt.close();
        arrays.values().forEach(GraphMemory::closeQuietly);
    }
}
