package dev.acgan.tck;

import dev.acgan.api.model.Precision;

/**
 * {@link FaultyBackendParityTck} in the bf16 profile: the parity TCK as a bf16 backend runs it, against
 * {@link FaultyBackend} computing in bf16. Run only through {@link SensitivityTest}'s nested launcher.
 */
public class FaultyBackendBf16ParityTck extends FaultyBackendParityTck {

    @Override
    protected Precision precision() {
        return Precision.BF16;
    }
}
