package dev.acgan.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.GeneratorBatch;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.BackendException;
import dev.acgan.api.spi.Capability;
import dev.acgan.api.spi.CpuFeatures;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.tck.ParityChecks;
import dev.acgan.tck.TckFixtures;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** When the TensorFlow backend offers bf16, what it says when it does not, and that bf16 is not fp32. */
class TensorFlowPrecisionTest {

    private static final CpuFeatures AMX = CpuFeatures.of("avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile");
    private static final CpuFeatures AVX512_BF16 = CpuFeatures.of("avx2", "avx512f", "avx512_bf16");
    private static final CpuFeatures AVX2 = CpuFeatures.of("avx2", "fma");

    private static TensorFlowBackend on(CpuFeatures cpu, Map<String, String> env) {
        return new TensorFlowBackend(new OneDnnIsa(cpu, env));
    }

    @Test
    void bf16OnlyWhereTheCpuHasBf16UnitsAndOneDnnMayUseThem() {
        TensorFlowBackend amx = on(AMX, Map.of());
        assertTrue(amx.capabilities().contains(Capability.BF16));
        assertEquals(Precision.BF16, amx.resolvePrecision(Precision.AUTO));
        assertTrue(
                amx.describeCompute(Precision.BF16).contains("AMX-BF16 tiles (oneDNN avx10_1_512_amx)"),
                amx.describeCompute(Precision.BF16));
        assertEquals("fp32 (oneDNN avx512_core)", amx.describeCompute(Precision.FP32));

        TensorFlowBackend zen4 = on(AVX512_BF16, Map.of("TF_ENABLE_ONEDNN_OPTS", "1"));
        assertEquals(Precision.BF16, zen4.resolvePrecision(Precision.AUTO));
        assertTrue(
                zen4.describeCompute(Precision.AUTO).contains("AVX512_BF16 dot products (oneDNN avx512_core_bf16)"),
                zen4.describeCompute(Precision.AUTO));

        TensorFlowBackend capped = on(AMX, Map.of("ONEDNN_MAX_CPU_ISA", "AVX512_CORE_BF16"));
        assertTrue(capped.describeCompute(Precision.BF16).contains("AVX512_BF16 dot products"));

        TensorFlowBackend avx2 = on(AVX2, Map.of("TF_ENABLE_ONEDNN_OPTS", "1"));
        assertFalse(avx2.capabilities().contains(Capability.BF16));
        assertEquals(Precision.FP32, avx2.resolvePrecision(Precision.AUTO));
        assertEquals("fp32 (oneDNN avx2)", avx2.describeCompute(Precision.AUTO));
        // unset TF_ENABLE_ONEDNN_OPTS: TensorFlow 2.18 leaves oneDNN off on a CPU without VNNI, BF16 or AMX
        assertEquals(
                "fp32 (oneDNN off: TensorFlow's Eigen kernels)",
                on(AVX2, Map.of()).describeCompute(Precision.FP32));
        assertEquals("fp32 (oneDNN avx512_core)", on(AMX, Map.of()).describeCompute(Precision.FP32));
        BackendException e = assertThrows(BackendException.class, () -> avx2.resolvePrecision(Precision.BF16));
        assertEquals(
                "precision bf16 is not available on backend tensorflow: TensorFlow's oneDNN computes bf16 "
                        + "products fast only on CPUs with AMX-BF16 or AVX512_BF16, and this CPU has neither (its flags: "
                        + "avx2). Use fp32, or auto (which picks fp32 there)",
                e.getMessage());
        assertThrows(
                BackendException.class,
                () -> avx2.loadGenerator(TckFixtures.tinyGan(), NamedTensors.empty(), Precision.BF16));

        assertEquals(
                "ONEDNN_MAX_CPU_ISA=AVX2 holds oneDNN below its bf16 kernels",
                on(AMX, Map.of("ONEDNN_MAX_CPU_ISA", "avx2"))
                        .precisionUnavailable(Precision.BF16)
                        .orElseThrow());
        assertEquals(
                "ONEDNN_MAX_CPU_ISA=AVX2 holds oneDNN below its bf16 kernels",
                on(AMX, Map.of("DNNL_MAX_CPU_ISA", "AVX2"))
                        .precisionUnavailable(Precision.BF16)
                        .orElseThrow());
        assertEquals(
                "TF_ENABLE_ONEDNN_OPTS=0 turns off the oneDNN kernels that compute bf16",
                on(AMX, Map.of("TF_ENABLE_ONEDNN_OPTS", "0"))
                        .precisionUnavailable(Precision.BF16)
                        .orElseThrow());
    }

