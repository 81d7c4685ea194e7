package dev.acgan.tck;

import dev.acgan.api.spi.GanBackend;

/**
 * The parity TCK exactly as a backend runs it, against {@link FaultyBackend} with the fault currently
 * chosen by {@link SensitivityTest}. Its name does not match Surefire's test patterns: it runs only
 * through {@link SensitivityTest}'s nested JUnit launcher.
 */
public class FaultyBackendParityTck extends GanBackendParityTck {

    /** The fault of the next run. */
    static volatile FaultyBackend.Fault fault = FaultyBackend.Fault.NONE;

    @Override
    protected GanBackend backend() {
        return new FaultyBackend(fault);
    }
}
