package dev.acgan.api.spi;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * For backend implementers: guards an object that owns native memory. Shared work (inference) runs
 * concurrently, exclusive work (a training step, a state load) alone; {@link #close} waits for both,
 * frees once, and every later call fails with an {@link IllegalStateException} saying what is closed.
 */
public final class ResourceGuard {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final String what;
    private volatile boolean closed;

    /** @param what names the guarded object in errors, e.g. {@code "this TensorFlow model of acgan-mnist"} */
    public ResourceGuard(String what) {
        this.what = what;
    }

    /** Runs work that may run concurrently with other shared work. */
    public <T> T shared(Supplier<T> work) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return work.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs work alone. */
    public <T> T exclusive(Supplier<T> work) {
        lock.writeLock().lock();
        try {
            ensureOpen();
            return work.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Waits for running work, then frees the resources once; later calls do nothing. */
    public void close(Runnable free) {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                free.run();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(what + " is closed");
        }
    }
}
