package dev.acgan.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.model.Generator;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.TinySpecs;
import dev.acgan.api.tensor.NamedTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecisionResolutionTest {

    /** A fake that declares bf16. */
    static final class Bf16Fake extends FakeBackend {
        Precision loadedIn;

        Bf16Fake() {
            super("bf16-fake", 1);
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.of(Capability.CPU, Capability.BF16);
        }

        @Override
        public Generator loadGenerator(dev.acgan.api.spec.ModelSpec spec, NamedTensors weights, Precision p) {
            loadedIn = resolvePrecision(p);
            return loadGenerator(spec, weights);
        }
    }

    @Test
    void anFp32OnlyBackendRefusesBf16WithTheReasonAndAutoPicksFp32() {
        FakeBackend fp32 = new FakeBackend("plain", 1);
        assertEquals(Precision.FP32, fp32.resolvePrecision(Precision.AUTO));
        assertEquals(Precision.FP32, fp32.resolvePrecision(Precision.FP32));
        assertEquals(Precision.FP32, fp32.resolvePrecision(null));
        assertEquals(
                "plain computes in fp32 only",
                fp32.precisionUnavailable(Precision.BF16).orElseThrow());
        assertTrue(fp32.precisionUnavailable(Precision.FP32).isEmpty());
        BackendException e = assertThrows(BackendException.class, () -> fp32.resolvePrecision(Precision.BF16));
        assertEquals(
                "precision bf16 is not available on backend plain: plain computes in fp32 only. Use fp32, or auto "
                        + "(which picks fp32 there)",
                e.getMessage());
        // never a silent fp32 run: the precision-taking entry points refuse too
        assertThrows(
                BackendException.class,
                () -> fp32.loadGenerator(TinySpecs.gan(), NamedTensors.empty(), Precision.BF16));
        assertThrows(BackendException.class, () -> fp32.createModel(TinySpecs.gan(), null, null, null, Precision.BF16));
        assertTrue(fp32.loadedWeights.isEmpty());
    }

    @Test
    void aBackendDeclaringBf16GetsItForAuto() {
        Bf16Fake b = new Bf16Fake();
        assertEquals(Precision.BF16, b.resolvePrecision(Precision.AUTO));
        assertEquals(Precision.BF16, b.resolvePrecision(Precision.BF16));
        assertFalse(b.precisionUnavailable(Precision.BF16).isPresent());
        b.loadGenerator(TinySpecs.gan(), NamedTensors.empty(), Precision.AUTO).close();
        assertEquals(Precision.BF16, b.loadedIn);
    }

    @Test
    void cpuFeaturesReadTheFlagsLine(@TempDir Path dir) throws IOException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(
                cpuinfo,
                "processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: fpu sse avx2 avx512f "
                        + "avx512_bf16 amx_bf16 amx_tile amx_int8\n\nprocessor\t: 1\nflags\t\t: fpu\n");
        assertEquals(
                Set.of("fpu", "sse", "avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile", "amx_int8"),
                CpuFeatures.readFlags(cpuinfo));
        assertEquals(Set.of(), CpuFeatures.readFlags(dir.resolve("missing")));

        CpuFeatures amx = CpuFeatures.of("avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile", "amx_int8");
        assertTrue(amx.amxBf16() && amx.avx512Bf16() && amx.bf16());
        assertEquals("amx_bf16 amx_int8 amx_tile avx2 avx512_bf16 avx512f", amx.describe());
        CpuFeatures zen4 = CpuFeatures.of("AVX2", "avx512f", "avx512_bf16");
        assertTrue(zen4.bf16() && !zen4.amxBf16());
        CpuFeatures avx2 = CpuFeatures.of("avx2", "fma");
        assertFalse(avx2.bf16());
        assertEquals("avx2", avx2.describe());
        assertEquals("none", CpuFeatures.of().describe());
    }
}
