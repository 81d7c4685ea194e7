package dev.acgan.backend.pytorch;

import dev.acgan.api.model.Precision;
import dev.acgan.api.spi.ComputeProbe;
import java.util.Optional;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The PyTorch backend's {@link ComputeProbe}: {@code torch::mm} of two float32 matrices into a preallocated output
 * ({@code mm_out}), on the intra-op thread pool the models use; in bf16, of two bfloat16 matrices with a bfloat16
 * result, as the bf16 models' products (oneDNN's matmul, on AMX or AVX512_BF16).
 */
final class PyTorchProbe implements ComputeProbe {

    @Override
    public Sgemm prepareSgemm(int n) {
        return prepareGemm(n, Precision.FP32);
    }

    /** fp32, or bf16 where the backend offers it (else the reason, as an {@link UnsupportedOperationException}). */
    @Override
    public Sgemm prepareGemm(int n, Precision precision) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        Precision p = precision.requireConcrete();
        if (p == Precision.BF16) {
            Optional<String> why = new PyTorchBackend().precisionUnavailable(p);
            if (why.isPresent()) {
                throw new UnsupportedOperationException(why.get());
            }
        }
        PyTorchBackend.loadNatives();
        try (PointerScope scope = new PointerScope()) {
            Tensor a = Feed.floats(values(n, 1), n, n);
            Tensor b = Feed.floats(values(n, 2), n, n);
            Tensor c = torch.zeros(n, n);
            if (p == Precision.BF16) {
                a = a.to(torch.ScalarType.BFloat16);
                b = b.to(torch.ScalarType.BFloat16);
                c = c.to(torch.ScalarType.BFloat16);
            }
            return new TorchSgemm(n, Feed.persistent(a), Feed.persistent(b), Feed.persistent(c));
        }
    }

    static float[] values(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Math.multiplyExact(n, n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    private static final class TorchSgemm implements Sgemm {
        private final int n;
        private final Tensor a;
        private final Tensor b;
        private final Tensor c;
        private boolean closed;

        TorchSgemm(int n, Tensor a, Tensor b, Tensor c) {
            this.n = n;
            this.a = a;
            this.b = b;
            this.c = c;
        }

        @Override
        public int n() {
            return n;
        }

        @Override
        public void run() {
            if (closed) {
                throw new IllegalStateException("this PyTorch SGEMM probe is closed");
            }
            try (NoGradGuard noGrad = new NoGradGuard();
                    PointerScope scope = new PointerScope()) {
                torch.mm_out(c, a, b);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                a.close();
                b.close();
                c.close();
            }
        }
    }
}
