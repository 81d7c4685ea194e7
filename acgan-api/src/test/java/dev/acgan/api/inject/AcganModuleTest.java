package dev.acgan.api.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointMetadata;
import dev.acgan.api.checkpoint.CheckpointType;
import dev.acgan.api.model.Generator;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.ParameterInitializer;
import dev.acgan.api.spec.TinySpecs;
import dev.acgan.api.spi.BackendException;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.FakeBackend;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.train.TrainingPosition;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcganModuleTest {

    @TempDir
    Path dir;

    private final FakeBackend fake = new FakeBackend("fake", 1);

    @BeforeEach
    void registerFake() {
        Backends.register(fake);
    }

    @AfterEach
    void unregisterFake() {
        Backends.unregister(fake);
    }

    @Test
    void bindsSingletonsOnTheNamedBackend() {
        Injector injector = Guice.createInjector(new AcganModule("fake"));
        GanBackend backend = injector.getInstance(GanBackend.class);
        assertSame(fake, backend);
        assertSame(backend, injector.getInstance(GanBackend.class));

        TrainerFactory trainers = injector.getInstance(TrainerFactory.class);
        assertSame(trainers, injector.getInstance(TrainerFactory.class));
        assertSame(fake, trainers.backend());

        GeneratorLoader loader = injector.getInstance(GeneratorLoader.class);
        assertSame(loader, injector.getInstance(GeneratorLoader.class));

        // the loader loads on the bound backend: write a generator export and load it from disk
        ModelSpec spec = TinySpecs.gan();
        NamedTensors weights =
                ParameterInitializer.initialize(spec.validate(), 5).withPrefix("generator/");
        new Checkpoint(
                        new CheckpointMetadata(
                                Checkpoint.FORMAT_VERSION,
                                CheckpointType.GENERATOR,
                                spec,
                                null,
                                TrainingPosition.start(),
                                "fake",
                                null,
                                null,
                                null,
                                null,
                                0),
                        weights)
                .write(dir.resolve("g"));
        try (Generator g = loader.load(dir.resolve("g"))) {
            assertEquals(spec, g.spec());
            ImageBatch images = g.generate(new int[] {0, 0}, 3L);
            assertEquals(2, images.count());
        }
        assertEquals(1, fake.loadedWeights.size());
        assertEquals(weights, fake.loadedWeights.get(0));
    }

    @Test
    void separateInjectorsGetSeparateSingletonsOfTheSameBackend() {
        Injector a = Guice.createInjector(new AcganModule("FAKE"));
        Injector b = Guice.createInjector(new AcganModule("fake"));
        assertSame(a.getInstance(GanBackend.class), b.getInstance(GanBackend.class));
        assertTrue(a.getInstance(TrainerFactory.class) != b.getInstance(TrainerFactory.class));
    }

    @Test
    void unknownBackendFailsAtProvisionWithTheBackendMessage() {
        Injector injector = Guice.createInjector(new AcganModule("no-such-backend"));
        ProvisionException e = assertThrows(ProvisionException.class, () -> injector.getInstance(GanBackend.class));
        BackendException cause = assertInstanceOf(BackendException.class, e.getCause());
        assertTrue(
                cause.getMessage().startsWith("no backend named 'no-such-backend' (from the argument); found: "),
                cause.getMessage());
        assertTrue(cause.getMessage().contains("fake (priority 1)"), cause.getMessage());
    }
}
