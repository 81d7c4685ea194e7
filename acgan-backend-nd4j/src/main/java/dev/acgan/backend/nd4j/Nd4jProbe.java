package dev.acgan.backend.nd4j;

import dev.acgan.api.spi.ComputeProbe;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J backend's {@link ComputeProbe}: {@code a.mmuli(b, c)} on preallocated fp32 arrays, ND4J's
 * {@code Mmul} op, which runs the BLAS sgemm that SameDiff's matrix products use, with ND4J's usual
 * threading ({@code OMP_NUM_THREADS}, else every core). The arrays are closed with the probe.
 */
final class Nd4jProbe implements ComputeProbe {

    @Override
    public Sgemm prepareSgemm(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        NativeRuntime.ensureStarted();
        INDArray a = null;
        INDArray b = null;
        try {
            a = Nd4j.rand(DataType.FLOAT, n, n).subi(0.5).muli(2);
            b = Nd4j.rand(DataType.FLOAT, n, n).subi(0.5).muli(2);
            INDArray c = Nd4j.createUninitialized(DataType.FLOAT, n, n);
            return new Nd4jSgemm(n, a, b, c);
        } catch (RuntimeException | Error e) {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            throw e;
        }
    }

    private static final class Nd4jSgemm implements Sgemm {
        private final int n;
        private final INDArray a;
        private final INDArray b;
        private final INDArray c;
        private boolean closed;

        Nd4jSgemm(int n, INDArray a, INDArray b, INDArray c) {
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
        public synchronized void run() {
            if (closed) {
                throw new IllegalStateException("this ND4J SGEMM probe is closed");
            }
            a.mmuli(b, c);
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            a.close();
            b.close();
            c.close();
        }
    }
}