    @Test
    void oddChannelsArePaddedWhereBf16RunsOnAvx512Bf16Kernels() {
        assertFalse(new OneDnnIsa(AMX, Map.of()).bf16PadsOddChannels());
        assertFalse(
                on(AMX, Map.of()).describeCompute(Precision.BF16).contains("padded"),
                on(AMX, Map.of()).describeCompute(Precision.BF16));
        assertTrue(new OneDnnIsa(AVX512_BF16, Map.of()).bf16PadsOddChannels());
        assertTrue(new OneDnnIsa(AVX512_BF16, Map.of("TF_ENABLE_ONEDNN_OPTS", "1")).bf16PadsOddChannels());
        assertTrue(
                on(AVX512_BF16, Map.of())
                        .describeCompute(Precision.BF16)
                        .contains("odd channel counts of convolutions padded with zeros"),
                on(AVX512_BF16, Map.of()).describeCompute(Precision.BF16));
        // AMX capped off: the avx512_core_bf16 kernels run
        assertTrue(new OneDnnIsa(AMX, Map.of("ONEDNN_MAX_CPU_ISA", "AVX512_CORE_BF16")).bf16PadsOddChannels());
        assertFalse(new OneDnnIsa(AMX, Map.of("ONEDNN_MAX_CPU_ISA", "AVX512_CORE_AMX")).bf16PadsOddChannels());
        // no bf16 at all: nothing to pad
        assertFalse(new OneDnnIsa(AVX2, Map.of("TF_ENABLE_ONEDNN_OPTS", "1")).bf16PadsOddChannels());
        assertFalse(new OneDnnIsa(AVX512_BF16, Map.of("TF_ENABLE_ONEDNN_OPTS", "0")).bf16PadsOddChannels());
        assertFalse(new OneDnnIsa(AVX512_BF16, Map.of("ONEDNN_MAX_CPU_ISA", "AVX512_CORE")).bf16PadsOddChannels());
    }

    @Test
    void aBf16ModelComputesInBf16() {
        TensorFlowBackend here = new TensorFlowBackend();
        Assumptions.assumeTrue(
                here.capabilities().contains(Capability.BF16),
                () -> "bf16 unavailable here: "
                        + here.precisionUnavailable(Precision.BF16).orElse(""));
        ModelSpec spec = Presets.byName(Presets.ACGAN_FAST);
        NamedTensors w = TckFixtures.weights(spec, 5);
        Tensor z = TckFixtures.noise(spec, 4, 6);
        int[] labels = TckFixtures.labels(spec, 4, 7);
        try (GanModel fp32 = here.createModel(spec, ParityChecks.GENERATOR_ADAM, ParityChecks.DISCRIMINATOR_ADAM, w);
                GanModel bf16 = here.createModel(
                        spec, ParityChecks.GENERATOR_ADAM, ParityChecks.DISCRIMINATOR_ADAM, w, Precision.AUTO);
                Generator standalone = here.loadGenerator(spec, w.withPrefix("generator/"), Precision.BF16)) {
            assertEquals(Precision.FP32, fp32.precision());
            assertEquals(Precision.BF16, bf16.precision());
            assertEquals(Precision.BF16, bf16.generator().precision());
            assertEquals(Precision.BF16, standalone.precision());
            float[] a = fp32.generator().generate(z, labels).pixels();
            float[] b = bf16.generator().generate(z, labels).pixels();
            assertNotEquals(java.util.Arrays.hashCode(a), java.util.Arrays.hashCode(b), "bf16 computed as fp32");
            assertEquals(
                    java.util.Arrays.hashCode(b),
                    java.util.Arrays.hashCode(standalone.generate(z, labels).pixels()));
            // deterministic in bf16 too (the backend declares DETERMINISTIC): a second model, the same bits
            GeneratorBatch gb = ParityChecks.Setting.STANDARD.generatorBatch(spec, 3, 8);
            NamedTensors g1 = bf16.generatorGradients(gb);
            try (GanModel again = here.createModel(
                    spec, ParityChecks.GENERATOR_ADAM, ParityChecks.DISCRIMINATOR_ADAM, w, Precision.BF16)) {
                assertEquals(g1, again.generatorGradients(gb));
                assertEquals(bf16.generatorLoss(gb), again.generatorLoss(gb));
            }
        }
    }
}
