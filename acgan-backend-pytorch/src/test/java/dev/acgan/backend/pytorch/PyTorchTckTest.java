package dev.acgan.backend.pytorch;

import dev.acgan.api.spi.GanBackend;
import dev.acgan.tck.GanBackendTck;

/** The TCK's contract tests on the PyTorch backend. */
class PyTorchTckTest extends GanBackendTck {
    @Override
    protected GanBackend backend() {
        return new PyTorchBackend();
    }
}
