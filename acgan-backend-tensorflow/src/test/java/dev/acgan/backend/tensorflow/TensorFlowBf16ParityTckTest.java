package dev.acgan.backend.tensorflow;

import dev.acgan.api.model.Precision;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.tck.GanBackendParityTck;

/**
 * Runs the TCK's parity checks in the bf16 profile against the TensorFlow backend computing in bf16; skipped,
 * with the missing CPU flag named, on CPUs without AMX-BF16 or AVX512_BF16.
 */
class TensorFlowBf16ParityTckTest extends GanBackendParityTck {
    @Override
    protected GanBackend backend() {
        return new TensorFlowBackend();
    }

    @Override
    protected Precision precision() {
        return Precision.BF16;
    }
}
