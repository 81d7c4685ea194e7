package dev.acgan.api.spi;

/** Optional features a backend declares; tests of a missing capability are skipped, not passed. */
public enum Capability {
    /** Runs on the CPU. */
    CPU,
    /** Runs on a GPU. */
    GPU,
    /** Same seed and inputs give bit-identical results run after run (at a fixed thread count). */
    DETERMINISTIC,
    /** Exposes loss gradients ({@code GanModel.*Gradients}) for gradient-parity checks. */
    GRADIENTS,
    /** One generator serves concurrent callers. */
    CONCURRENT_GENERATION,
    /**
     * Computes in {@link dev.acgan.api.model.Precision#BF16} on this machine (declared only where the CPU and
     * the backend's native library both can; see {@link GanBackend#precisionUnavailable}).
     */
    BF16,
    /** Compiles, trains and runs image classifiers ({@code GanBackend.createClassifier}). */
    CLASSIFIER
}
