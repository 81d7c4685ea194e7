package dev.acgan.api.train;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.acgan.api.model.Precision;

/**
 * Hyper-parameters of a training run. One seed derives every random stream (initial weights, data
 * order, noise, labels, dropout; see {@link SeedStreams}), so a run is reproducible and resumable.
 * Defaults ({@link #defaults()}) are those of the Keras / TensorFlow.js ACGAN example.
 *
 * @param seed                   the one seed of the run
 * @param batchSize              real images per step; the discriminator also sees as many fakes
 * @param generatorBatchFactor   the generator step uses {@code factor * batchSize} fresh samples
 * @param epochs                 passes over the dataset
 * @param maxSteps               stop after this many steps in total (0: no limit)
 * @param generatorOptimizer     Adam settings of the generator
 * @param discriminatorOptimizer Adam settings of the discriminator
 * @param realLabel              discriminator target for real images (one-sided label smoothing: 0.95)
 * @param fakeLabel              discriminator target for fakes
 * @param generatorTarget        target the generator pushes its fakes' validity towards
 * @param auxWeightReal          weight of the class loss on real images (ACGAN)
 * @param auxWeightFake          weight of the class loss on fakes in the discriminator step (ACGAN);
 *                               the older Keras example uses 2 and 0 for these two
 * @param auxWeightGenerator     weight of the class loss in the generator step (ACGAN)
 * @param precision              the arithmetic of convolutions and matrix products; {@code null} (a checkpoint
 *                               written before precisions existed) reads as {@link Precision#FP32}. A trainer
 *                               records the precision it resolved ({@link Precision#AUTO} never stays)
 * @param generatorEma           decay of the exponential moving average of the generator's weights, in [0, 1);
 *                               0 (the default, and what a checkpoint written before it existed reads as) is
 *                               off. With it on, samples, evaluations and exported generators use the average
 * @param learningRateSchedule   factors of both optimizers' learning rates by step ({@link LearningRateSchedule});
 *                               {@code null} (a checkpoint written before schedules existed) is the constant rate
 */
