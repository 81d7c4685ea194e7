package dev.acgan.samples.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import dev.acgan.api.inject.AcganModule;
import dev.acgan.api.spi.Backends;

/**
 * The one place the CLI is wired: an injector with {@link AcganModule} for the requested backend
 * ({@code null}: the usual selection by {@code -Dacgan.backend}, {@code ACGAN_BACKEND}, priority), which
 * provides {@link dev.acgan.api.spi.GanBackend}, {@link dev.acgan.api.inject.TrainerFactory} and
 * {@link dev.acgan.api.inject.GeneratorLoader}, plus the discovered {@link Backends}. The backend is
 * selected lazily, when first asked for, so a bad name fails where it is used.
 */
public final class Wiring extends AbstractModule {

    private final String backendName;

    private Wiring(String backendName) {
        this.backendName = backendName;
    }

    /** The injector for a backend name ({@code null} or blank: default selection). */
    public static Injector injector(String backendName) {
        return Guice.createInjector(new Wiring(backendName == null || backendName.isBlank() ? null : backendName));
    }

    @Override
    protected void configure() {
        install(new AcganModule(backendName));
    }

    @Provides
    Backends backends() {
        return Backends.discover();
    }
}
