package dev.acgan.tck.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.model.DiscriminatorBatch;
import dev.acgan.api.model.DiscriminatorLosses;
import dev.acgan.api.model.DiscriminatorOutput;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.GeneratorBatch;
import dev.acgan.api.model.GeneratorLosses;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.ParameterInitializer;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import dev.acgan.api.train.DropoutMasks;
import dev.acgan.api.train.NoiseSampler;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The acgan-mnist preset on the oracle: sanity of its outputs, and timings (printed, not asserted). */
class PresetTest {

    private static GanModel acganMnist() {
        ModelSpec spec = Presets.acgan(ImageShape.mnist(), 10, 100);
        InferredModel inferred = spec.validate();
        return new ReferenceBackend()
                .createModel(
                        spec,
                        AdamConfig.acganDefaults(),
                        AdamConfig.acganDefaults(),
                        ParameterInitializer.initialize(inferred, 1));
    }

    @Test
    void acganMnistForwardOnABatchOfTwo() {
        try (GanModel model = acganMnist()) {
            Tensor noise = NoiseSampler.sample(model.spec(), 2, new SplittableRandom(1));
            int[] labels = {3, 7};
            long t0 = System.nanoTime();
            ImageBatch images = model.generator().generate(noise, labels);
            long t1 = System.nanoTime();
            DiscriminatorOutput out = model.discriminator().discriminate(images);
            long t2 = System.nanoTime();
            System.out.printf(
                    Locale.ROOT,
                    "[oracle timing] acgan-mnist forward, batch 2: generator %.1f ms, " + "discriminator %.1f ms%n",
                    (t1 - t0) / 1e6,
                    (t2 - t1) / 1e6);

            assertEquals(2, images.count());
            assertEquals(28, images.height());
            assertEquals(28, images.width());
            assertEquals(1, images.channels());
            for (float v : images.pixels()) {
                assertTrue(v >= -1 && v <= 1, "pixel " + v);
            }
            assertEquals(2, out.count());
            for (float p : out.validity()) {
                assertTrue(p >= 0 && p <= 1, "validity " + p);
            }
            for (int i = 0; i < 2; i++) {
                double sum = 0;
                for (int k = 0; k < 10; k++) {
                    float q = out.classProbabilities()[i * 10 + k];
                    assertTrue(q >= 0 && q <= 1, "class probability " + q);
                    sum += q;
                }
                assertEquals(1.0, sum, 1e-6);
            }
        }
    }

    @Test
    void acganMnistTrainingStepTimings() {
        try (GanModel model = acganMnist()) {
            InferredModel inferred = model.spec().validate();
            for (int n : new int[] {2, 7, 7}) {
                SplittableRandom rnd = new SplittableRandom(n);
                ImageBatch real = model.generate(
                        NoiseSampler.sample(model.spec(), n, rnd),
                        NoiseSampler.labels(model.spec(), n, rnd),
                        false,
                        null);
                ImageBatch fake = model.generate(
                        NoiseSampler.sample(model.spec(), n, rnd),
                        NoiseSampler.labels(model.spec(), n, rnd),
                        false,
                        null);
                DiscriminatorBatch d = new DiscriminatorBatch(
                        real, fake, 0.95f, 0f, 1f, 0f, DropoutMasks.draw(inferred.discriminator(), 2 * n, rnd));
                GeneratorBatch g = new GeneratorBatch(
                        NoiseSampler.sample(model.spec(), n, rnd),
                        NoiseSampler.labels(model.spec(), n, rnd),
                        0.95f,
                        1f,
                        DropoutMasks.draw(inferred.generator(), n, rnd),
                        DropoutMasks.draw(inferred.discriminator(), n, rnd));
                long t0 = System.nanoTime();
                DiscriminatorLosses dl = model.trainDiscriminator(d);
                long t1 = System.nanoTime();
                GeneratorLosses gl = model.trainGenerator(g);
                long t2 = System.nanoTime();
                System.out.printf(
                        Locale.ROOT,
                        "[oracle timing] acgan-mnist train step, batch %d: discriminator "
                                + "%.0f ms, generator %.0f ms, total %.0f ms (d loss %.4f, g loss %.4f)%n",
                        n,
                        (t1 - t0) / 1e6,
                        (t2 - t1) / 1e6,
                        (t2 - t0) / 1e6,
                        dl.total(),
                        gl.total());
                assertTrue(Double.isFinite(dl.total()) && Double.isFinite(gl.total()));
            }
        }
    }
}
