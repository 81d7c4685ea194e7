package dev.acgan.tck.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.model.DiscriminatorBatch;
import dev.acgan.api.model.GeneratorBatch;
import dev.acgan.api.spec.GanKind;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.ParameterInitializer;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import dev.acgan.api.train.DropoutMasks;
import dev.acgan.api.train.NoiseSampler;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Finite-difference checks of the full discriminator and generator loss gradients of tiny models of
 * every kind (see {@link TinySpecs}), with dropout masks, label smoothing and auxiliary weights, in
 * double precision. Tolerance: {@link FiniteDifferences}.
 */
class ModelGradientTest {

    /** A tiny model whose parameters and statistics are all moved off their initial values. */
    static ReferenceModel model(GanKind kind, long seed) {
        ModelSpec spec = TinySpecs.of(kind);
        InferredModel inferred = spec.validate();
        ReferenceModel model = new ReferenceModel(
                spec,
                AdamConfig.acganDefaults(),
                AdamConfig.acganDefaults(),
                ParameterInitializer.initialize(inferred, seed));
        SplittableRandom rnd = new SplittableRandom(seed);
        for (ParameterSpec p : inferred.parameters()) {
            double[] v = model.value(p.name());
            for (int i = 0; i < v.length; i++) {
                v[i] = p.name().endsWith("moving_variance")
                        ? 0.5 + rnd.nextDouble()
                        : v[i] + 0.3 * (rnd.nextDouble() - 0.5);
            }
            model.setValue(p.name(), v);
        }
        return model;
    }

    static ImageBatch images(int n, int[] labels, SplittableRandom rnd) {
        float[] px = new float[n * TinySpecs.IMAGE.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return ImageBatch.nhwc(
                n, TinySpecs.IMAGE.height(), TinySpecs.IMAGE.width(), TinySpecs.IMAGE.channels(), px, labels);
    }

    static int[] labels(GanKind kind, int n, SplittableRandom rnd) {
        if (kind == GanKind.GAN) {
            return null;
        }
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = rnd.nextInt(TinySpecs.CLASSES);
        }
        return l;
    }

    static DiscriminatorBatch discriminatorBatch(ReferenceModel model, SplittableRandom rnd) {
        GanKind kind = model.spec().kind();
        ImageBatch real = images(3, labels(kind, 3, rnd), rnd);
        ImageBatch fake = images(2, labels(kind, 2, rnd), rnd);
        Map<String, float[]> masks = DropoutMasks.draw(model.inferred().discriminator(), 5, rnd);
        return new DiscriminatorBatch(real, fake, 0.95f, 0.05f, 1.0f, 0.7f, masks);
    }

    static GeneratorBatch generatorBatch(ReferenceModel model, SplittableRandom rnd) {
        int n = 4;
        Tensor noise = NoiseSampler.sample(model.spec(), n, rnd);
        int[] labels = labels(model.spec().kind(), n, rnd);
        return new GeneratorBatch(
                noise,
                labels,
                0.95f,
                0.8f,
                DropoutMasks.draw(model.inferred().generator(), n, rnd),
                DropoutMasks.draw(model.inferred().discriminator(), n, rnd));
    }

    /** Checks every element of every trainable parameter of the network; returns the count. */
    private static int checkNetwork(
            ReferenceModel model, InferredNetwork net, Map<String, double[]> analytic, DoubleSupplier loss) {
        int checked = 0;
        for (ParameterSpec p : net.trainableParameters()) {
            double[] x = model.value(p.name());
            DoubleSupplier f = () -> {
                model.setValue(p.name(), x);
                return loss.getAsDouble();
            };
            checked += FiniteDifferences.checkAll(p.name(), f, x, analytic.get(p.name()));
            model.setValue(p.name(), x);
        }
        return checked;
    }

    @ParameterizedTest
    @EnumSource(GanKind.class)
    void discriminatorLossGradient(GanKind kind) {
        try (ReferenceModel model = model(kind, 17)) {
            DiscriminatorBatch batch = discriminatorBatch(model, new SplittableRandom(3));
            assertFalse(batch.dropoutMasks().isEmpty());
            Map<String, double[]> analytic = model.discriminatorGradientsExact(batch);
            int n = checkNetwork(
                    model,
                    model.inferred().discriminator(),
                    analytic,
                    () -> model.discriminatorLoss(batch).total());
            assertEquals(model.inferred().discriminator().trainableCount(), n);
            // The float32 API view carries the same values.
            NamedTensors floats = model.discriminatorGradients(batch);
            assertEquals(analytic.keySet(), floats.names());
            for (Map.Entry<String, double[]> e : analytic.entrySet()) {
                assertArrayEquals(
                        DoubleTensor.toFloats(e.getValue()),
                        floats.get(e.getKey()).data());
            }
            if (kind == GanKind.ACGAN) {
                assertTrue(model.discriminatorLoss(batch).realAuxiliary() > 0);
                assertTrue(model.discriminatorLoss(batch).fakeAuxiliary() > 0);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GanKind.class)
    void generatorLossGradient(GanKind kind) {
        try (ReferenceModel model = model(kind, 23)) {
            GeneratorBatch batch = generatorBatch(model, new SplittableRandom(5));
            Map<String, double[]> analytic = model.generatorGradientsExact(batch);
            int n = checkNetwork(
                    model,
                    model.inferred().generator(),
                    analytic,
                    () -> model.generatorLoss(batch).total());
            assertEquals(model.inferred().generator().trainableCount(), n);
            assertEquals(kind == GanKind.ACGAN, model.generatorLoss(batch).auxiliary() > 0);
        }
    }
}
