package dev.acgan.backend.nd4j;

import java.lang.reflect.Method;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands free pages of the C heap back to the operating system ({@code malloc_trim(0)} on glibc) when the
 * resident size has grown well past the level the current work settled at.
 *
 * <p>Why: the {@link BufferPool} recycles SameDiff's temporaries, but libnd4j's kernels, oneDNN and the
 * eager array operations still allocate and free memory in every step, and glibc does not give those
 * pages back or even reuse them well: with the pool, at batch 8 the resident size still grew by about
 * 3 MB per step (without the pool, 5.4 GB after 600 steps with 90 MB in use). Trimming after every call
 * would cost 8% (batch 100) to 17% (batch 8) of the step, because the next step faults the pages in
 * again; trimming only when the resident size is {@link #GROWTH_BYTES} or a quarter above its settled
 * level costs a trim every few dozen steps.
 *
 * <p>The resident size is JavaCPP's {@code Pointer.physicalBytes()}. The trim is JavaCPP's own
 * ({@code Pointer.trimMemory()}, which it calls itself when native memory runs over its limit); it is
 * private, so it is reached by reflection, and where that is refused (a module layer that does not open
 * JavaCPP) trimming is off and the pool alone bounds the growth. {@code -Dacgan.nd4j.trim=false} turns it
 * off.
 */
final class HeapTrimmer {

    private static final Logger LOG = LoggerFactory.getLogger(HeapTrimmer.class);
    /** Growth of the resident size over its settled level that triggers a trim (or a quarter of it). */
    static final long GROWTH_BYTES = 256L << 20;
    /** Calls to wait after a trim (or at start) before the resident size counts as settled. */
    private static final int SETTLE_CALLS = 4;

    private static final Method TRIM =
            Boolean.parseBoolean(System.getProperty("acgan.nd4j.trim", "true")) ? find() : null;
    private static final Object LOCK = new Object();
    private static int settling = SETTLE_CALLS;
    private static long settled;
    private static long trims;

    private HeapTrimmer() {}

    /** Called between training or generation calls: trims when the resident size has grown too far. */
    static void betweenCalls() {
        if (TRIM == null) {
            return;
        }
        long rss = Pointer.physicalBytes();
        synchronized (LOCK) {
            if (settling > 0) {
                settling--;
                settled = rss;
                return;
            }
            if (rss <= settled + Math.max(GROWTH_BYTES, settled / 4)) {
                return;
            }
            trims++;
            settling = SETTLE_CALLS;
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "trimming the C heap: resident {} MB, settled at {} MB (trim {})",
                        rss >> 20,
                        settled >> 20,
                        trims);
            }
        }
        trim();
    }

    /** Trims now; returns whether the C library did release memory (false where trimming is unavailable). */
    static boolean trim() {
        if (TRIM == null) {
            return false;
        }
        try {
            return (Boolean) TRIM.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("malloc_trim through JavaCPP failed", e);
            return false;
        }
    }

    private static Method find() {
        try {
            Method m = Pointer.class.getDeclaredMethod("trimMemory");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("JavaCPP's Pointer.trimMemory() is not reachable; the C heap is not trimmed", e);
            return null;
        }
    }
}
