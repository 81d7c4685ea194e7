package dev.acgan.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.model.Precision;
import dev.acgan.api.spi.BackendException;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.Capability;
import dev.acgan.api.spi.ComputeProbe;
import dev.acgan.api.spi.CpuFeatures;
import dev.acgan.api.spi.GanBackend;
import java.util.Map;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** The backend's own settings: discovery, threads, precisions and the bf16 decision, libtorch's oneDNN switch. */
class PyTorchBackendTest {

    @Test
    void discoveredByServiceLoader() {
        GanBackend b = Backends.discover().select(PyTorchBackend.NAME);
        assertEquals(PyTorchBackend.NAME, b.name());
        assertTrue(b.capabilities().contains(Capability.GRADIENTS));
        assertTrue(b.capabilities().contains(Capability.CLASSIFIER));
        assertEquals(
                OneDnnIsa.current().bf16Unavailable().isEmpty(),
                b.capabilities().contains(Capability.BF16));
    }

    private static PyTorchBackend on(CpuFeatures cpu, boolean oneDnn, Map<String, String> env, String property) {
        return new PyTorchBackend(new OneDnnIsa(cpu, oneDnn, env, property));
    }

    @Test
    void bf16IsDeclaredWhereTheCpuHasAmxOrAvx512Bf16() {
        PyTorchBackend amx = on(CpuFeatures.of("avx512f", "avx512_bf16", "amx_tile", "amx_bf16"), true, Map.of(), null);
        assertTrue(amx.capabilities().contains(Capability.BF16));
        assertEquals(Precision.BF16, amx.resolvePrecision(Precision.AUTO));
        assertTrue(amx.describeCompute(Precision.BF16).contains("AMX-BF16 tiles"), amx.describeCompute(Precision.BF16));
        PyTorchBackend avx512Bf16 = on(CpuFeatures.of("avx512f", "avx512_bf16"), true, Map.of(), null);
        assertTrue(avx512Bf16.capabilities().contains(Capability.BF16));
        assertTrue(avx512Bf16.describeCompute(Precision.BF16).contains("avx512_core_bf16"));
        PyTorchBackend capped = on(
                CpuFeatures.of("avx512f", "amx_tile", "amx_bf16"),
                true,
                Map.of("ONEDNN_MAX_CPU_ISA", "AVX512_CORE_BF16"),
                null);
        assertTrue(capped.describeCompute(Precision.BF16).contains("AVX512_BF16 dot products"));
    }

    @Test
    void withoutBf16HardwareOrWithBf16SwitchedOffBf16IsRefusedWithItsReasonAndAutoIsFp32() {
        assertRefused(on(CpuFeatures.of("avx2", "avx512f"), true, Map.of(), null), "avx2 avx512f");
        assertRefused(on(CpuFeatures.of("avx2"), true, Map.of(), null), "neither");
        CpuFeatures amx = CpuFeatures.of("avx512f", "avx512_bf16", "amx_tile", "amx_bf16");
        assertRefused(on(amx, true, Map.of(), "off"), OneDnnIsa.BF16_PROPERTY);
        assertRefused(on(amx, true, Map.of(OneDnnIsa.BF16_ENV, "0"), null), OneDnnIsa.BF16_ENV);
        assertRefused(on(amx, true, Map.of("ONEDNN_MAX_CPU_ISA", "AVX512_CORE"), null), "AVX512_CORE");
        assertRefused(on(amx, false, Map.of(), null), OneDnn.PROPERTY);
    }

    private static void assertRefused(PyTorchBackend b, String reason) {
        assertFalse(b.capabilities().contains(Capability.BF16));
        BackendException e = assertThrows(BackendException.class, () -> b.resolvePrecision(Precision.BF16));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertEquals(Precision.FP32, b.resolvePrecision(Precision.AUTO));
        assertTrue(b.describeCompute(Precision.AUTO).startsWith("fp32"), b.describeCompute(Precision.AUTO));
    }

    @Test
    void theBf16ProbeMultipliesWhereBf16IsOfferedAndSaysWhyNotElsewhere() throws Exception {
        PyTorchBackend b = new PyTorchBackend();
        ComputeProbe probe = b.computeProbe().orElseThrow();
        java.util.Optional<String> why = b.precisionUnavailable(Precision.BF16);
        if (why.isPresent()) {
            UnsupportedOperationException e =
                    assertThrows(UnsupportedOperationException.class, () -> probe.prepareGemm(8, Precision.BF16));
            assertEquals(why.get(), e.getMessage());
            return;
        }
        try (ComputeProbe.Sgemm gemm = probe.prepareGemm(64, Precision.BF16)) {
            gemm.run();
            assertEquals(64, gemm.n());
        }
    }

    @Test
    void oneDnnSwitchParses() {
        assertTrue(OneDnn.parse(null));
        assertTrue(OneDnn.parse("on"));
        assertFalse(OneDnn.parse(" OFF "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OneDnn.parse("maybe"));
        assertTrue(e.getMessage().contains(OneDnn.PROPERTY), e.getMessage());
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
    void nativesLoadWithTheThreadCountAndOneDnnAsConfigured() {
        PyTorchBackend.loadNatives();
        assertEquals(PyTorchBackend.threads(), torch.get_num_threads());
        assertEquals(OneDnn.on(), torch.globalContext().userEnabledMkldnn());
    }
}
