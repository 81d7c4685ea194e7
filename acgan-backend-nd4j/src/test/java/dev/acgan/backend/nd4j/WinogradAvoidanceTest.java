package dev.acgan.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.GanKind;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.Initializer;
import dev.acgan.api.spec.LayerSpec.Conv2D;
import dev.acgan.api.spec.LayerSpec.Conv2DTranspose;
import dev.acgan.api.spec.LayerSpec.Dense;
import dev.acgan.api.spec.LayerSpec.Flatten;
import dev.acgan.api.spec.LayerSpec.LeakyRelu;
import dev.acgan.api.spec.LayerSpec.Reshape;
import dev.acgan.api.spec.LayerSpec.Sigmoid;
import dev.acgan.api.spec.LayerSpec.Tanh;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.NoiseDistribution;
import dev.acgan.api.spec.Padding;
import dev.acgan.api.spec.ParameterInitializer;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.tensor.NamedTensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The 3x4-kernel form of 3x3 stride-1 'same' convolutions ({@link WinogradAvoidance}) computes the same
 * function and gradients as the plain form, whatever this machine's CPU would choose: both forms are
 * compiled here explicitly. The network has a plain 3x3 'same' convolution with bias and a stride-2
 * transposed convolution whose phase convolution is a 3x3 window padded by one (the acgan-mnist
 * generator's case); images 7x7x3, batch 5.
 *
 * <p>Tolerance: the two forms add the same products in a different order (oneDNN picks different kernels
 * for the two kernel widths; the fourth column adds exact zeros), so values agree to float32 rounding over
 * ~10^2 terms: 1e-5 relative to each tensor's largest magnitude, while a misplaced zero column or a wrong
 * padding side shifts the image by a pixel and gives differences of order 1.
 */
class WinogradAvoidanceTest {

    private static final int BATCH = 5;

    private static ModelSpec spec() {
        NetworkSpec g = NetworkSpec.builder()
                .add("dense", Dense.of(7 * 7 * 3), NetworkSpec.NOISE)
                .then("tanh", new Tanh())
                .then("reshape", new Reshape(List.of(7, 7, 3)))
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = NetworkSpec.builder()
                .add(
                        "conv",
                        new Conv2D(
                                4,
                                3,
                                3,
                                1,
                                1,
                                Padding.SAME,
                                true,
                                Initializer.GLOROT_UNIFORM,
                                Initializer.GLOROT_UNIFORM),
                        NetworkSpec.IMAGE)
                .then("lrelu", new LeakyRelu(0.2))
                .then(
                        "deconv",
                        new Conv2DTranspose(
                                2,
                                5,
                                5,
                                2,
                                2,
                                Padding.SAME,
                                true,
                                Initializer.GLOROT_NORMAL,
                                Initializer.GLOROT_UNIFORM))
                .then("flatten", new Flatten())
                .then("validity", Dense.of(1))
                .then("sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        return new ModelSpec(
                "winograd-avoidance", GanKind.GAN, new ImageShape(7, 7, 3), 2, 4, NoiseDistribution.UNIFORM, g, d);
    }

    /** Output and every parameter's and the input's gradient of a weighted sum of the validity. */
    private record Result(Map<String, float[]> values, int pads) {}

    private static Result run(boolean wide) {
        ModelSpec spec = spec();
        InferredModel inferred = spec.validate();
        InferredNetwork net = inferred.discriminator();
        NamedTensors weights = ParameterInitializer.initialize(inferred, 3);
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        List<INDArray> constants = new ArrayList<>();
        SameDiff sd = SameDiff.create();
        try {
            for (ParameterSpec p : net.parameters()) {
                arrays.put(p.name(), Layouts.toArray(weights.get(p.name())));
            }
            Map<String, SDVariable> vars = Nd4jModel.bind(sd, arrays, net.parameters(), p -> true);
            SDVariable images = sd.var("images", random(new long[] {BATCH, 7, 7, 3}, 11));
            NetworkCompiler compiler = new NetworkCompiler(sd, net, vars, constants::add, wide);
            NetworkCompiler.Pass pass = compiler.build("d", Map.of(NetworkSpec.IMAGE, images), true);
            SDVariable validity = pass.output(net, NetworkSpec.OUT_VALIDITY);
            SDVariable weightsOfExamples = sd.constant("example_weights", random(new long[] {BATCH, 1}, 12));
            sd.setLossVariables(validity.mul(weightsOfExamples).sum());
            NativeRuntime.createGradFunction(sd);
            List<String> wrt = new ArrayList<>();
            vars.values().forEach(v -> wrt.add(v.name()));
            wrt.add(images.name());
            var og = sd.calculateGradientsAndOutputs(Map.of(), List.of(validity.name()), wrt);
            Map<String, float[]> values = new LinkedHashMap<>();
            values.put("validity", og.getOutputs().get(validity.name()).toFloatVector());
            for (String name : wrt) {
                values.put(
                        "d/" + name,
                        og.getGradients().get(name).dup().reshape(-1).toFloatVector());
            }
            int pads = 0;
            for (DifferentialFunction op : sd.ops()) {
                if (op.opName().equals("pad")) {
                    pads++;
                }
            }
            return new Result(values, pads);
        } finally {
            Sessions.closeAll(sd);
            constants.forEach(GraphMemory::closeQuietly);
            arrays.values().forEach(GraphMemory::closeQuietly);
        }
    }

    private static INDArray random(long[] shape, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return Nd4j.create(v, shape, DataType.FLOAT);
    }

    @Test
    void wideKernelsGiveTheSameValuesAndGradientsAsPlainOnes() {
        NativeRuntime.ensureStarted();
        Result plain = run(false);
        Result wide = run(true);
        assertEquals(0, plain.pads(), "the plain form pads no kernel");
        // the convolution's kernel and the phase convolution's kernel
        assertEquals(2, wide.pads(), "the wide form pads both 3x3 kernels");
        assertEquals(plain.values().keySet(), wide.values().keySet());
        for (String name : plain.values().keySet()) {
            float[] a = plain.values().get(name);
            float[] b = wide.values().get(name);
            assertEquals(a.length, b.length, name);
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < a.length; i++) {
                scale = Math.max(scale, Math.abs(a[i]));
                worst = Math.max(worst, Math.abs(a[i] - b[i]));
            }
            assertTrue(scale > 0, name + " is all zeros, so the comparison would prove nothing");
            assertTrue(worst <= 1e-5 * scale, name + ": largest difference " + worst + " against scale " + scale);
        }
    }
}
