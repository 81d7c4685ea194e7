package dev.acgan.backend.pytorch;

import dev.acgan.api.spi.GanBackend;
import dev.acgan.tck.GanBackendParityTck;

/** The TCK's parity tests (against its float64 oracle) on the PyTorch backend. */
class PyTorchParityTckTest extends GanBackendParityTck {
    @Override
    protected GanBackend backend() {
        return new PyTorchBackend();
    }
}
