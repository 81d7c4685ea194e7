package dev.acgan.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.model.Precision;
import dev.acgan.api.spi.BackendException;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.Capability;
import dev.acgan.api.spi.GanBackend;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** The backend's own settings: discovery, threads, precisions, and libtorch's oneDNN switched off. */
class PyTorchBackendTest {

    @Test
    void discoveredByServiceLoader() {
        GanBackend b = Backends.discover().select(PyTorchBackend.NAME);
        assertEquals(PyTorchBackend.NAME, b.name());
        assertTrue(b.capabilities().contains(Capability.GRADIENTS));
        assertTrue(b.capabilities().contains(Capability.CLASSIFIER));
        assertFalse(b.capabilities().contains(Capability.BF16));
    }

    @Test
    void bf16IsRefusedWithItsReasonAndAutoIsFp32() {
        PyTorchBackend b = new PyTorchBackend();
        BackendException e = assertThrows(BackendException.class, () -> b.resolvePrecision(Precision.BF16));
        assertTrue(e.getMessage().contains("fp32 only"), e.getMessage());
        assertEquals(Precision.FP32, b.resolvePrecision(Precision.AUTO));
    }

    @Test
    void threadsComeFromThePropertyThenOmpNumThreadsThenTheProcessors() {
        assertEquals(3, PyTorchBackend.threads("3", "1", 2));
        assertEquals(1, PyTorchBackend.threads(null, "1", 2));
        assertEquals(2, PyTorchBackend.threads(" ", "x", 2));
        assertEquals(2, PyTorchBackend.threads(null, null, 2));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PyTorchBackend.threads("zero", null, 2));
        assertTrue(e.getMessage().contains(PyTorchBackend.THREADS_PROPERTY), e.getMessage());
    }

    @Test
    void nativesLoadWithTheThreadCountAndOneDnnOff() {
        PyTorchBackend.loadNatives();
        assertEquals(PyTorchBackend.threads(), torch.get_num_threads());
        assertFalse(torch.globalContext().userEnabledMkldnn());
    }
}
