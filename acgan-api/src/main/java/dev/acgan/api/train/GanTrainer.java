package dev.acgan.api.train;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointException;
import dev.acgan.api.checkpoint.CheckpointMetadata;
import dev.acgan.api.checkpoint.CheckpointType;
import dev.acgan.api.data.BatchIterator;
import dev.acgan.api.data.DatasetInfo;
import dev.acgan.api.data.DatasetSource;
import dev.acgan.api.model.DiscriminatorBatch;
import dev.acgan.api.model.DiscriminatorLosses;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.GeneratorBatch;
import dev.acgan.api.model.GeneratorLosses;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.ParameterInitializer;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.SeedStreams.Purpose;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The standard {@link Trainer}: the step of the Keras / TensorFlow.js ACGAN example, generalised to
 * CGAN and vanilla GAN. Per step {@code s} of a batch of {@code n} real images:
 * <ol>
 *   <li>{@code n} fakes from noise and labels drawn for step {@code s}, made in inference mode;</li>
 *   <li>one discriminator update on the real images (target {@code realLabel}) and the fakes
 *       ({@code fakeLabel}), with fresh dropout masks;</li>
 *   <li>one generator update on {@code generatorBatchFactor * n} fresh samples (target
 *       {@code generatorTarget}), the generator in training mode.</li>
 * </ol>
 * Because every draw is derived from (seed, purpose, step), a run resumed from a checkpoint continues
 * exactly as the uninterrupted run would have. A step whose loss is not finite throws
 * {@link TrainingDivergedException} before its position is recorded or any listener sees it.
 */
public final class GanTrainer implements Trainer {

    private final GanModel model;
    private final InferredModel inferred;
    private final TrainingConfig config;
    private final DatasetSource data;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    private final List<EpochResult> history;
    private volatile boolean stopRequested;
    private TrainingPosition position;
    private BatchIterator batches;
    private int batchesEpoch = -1;
    private final EpochAccumulator epochStats = new EpochAccumulator();

    private GanTrainer(
            GanModel model,
            TrainingConfig config,
            DatasetSource data,
            TrainingPosition position,
            List<EpochResult> history) {
        this.model = model;
        this.inferred = model.spec().validate();
        this.config = config;
        this.data = data;
        this.position = position;
        this.history = new ArrayList<>(history);
        checkDataset(model.spec(), data.info());
    }

    /**
     * Starts a new run: initial weights from the seed, compiled by the backend in the configuration's
     * precision ({@link dev.acgan.api.model.Precision#AUTO} resolved by the backend; {@link #config()} and
     * checkpoints record the precision that runs).
     *
     * @throws dev.acgan.api.spi.BackendException when the precision is not available on the backend
     */
    public static GanTrainer create(GanBackend backend, ModelSpec spec, TrainingConfig config, DatasetSource data) {
        InferredModel inferred = spec.validate();
        checkDataset(spec, data.info());
        TrainingConfig cfg = config.withPrecision(backend.resolvePrecision(config.precision()));
        GanModel model = backend.createModel(
                spec,
                cfg.generatorOptimizer(),
                cfg.discriminatorOptimizer(),
                ParameterInitializer.initialize(inferred, cfg.seed()),
                cfg.precision());
        return new GanTrainer(model, cfg, data, TrainingPosition.start(), List.of());
    }

