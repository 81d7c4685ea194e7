package dev.acgan.backend.nd4j;

import dev.acgan.api.spi.GanBackend;
import dev.acgan.tck.GanBackendTck;

/** The TCK's contract tests on the ND4J backend. */
class Nd4jTckTest extends GanBackendTck {
    @Override
    protected GanBackend backend() {
        return new Nd4jBackend();
    }
}
