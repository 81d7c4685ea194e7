package dev.acgan.backend.tensorflow;

import dev.acgan.api.spi.GanBackend;
import dev.acgan.tck.GanBackendTck;

/** Runs the TCK's contract tests against the TensorFlow backend. */
class TensorFlowTckTest extends GanBackendTck {
    @Override
    protected GanBackend backend() {
        return new TensorFlowBackend();
    }
}
