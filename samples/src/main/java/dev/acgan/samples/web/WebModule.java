package dev.acgan.samples.web;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.acgan.api.inject.AcganModule;
import dev.acgan.api.spi.Backends;

/**
 * Guice wiring of {@code acgan serve}: the options, {@link AcganModule} for the {@code --backend}
 * (the {@link dev.acgan.api.inject.GeneratorLoader} of the Generate page; selected lazily), the
 * discovered {@link Backends} (trainings choose theirs), and the server's singletons
 * ({@link WebServer}, {@link GeneratorService}, {@link TrainingManager}, the event hub) by their
 * {@code @Inject} constructors.
 */
public final class WebModule extends AbstractModule {

    private final ServeOptions options;

    /** The wiring for these options. */
    public WebModule(ServeOptions options) {
        this.options = options;
    }

    /** A server for these options, not yet started. */
    public static WebServer server(ServeOptions options) {
        return Guice.createInjector(new WebModule(options)).getInstance(WebServer.class);
    }

    @Override
    protected void configure() {
        bind(ServeOptions.class).toInstance(options);
        install(new AcganModule(options.backend()));
    }

    @Provides
    @Singleton
    Backends backends() {
        return Backends.discover();
    }
}
