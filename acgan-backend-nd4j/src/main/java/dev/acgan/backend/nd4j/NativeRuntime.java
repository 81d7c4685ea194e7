package dev.acgan.backend.nd4j;

import dev.acgan.api.spi.BackendException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One-time start of ND4J's native library, and the workarounds for its side effects. Nothing here
 * runs at backend discovery; the first model or generator calls {@link #ensureStarted()}.
 */
final class NativeRuntime {

    private static final Object LOCK = new Object();
    private static volatile boolean started;

    private NativeRuntime() {}

    /** Loads ND4J once, after checking the native build against the CPU. */
    static void ensureStarted() {
        if (started) {
            return;
        }
        synchronized (LOCK) {
            if (started) {
                return;
            }
            checkCpu();
            // JavaCPP prints its notices (e.g. the deliberate javacpp/openblas version mix) on stderr
            // unless told to log through SLF4J, where the host application decides what to show.
            if (System.getProperty("org.bytedeco.javacpp.logger") == null) {
                System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
            }
            Nd4j.getBackend(); // loads the native library now, under the lock
            started = true;
        }
    }

    /**
     * Refuses to load an AVX-512 build of libnd4j on a CPU without AVX-512 (the JVM would die with
     * SIGILL on the first op), naming the Maven switch that fixes it.
     */
    private static void checkCpu() {
        if (!"linux".equals(os()) || Boolean.getBoolean("acgan.nd4j.skipCpuCheck")) {
            return;
        }
        ClassLoader cl = NativeRuntime.class.getClassLoader();
        String base = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64";
        String lib = "/libnd4jcpu.so";
        boolean avx512Build =
                cl.getResource(base + "-onednn-avx512" + lib) != null || cl.getResource(base + "-avx512" + lib) != null;
        // With an AVX2 build beside it, JavaCPP loads the AVX2 one; a portable build alone does not win.
        boolean avx2Build =
                cl.getResource(base + "-onednn-avx2" + lib) != null || cl.getResource(base + "-avx2" + lib) != null;
        if (!avx512Build || avx2Build) {
            return;
        }
        String extension = System.getProperty("org.bytedeco.javacpp.platform.extension");
        if (extension != null && !extension.contains("avx512")) {
            return;
        }
        try {
            String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII);
            if (!cpuinfo.contains("avx512f")) {
                throw new BackendException("the classpath holds only an AVX-512 build of ND4J (nd4j-native "
                        + "linux-x86_64-onednn-avx512) but this CPU has no AVX-512; build with "
                        + "-Dnd4j.classifier=linux-x86_64-onednn-avx2 (or -Pnd4j-portable)");
            }
        } catch (IOException e) {
            // Cannot tell; let ND4J try.
        }
    }

    private static String os() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux") ? "linux" : "other";
    }

    /**
     * Builds the gradient function of a SameDiff instance. SameDiff prints one {@code Added differentiated
     * op} line per op on {@code System.out} while doing so; those lines are dropped and any other output
     * printed meanwhile is passed through.
     */
    static void createGradFunction(SameDiff sd) {
        synchronized (LOCK) {
            PrintStream original = System.out;
            PrintStream filter = new PrintStream(new LineFilter(original), true, StandardCharsets.UTF_8);
            System.setOut(filter);
            try {
                sd.createGradFunction();
            } finally {
                filter.flush();
                System.setOut(original);
            }
        }
    }

    /** Passes whole lines through, except SameDiff's gradient-construction chatter. */
    private static final class LineFilter extends OutputStream {
        private final PrintStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineFilter(PrintStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                emit();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public synchronized void flush() {
            if (line.size() > 0) {
                emit();
            }
            target.flush();
        }

        private void emit() {
            String s = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (!s.startsWith("Added differentiated op")) {
                target.print(s);
            }
        }
    }
}