    /**
     * Continues a run from a training checkpoint with the checkpoint's configuration.
     *
     * @param config the configuration to continue with; {@code null} keeps the checkpoint's. Changing the
     *               seed, batch size or precision makes the continuation differ from the uninterrupted run.
     * @throws dev.acgan.api.spi.BackendException when the precision (the checkpoint's, unless {@code config}
     *                                            gives another) is not available on the backend
     */
    public static GanTrainer resume(
            GanBackend backend, Checkpoint checkpoint, TrainingConfig config, DatasetSource data) {
        CheckpointMetadata meta = checkpoint.metadata();
        if (meta.type() != CheckpointType.TRAINING) {
            throw new CheckpointException("cannot resume from a " + meta.type()
                    + " checkpoint; resuming needs a TRAINING checkpoint (with discriminator and optimizer state)");
        }
        TrainingConfig chosen = config != null ? config : meta.config();
        TrainingConfig cfg = chosen.withPrecision(backend.resolvePrecision(chosen.precision()));
        checkDataset(meta.spec(), data.info());
        GanModel model = backend.createModel(
                meta.spec(),
                cfg.generatorOptimizer(),
                cfg.discriminatorOptimizer(),
                checkpoint.tensors(),
                cfg.precision());
        return new GanTrainer(model, cfg, data, meta.position(), meta.history());
    }

    private static void checkDataset(ModelSpec spec, DatasetInfo info) {
        if (!info.image().equals(spec.image())) {
            throw new IllegalArgumentException("dataset '" + info.name() + "' has images of " + info.image()
                    + " but model " + spec.name() + " expects " + spec.image());
        }
        if (spec.kind().conditionalGenerator() && info.numClasses() > spec.numClasses()) {
            throw new IllegalArgumentException("dataset '" + info.name() + "' has " + info.numClasses()
                    + " classes but model " + spec.name() + " has " + spec.numClasses());
        }
        if (info.size() == 0) {
            throw new IllegalArgumentException("dataset '" + info.name() + "' is empty");
        }
    }

    @Override
    public GanModel model() {
        return model;
    }

    @Override
    public TrainingConfig config() {
        return config;
    }

    @Override
    public TrainingPosition position() {
        return position;
    }

    @Override
    public boolean finished() {
        return position.epoch() >= config.epochs() || (config.maxSteps() > 0 && position.step() >= config.maxSteps());
    }

    /** Batches per epoch for this dataset and batch size. */
    public int batchesPerEpoch() {
        return BatchIterator.batchesPerEpoch(data.size(), config.batchSize());
    }

    @Override
    public StepResult step() {
        long t0 = System.nanoTime();
        if (batches == null || batchesEpoch != position.epoch()) {
            batchesEpoch = position.epoch();
            batches = new BatchIterator(
                    data, config.batchSize(), config.seed(), position.epoch(), position.batchInEpoch());
        }
        ImageBatch real = batches.next();
        long s = position.step();
        ModelSpec spec = model.spec();
        int n = real.count();
        Tensor fakeNoise =
                NoiseSampler.sample(spec, n, SeedStreams.random(config.seed(), Purpose.DISCRIMINATOR_NOISE, s));
        int[] fakeLabels =
                NoiseSampler.labels(spec, n, SeedStreams.random(config.seed(), Purpose.DISCRIMINATOR_LABELS, s));
        Map<String, float[]> dMasks = DropoutMasks.draw(
                inferred.discriminator(), 2 * n, SeedStreams.random(config.seed(), Purpose.DISCRIMINATOR_DROPOUT, s));
        int gn = n * config.generatorBatchFactor();
        Tensor gNoise = NoiseSampler.sample(spec, gn, SeedStreams.random(config.seed(), Purpose.GENERATOR_NOISE, s));
        int[] gLabels = NoiseSampler.labels(spec, gn, SeedStreams.random(config.seed(), Purpose.GENERATOR_LABELS, s));
        SplittableRandom gDrop = SeedStreams.random(config.seed(), Purpose.GENERATOR_DROPOUT, s);
        Map<String, float[]> gMasksG = DropoutMasks.draw(inferred.generator(), gn, gDrop);
        Map<String, float[]> gMasksD = DropoutMasks.draw(inferred.discriminator(), gn, gDrop);
        if (!spec.kind().conditionalGenerator()) {
            real = real.withLabels(null);
        }
        long t1 = System.nanoTime();

        ImageBatch fake = model.generate(fakeNoise, fakeLabels, false, null);
        DiscriminatorLosses d = model.trainDiscriminator(new DiscriminatorBatch(
                real,
                fake,
                config.realLabel(),
                config.fakeLabel(),
                config.auxWeightReal(),
                config.auxWeightFake(),
                dMasks));
        long t2 = System.nanoTime();
        GeneratorLosses g = model.trainGenerator(new GeneratorBatch(
                gNoise, gLabels, config.generatorTarget(), config.auxWeightGenerator(), gMasksG, gMasksD));
        long t3 = System.nanoTime();
        if (!Double.isFinite(d.total()) || !Double.isFinite(g.total())) {
            throw new TrainingDivergedException(
                    s + 1,
                    !Double.isFinite(d.total()) ? "discriminator loss " + d.total() : "generator loss " + g.total());
        }

        int perEpoch = batchesPerEpoch();
        StepResult result = new StepResult(
                s + 1, position.epoch(), position.batchInEpoch(), perEpoch, n, d, g, t1 - t0, t2 - t1, t3 - t2);
        boolean epochEnd = position.batchInEpoch() + 1 >= perEpoch;
        position = epochEnd
                ? new TrainingPosition(s + 1, position.epoch() + 1, 0)
                : new TrainingPosition(s + 1, position.epoch(), position.batchInEpoch() + 1);
        epochStats.add(result);
        for (TrainingListener l : listeners) {
            l.onStep(this, result);
        }
        if (epochEnd) {
            EpochResult er = epochStats.finish(result.epoch());
            history.add(er);
            for (TrainingListener l : listeners) {
                l.onEpochEnd(this, er);
            }
        }
        return result;
    }

