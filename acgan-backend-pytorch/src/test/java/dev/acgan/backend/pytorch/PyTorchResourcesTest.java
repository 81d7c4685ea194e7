package dev.acgan.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.acgan.api.model.DiscriminatorLosses;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.train.AdamConfig;
import dev.acgan.tck.TckFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backend on the full acgan-mnist preset (where oneDNN splits the convolutions over the threads): bit-identical
 * training at the process's fixed thread count in fp32 and bf16, and native memory handed back on close.
 */
class PyTorchResourcesTest {

    private static final ModelSpec SPEC = Presets.byName(Presets.ACGAN_MNIST);

    private static GanModel model(Precision p) {
        return new PyTorchBackend()
                .createModel(
                        SPEC, AdamConfig.acganDefaults(), AdamConfig.acganDefaults(), TckFixtures.weights(SPEC, 3), p);
    }

    private static void assumeAvailable(Precision p) {
        assumeTrue(
                new PyTorchBackend().precisionUnavailable(p).isEmpty(),
                () -> new PyTorchBackend().precisionUnavailable(p).orElse(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "bf16"})
    void trainingIsBitIdenticalAtAFixedThreadCount(String precision) {
        Precision p = Precision.parse(precision, "precision");
        assumeAvailable(p);
        List<NamedTensors> states = new ArrayList<>();
        List<DiscriminatorLosses> losses = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (GanModel m = model(p)) {
                assertEquals(p, m.precision());
                for (int s = 0; s < 2; s++) {
                    losses.add(m.trainDiscriminator(TckFixtures.discriminatorBatch(SPEC, 16, 16, 100 + s)));
                    m.trainGenerator(TckFixtures.generatorBatch(SPEC, 32, 200 + s));
                }
                states.add(m.state());
            }
        }
        assertEquals(losses.subList(0, 2), losses.subList(2, 4));
        assertEquals(states.get(0), states.get(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "bf16"})
    void closingAModelHandsItsNativeMemoryBack(String precision) throws IOException {
        Precision p = Precision.parse(precision, "precision");
        assumeAvailable(p);
        // libtorch's, oneDNN's and glibc's one-time caches: measured resident memory rises by up to 135 MB over the
        // first 8 to 12 models (fp32 and bf16, each transposed-convolution form) and then stays within 15 MB up to
        // 40 models, so the window below starts after 12.
        cycle(p, 12);
        long before = rssKb();
        int models = 8;
        cycle(p, models);
        long grownMb = (rssKb() - before) / 1024;
        // One model holds acgan-mnist's 3.1 million parameters and their Adam moments (37 MB) besides a step's
        // activations, so a leak of each model would grow the process by about 300 MB over the window.
        System.out.printf("%s: resident memory after %d more models: %+d MB%n", p.label(), models, grownMb);
        assertTrue(grownMb < 64, "resident memory grew " + grownMb + " MB over " + models + " closed models");
    }

    private static void cycle(Precision p, int models) {
        for (int k = 0; k < models; k++) {
            try (GanModel m = model(p)) {
                m.trainDiscriminator(TckFixtures.discriminatorBatch(SPEC, 4, 4, k));
                m.trainGenerator(TckFixtures.generatorBatch(SPEC, 8, k));
            }
        }
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
