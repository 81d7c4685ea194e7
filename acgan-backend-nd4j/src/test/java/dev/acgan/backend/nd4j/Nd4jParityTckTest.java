package dev.acgan.backend.nd4j;

import dev.acgan.api.spi.GanBackend;
import dev.acgan.tck.GanBackendParityTck;

/** The TCK's parity tests (against its float64 oracle) on the ND4J backend. */
class Nd4jParityTckTest extends GanBackendParityTck {
    @Override
    protected GanBackend backend() {
        return new Nd4jBackend();
    }
}
