package dev.acgan.api.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;

/**
 * Guice wiring for host applications: binds the selected {@link GanBackend}, a {@link TrainerFactory}
 * and a {@link GeneratorLoader}. Guice is an optional dependency of {@code acgan-api}; hosts that do not
 * use Guice call {@link Backends}, {@link TrainerFactory} and {@link GeneratorLoader} directly.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new AcganModule());          // or new AcganModule("nd4j")
 * GeneratorLoader loader = injector.getInstance(GeneratorLoader.class);
 * try (Generator g = loader.load(Path.of("runs/mnist/generator"))) { ... }
 * }</pre>
 */
public final class AcganModule extends AbstractModule {

    private final String backendName;

    /** Selects the backend by the usual rules (property, environment, priority). */
    public AcganModule() {
        this(null);
    }

    /** Selects the named backend ({@code null}: the usual rules). */
    public AcganModule(String backendName) {
        this.backendName = backendName;
    }

    @Provides
    @Singleton
    GanBackend backend() {
        return Backends.discover().select(backendName);
    }

    @Provides
    @Singleton
    TrainerFactory trainerFactory(GanBackend backend) {
        return new TrainerFactory(backend);
    }

    @Provides
    @Singleton
    GeneratorLoader generatorLoader(GanBackend backend) {
        return new GeneratorLoader(backend);
    }
}
