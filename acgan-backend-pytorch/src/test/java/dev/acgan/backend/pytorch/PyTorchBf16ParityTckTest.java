package dev.acgan.backend.pytorch;

import dev.acgan.api.model.Precision;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.tck.GanBackendParityTck;

/**
 * Runs the TCK's parity checks in the bf16 profile against the PyTorch backend computing in bf16; skipped, with the
 * reason named, on CPUs without AMX-BF16 or AVX512_BF16 (or with bf16 switched off).
 */
class PyTorchBf16ParityTckTest extends GanBackendParityTck {
    @Override
    protected GanBackend backend() {
        return new PyTorchBackend();
    }

    @Override
    protected Precision precision() {
        return Precision.BF16;
    }
}