public record TrainingConfig(
        long seed,
        int batchSize,
        int generatorBatchFactor,
        int epochs,
        long maxSteps,
        AdamConfig generatorOptimizer,
        AdamConfig discriminatorOptimizer,
        float realLabel,
        float fakeLabel,
        float generatorTarget,
        float auxWeightReal,
        float auxWeightFake,
        float auxWeightGenerator,
        Precision precision,
        // A checkpoint.json written before the EMA existed has no such field: it reads as 0, off.
        @JsonSetter(nulls = Nulls.AS_EMPTY) double generatorEma,
        LearningRateSchedule learningRateSchedule) {

    /** The range of {@link #generatorEma()} (1 would never move from the initial weights). */
    private static final String EMA_RANGE = "[0, 1) (0: off)";

    /** Validates ranges with messages naming the field; a missing precision is fp32. */
    public TrainingConfig {
        precision = precision == null ? Precision.FP32 : precision;
        learningRateSchedule = learningRateSchedule == null ? LearningRateSchedule.CONSTANT : learningRateSchedule;
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (generatorBatchFactor < 1) {
            throw new IllegalArgumentException("generatorBatchFactor must be at least 1, got " + generatorBatchFactor);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (maxSteps < 0) {
            throw new IllegalArgumentException("maxSteps must be 0 (no limit) or positive, got " + maxSteps);
        }
        java.util.Objects.requireNonNull(generatorOptimizer, "generatorOptimizer");
        java.util.Objects.requireNonNull(discriminatorOptimizer, "discriminatorOptimizer");
        for (float target : new float[] {realLabel, fakeLabel, generatorTarget}) {
            if (!(target >= 0 && target <= 1)) {
                throw new IllegalArgumentException("realLabel, fakeLabel and generatorTarget must be in [0, 1], got "
                        + realLabel + ", " + fakeLabel + ", " + generatorTarget);
            }
        }
        for (float w : new float[] {auxWeightReal, auxWeightFake, auxWeightGenerator}) {
            if (!(w >= 0) || Float.isInfinite(w)) {
                throw new IllegalArgumentException("auxiliary weights must be finite and non-negative");
            }
        }
        if (!(generatorEma >= 0 && generatorEma < 1)) {
            throw new IllegalArgumentException("generatorEma must be in " + EMA_RANGE + ", got " + generatorEma);
        }
    }

    /** Without a learning-rate schedule: the components as before {@link #learningRateSchedule()} existed. */
    public TrainingConfig(
            long seed,
            int batchSize,
            int generatorBatchFactor,
            int epochs,
            long maxSteps,
            AdamConfig generatorOptimizer,
            AdamConfig discriminatorOptimizer,
            float realLabel,
            float fakeLabel,
            float generatorTarget,
            float auxWeightReal,
            float auxWeightFake,
            float auxWeightGenerator,
            Precision precision,
            double generatorEma) {
        this(
                seed,
                batchSize,
                generatorBatchFactor,
                epochs,
                maxSteps,
                generatorOptimizer,
                discriminatorOptimizer,
                realLabel,
                fakeLabel,
                generatorTarget,
                auxWeightReal,
                auxWeightFake,
                auxWeightGenerator,
                precision,
                generatorEma,
                LearningRateSchedule.CONSTANT);
    }

    /** Without a generator EMA: the components as before {@link #generatorEma()} existed. */
    public TrainingConfig(
            long seed,
            int batchSize,
            int generatorBatchFactor,
            int epochs,
            long maxSteps,
            AdamConfig generatorOptimizer,
            AdamConfig discriminatorOptimizer,
            float realLabel,
            float fakeLabel,
            float generatorTarget,
            float auxWeightReal,
            float auxWeightFake,
            float auxWeightGenerator,
            Precision precision) {
        this(
                seed,
                batchSize,
                generatorBatchFactor,
                epochs,
                maxSteps,
                generatorOptimizer,
                discriminatorOptimizer,
                realLabel,
                fakeLabel,
                generatorTarget,
                auxWeightReal,
                auxWeightFake,
                auxWeightGenerator,
                precision,
                0,
                LearningRateSchedule.CONSTANT);
    }

    /** Whether an exponential moving average of the generator's weights is kept ({@link #generatorEma()} > 0). */
    public boolean emaEnabled() {
        return generatorEma > 0;
    }

    /** In fp32: the components without a precision, as before precisions existed. */
    public TrainingConfig(
            long seed,
            int batchSize,
            int generatorBatchFactor,
            int epochs,
            long maxSteps,
            AdamConfig generatorOptimizer,
            AdamConfig discriminatorOptimizer,
            float realLabel,
            float fakeLabel,
            float generatorTarget,
            float auxWeightReal,
            float auxWeightFake,
            float auxWeightGenerator) {
        this(
                seed,
                batchSize,
                generatorBatchFactor,
                epochs,
                maxSteps,
                generatorOptimizer,
                discriminatorOptimizer,
                realLabel,
                fakeLabel,
                generatorTarget,
                auxWeightReal,
                auxWeightFake,
                auxWeightGenerator,
                Precision.FP32);
    }

    /** Seed 42, batch 100, generator factor 2, 100 epochs, Adam 2e-4/0.5, label smoothing 0.95, fp32. */
    public static TrainingConfig defaults() {
        return new TrainingConfig(
                42,
                100,
                2,
                100,
                0,
                AdamConfig.acganDefaults(),
                AdamConfig.acganDefaults(),
                0.95f,
                0f,
                0.95f,
                1f,
                1f,
                1f,
                Precision.FP32);
    }

    /**
     * The recommended configuration for a preset ({@link dev.acgan.api.spec.Presets}): {@link #defaults()},
     * the seed examples' step, for {@code acgan-mnist}, {@code cgan-mnist} and {@code gan-mlp}; for
     * {@code acgan-fast}, {@code acgan-hq} and {@code acgan-hq-wide} (acgan-fast's discriminator, or twice as wide) the same with the class loss weighted 2 on real images, 0 on fakes in the
     * discriminator step (the older Keras example's weights) and 3 in the generator step. Measured on the
     * embedded MNIST (TensorFlow, seed 42, batch 64): conditional accuracy after 500 / 1,500 / 2,000 steps
     * 77.0 / 95.6 / 94.2% with the weights 1/1/1, 91.9 / 97.4 / 97.8% with 2/0/3.
     */
    public static TrainingConfig forPreset(String preset) {
        return dev.acgan.api.spec.Presets.ACGAN_FAST.equalsIgnoreCase(preset)
                        || dev.acgan.api.spec.Presets.ACGAN_HQ.equalsIgnoreCase(preset)
                        || dev.acgan.api.spec.Presets.ACGAN_HQ_WIDE.equalsIgnoreCase(preset)
                ? defaults().withAuxiliaryWeights(2, 0, 3)
                : defaults();
    }

    /** With another seed. */
    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(
                s,
                batchSize,
                generatorBatchFactor,
                epochs,
                maxSteps,
                generatorOptimizer,
                discriminatorOptimizer,
                realLabel,
                fakeLabel,
                generatorTarget,
                auxWeightReal,
                auxWeightFake,
                auxWeightGenerator,
                precision,
                generatorEma,
                learningRateSchedule);
    }

    /** With another batch size. */
    public TrainingConfig withBatchSize(int b) {
        return new TrainingConfig(
                seed,
                b,
                generatorBatchFactor,
                epochs,
                maxSteps,
                generatorOptimizer,
                discriminatorOptimizer,
                realLabel,
                fakeLabel,
                generatorTarget,
                auxWeightReal,
                auxWeightFake,
                auxWeightGenerator,
                precision,
                generatorEma,
                learningRateSchedule);
    }

    /** With another number of epochs. */
    public TrainingConfig withEpochs(int e) {
        return new TrainingConfig(
                seed,
                batchSize,
                generatorBatchFactor,
                e,
                maxSteps,
                generatorOptimizer,
                discriminatorOptimizer,
                realLabel,
                fakeLabel,
                generatorTarget,
                auxWeightReal,
                auxWeightFake,
                auxWeightGenerator,
                precision,
                generatorEma,
                learningRateSchedule);
    }

    /** With a step limit (0: none). */
    public TrainingConfig withMaxSteps(long steps) {
        return new TrainingConfig(
                seed,
                batchSize,
                generatorBatchFactor,
                epochs,
                steps,
                generatorOptimizer,
                discriminatorOptimizer,
                realLabel,
                fakeLabel,
                generatorTarget,
                auxWeightReal,
                auxWeightFake,
                auxWeightGenerator,
                precision,
                generatorEma,
                learningRateSchedule);
    }

    /** With other optimizers. */
    public TrainingConfig withOptimizers(AdamConfig generator, AdamConfig discriminator) {
        return new TrainingConfig(
                seed,
                batchSize,
                generatorBatchFactor,
                epochs,
                maxSteps,
                generator,
                discriminator,
                realLabel,
                fakeLabel,
                generatorTarget,
                auxWeightReal,
                auxWeightFake,
                auxWeightGenerator,
                precision,
                generatorEma,
                learningRateSchedule);
    }

    /** With the real-image target (label smoothing) used for both the discriminator and generator steps. */
    public TrainingConfig withLabelSmoothing(float real) {
        return new TrainingConfig(
                seed,
                batchSize,
                generatorBatchFactor,
                epochs,
                maxSteps,
                generatorOptimizer,
                discriminatorOptimizer,
                real,
                fakeLabel,
                real,
                auxWeightReal,
                auxWeightFake,
                auxWeightGenerator,
                precision,
                generatorEma,
                learningRateSchedule);
    }

    /** With other auxiliary-class weights (real, fake, generator). */
    public TrainingConfig withAuxiliaryWeights(float real, float fake, float generator) {
        return new TrainingConfig(
                seed,
                batchSize,
                generatorBatchFactor,
                epochs,
                maxSteps,
                generatorOptimizer,
                discriminatorOptimizer,
                realLabel,
                fakeLabel,
                generatorTarget,
                real,
                fake,
                generator,
                precision,
                generatorEma,
                learningRateSchedule);
    }

    /**
     * With an exponential moving average of the generator's weights, {@code decay} in [0, 1) (0: off). The
     * average is what sampling, evaluation and the exported generator use; see {@link GanTrainer}.
     */
    public TrainingConfig withGeneratorEma(double decay) {
        return new TrainingConfig(
                seed,
                batchSize,
                generatorBatchFactor,
                epochs,
                maxSteps,
                generatorOptimizer,
                discriminatorOptimizer,
                realLabel,
                fakeLabel,
                generatorTarget,
                auxWeightReal,
                auxWeightFake,
                auxWeightGenerator,
                precision,
                decay,
                learningRateSchedule);
    }

    /**
     * With a learning-rate schedule ({@link LearningRateSchedule#CONSTANT} for none); {@link GanTrainer} applies it
     * to both optimizers.
     */
    public TrainingConfig withLearningRateSchedule(LearningRateSchedule schedule) {
        return new TrainingConfig(
                seed,
                batchSize,
                generatorBatchFactor,
                epochs,
                maxSteps,
                generatorOptimizer,
                discriminatorOptimizer,
                realLabel,
                fakeLabel,
                generatorTarget,
                auxWeightReal,
                auxWeightFake,
                auxWeightGenerator,
                precision,
                generatorEma,
                schedule);
    }

    /** With another precision ({@link Precision#AUTO} is resolved by the trainer). */
    public TrainingConfig withPrecision(Precision p) {
        return new TrainingConfig(
                seed,
                batchSize,
                generatorBatchFactor,
                epochs,
                maxSteps,
                generatorOptimizer,
                discriminatorOptimizer,
                realLabel,
                fakeLabel,
                generatorTarget,
                auxWeightReal,
                auxWeightFake,
                auxWeightGenerator,
                p,
                generatorEma,
                learningRateSchedule);
    }
}
