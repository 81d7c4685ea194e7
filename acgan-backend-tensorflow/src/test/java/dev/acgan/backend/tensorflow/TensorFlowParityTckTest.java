package dev.acgan.backend.tensorflow;

import dev.acgan.api.spi.GanBackend;
import dev.acgan.tck.GanBackendParityTck;

/** Runs the TCK's parity checks (losses, gradients, updates, outputs, checkpoints) against the TensorFlow backend. */
class TensorFlowParityTckTest extends GanBackendParityTck {
    @Override
    protected GanBackend backend() {
        return new TensorFlowBackend();
    }
}