    @Override
    public TrainingPosition run() {
        for (TrainingListener l : listeners) {
            l.onStart(this);
        }
        try {
            while (!finished() && !stopRequested) {
                step();
            }
        } finally {
            for (TrainingListener l : listeners) {
                l.onFinish(this);
            }
        }
        // A stop asked for before or during this run ends it; the next run starts afresh.
        stopRequested = false;
        return position;
    }

    @Override
    public void requestStop() {
        stopRequested = true;
    }

    /** Whether {@link #requestStop()} was called and the current {@link #run()} has not yet returned. */
    public boolean stopRequested() {
        return stopRequested;
    }

    @Override
    public void addListener(TrainingListener listener) {
        listeners.add(listener);
    }

    /** Mean losses per completed epoch, oldest first. */
    public List<EpochResult> history() {
        return List.copyOf(history);
    }

    /**
     * {@inheritDoc}
     *
     * @throws TrainingDivergedException when a parameter or optimizer value is not finite (the last step
     *                                   diverged without its losses showing it yet)
     */
    @Override
    public Checkpoint checkpoint() {
        NamedTensors state = model.state();
        String nonFinite = state.firstNonFinite();
        if (nonFinite != null) {
            throw new TrainingDivergedException(position.step(), nonFinite + " is not finite");
        }
        CheckpointMetadata meta = new CheckpointMetadata(
                Checkpoint.FORMAT_VERSION,
                CheckpointType.TRAINING,
                model.spec(),
                config,
                position,
                model.backendName(),
                data.info().name(),
                Instant.now().toString(),
                history,
                null,
                0);
        return new Checkpoint(meta, state);
    }

    @Override
    public void close() {
        model.close();
    }

    /** Running means of one epoch's losses. */
    private static final class EpochAccumulator {
        private int steps;
        private double d;
        private double g;
        private double seconds;

        void add(StepResult r) {
            steps++;
            d += r.discriminator().total();
            g += r.generator().total();
            seconds += r.seconds();
        }

        EpochResult finish(int epoch) {
            EpochResult r =
                    new EpochResult(epoch, steps, steps == 0 ? 0 : d / steps, steps == 0 ? 0 : g / steps, seconds);
            steps = 0;
            d = 0;
            g = 0;
            seconds = 0;
            return r;
        }
    }
}
