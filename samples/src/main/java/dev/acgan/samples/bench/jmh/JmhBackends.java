package dev.acgan.samples.bench.jmh;

import dev.acgan.api.spi.BackendException;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;

/** Backend look-up for the JMH benchmarks ({@code @Param backend}). */
final class JmhBackends {

    private JmhBackends() {}

    /** The backend of that name, or a clear error listing what is there. */
    static GanBackend byName(String name) {
        Backends all = Backends.discover();
        return all.find(name)
                .orElseThrow(() -> new BackendException("no backend named '" + name + "'; found " + all.describe()));
    }
}
