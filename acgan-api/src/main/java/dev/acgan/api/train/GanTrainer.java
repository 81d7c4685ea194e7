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
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.GeneratorBatch;
import dev.acgan.api.model.GeneratorLosses;
import dev.acgan.api.model.StateNames;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p><b>Generator EMA.</b> With {@link TrainingConfig#generatorEma()} {@code = d > 0} the trainer also keeps an
 * exponential moving average of every generator parameter and BatchNorm moving statistic (every entry
 * {@link StateNames#generatorOnly} keeps), in Java float arrays, starting from the initial weights. It is
 * updated after the generator step of every step {@code s} that is a multiple of {@value #EMA_EVERY}, as
 * {@code ema = a^K * ema + (1 - a^K) * w} with {@code K = }{@value #EMA_EVERY} and the warmed-up decay
 * {@code a = min(d, (1 + t) / (10 + t))} at {@code t = s + 1} steps done ({@link #emaFactor}), computed in double
 * and rounded to float value by value in a fixed order, so it is deterministic. Checkpoints hold it under
 * {@link StateNames#EMA}; {@link #samplingWeights()} and {@link #withSamplingGenerator} give the weights that
 * samples, evaluations and exports use.
 *
 * <p><b>Learning-rate schedule.</b> Backends take Adam's learning rate when they compile a model, so at each
 * milestone of {@link TrainingConfig#learningRateSchedule()} the trainer compiles the model again with the scaled
 * rates and moves the whole state over, Adam moments and step counters included: the run continues exactly as
 * one stopped at the milestone and resumed with the lower rate (the TCK checks this on every backend). The cost is
 * one compilation and one state copy per milestone.
 */
public final class GanTrainer implements Trainer {

    /**
     * Steps between updates of the generator EMA. Reading the generator's weights copies them out of the
     * backend's (often native) memory, which costs about as much as a small training step; updating every
     * {@value} steps with the decay raised to the {@value}-th power keeps that cost near a tenth while the
     * average (over about {@code 1 / (1 - d)} steps, a thousand for {@code d = 0.999}) barely changes. The
     * average lags the weights by at most {@value}{@code - 1} steps.
     */
    public static final int EMA_EVERY = 10;

    private static final Logger LOG = LoggerFactory.getLogger(GanTrainer.class);

    /** Replaced by a recompiled one at each learning-rate milestone ({@link #applySchedule}). */
    private GanModel model;
    /** Compiles the model again at learning-rate milestones. */
    private final GanBackend backend;
    /** The factor of the configured learning rates that {@link #model} was compiled with. */
    private double rateFactor;

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
    /** The generator EMA by generator entry name, in the generator's order; null when it is off. */
    private final Map<String, float[]> ema;
    /** Shapes of the {@link #ema} entries. */
    private final Map<String, int[]> emaShapes = new LinkedHashMap<>();
    /** {@link TrainingConfig#generatorEma()}. */
    private final double emaDecay;

    private GanTrainer(
            GanBackend backend,
            GanModel model,
            double rateFactor,
            TrainingConfig config,
            DatasetSource data,
            TrainingPosition position,
            List<EpochResult> history,
            NamedTensors emaStart) {
        this.backend = backend;
        this.model = model;
        this.rateFactor = rateFactor;
        this.inferred = model.spec().validate();
        this.config = config;
        this.data = data;
        this.position = position;
        this.history = new ArrayList<>(history);
        checkDataset(model.spec(), data.info());
        if (config.emaEnabled()) {
            NamedTensors start = emaStart != null ? emaStart : model.generatorState();
            this.ema = new LinkedHashMap<>();
            // The generator's canonical order, whatever order the source (a checkpoint file) had.
            for (dev.acgan.api.spec.ParameterSpec p : inferred.generator().parameters()) {
                Tensor t = start.get(p.name());
                if (!java.util.Arrays.equals(t.shape(), p.shape())) {
                    throw new IllegalArgumentException("generator EMA tensor '" + p.name() + "' has shape "
                            + java.util.Arrays.toString(t.shape()) + ", the model expects "
                            + java.util.Arrays.toString(p.shape()));
                }
                ema.put(p.name(), t.data().clone());
                emaShapes.put(p.name(), p.shape().clone());
            }
            this.emaDecay = config.generatorEma();
        } else {
            this.ema = null;
            this.emaDecay = 0;
        }
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
        double factor = cfg.learningRateSchedule().factorAt(0);
        GanModel model = compile(backend, spec, cfg, factor, ParameterInitializer.initialize(inferred, cfg.seed()));
        return new GanTrainer(backend, model, factor, cfg, data, TrainingPosition.start(), List.of(), null);
    }

    /**
     * Continues a run from a training checkpoint with the checkpoint's configuration.
     *
     * @param config the configuration to continue with; {@code null} keeps the checkpoint's. Changing the
     *               seed, batch size or precision makes the continuation differ from the uninterrupted run.
     *               The generator EMA continues from the checkpoint's ({@link StateNames#EMA}); where the
     *               checkpoint has none but the configuration turns it on, it starts from the current weights.
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
        NamedTensors saved = StateNames.emaGenerator(checkpoint.tensors());
        NamedTensors emaStart = null;
        if (cfg.emaEnabled() && saved.size() > 0) {
            emaStart = saved;
        } else if (cfg.emaEnabled()) {
            LOG.info(
                    "the checkpoint at step {} has no generator EMA: the EMA (decay {}) starts from its weights",
                    meta.position().step(),
                    cfg.generatorEma());
        } else if (saved.size() > 0) {
            LOG.info("generator EMA off: the checkpoint's EMA weights are dropped; samples use the raw generator");
        }
        double factor = cfg.learningRateSchedule().factorAt(meta.position().step());
        GanModel model = compile(backend, meta.spec(), cfg, factor, StateNames.withoutEma(checkpoint.tensors()));
        try {
            return new GanTrainer(backend, model, factor, cfg, data, meta.position(), meta.history(), emaStart);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The model with both optimizers' learning rates times {@code factor}, in the configuration's precision. */
    private static GanModel compile(
            GanBackend backend, ModelSpec spec, TrainingConfig cfg, double factor, NamedTensors state) {
        return backend.createModel(
                spec,
                scaled(cfg.generatorOptimizer(), factor),
                scaled(cfg.discriminatorOptimizer(), factor),
                state,
                cfg.precision());
    }

    private static AdamConfig scaled(AdamConfig adam, double factor) {
        return factor == 1 ? adam : adam.withLearningRate(adam.learningRate() * factor);
    }

    /**
     * At a learning-rate milestone, compiles the model again with the new rates and moves the whole state over (Adam
     * moments and step counters included, so the update continues as a resumed run would). The old model is closed
     * only once the new one holds the state; if compiling fails, training goes on with nothing changed.
     */
    private void applySchedule(long stepsDone) {
        double factor = config.learningRateSchedule().factorAt(stepsDone);
        if (factor == rateFactor) {
            return;
        }
        GanModel next = compile(backend, model.spec(), config, factor, model.state());
        model.close();
        model = next;
        rateFactor = factor;
        LOG.info(
                "step {}: learning rates x{} (generator {}, discriminator {})",
                stepsDone,
                factor,
                scaled(config.generatorOptimizer(), factor).learningRate(),
                scaled(config.discriminatorOptimizer(), factor).learningRate());
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
        applySchedule(s);
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
        if (!Double.isFinite(d.total()) || !Double.isFinite(g.total())) {
            throw new TrainingDivergedException(
                    s + 1,
                    !Double.isFinite(d.total()) ? "discriminator loss " + d.total() : "generator loss " + g.total());
        }
        if (ema != null && (s + 1) % EMA_EVERY == 0) {
            updateEma(model.generatorState(), emaFactor(emaDecay, s + 1));
        }
        long t3 = System.nanoTime();

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

    /**
     * The factor {@code a^K} of the EMA update after {@code stepsDone} steps: {@code a = min(decay, (1 + t) / (10 +
     * t))}, the warm-up of TensorFlow's {@code ExponentialMovingAverage(num_updates)}, raised to {@code K =}
     * {@value #EMA_EVERY}. Without the warm-up the average keeps {@code decay^t} of the initial weights (13% after
     * 2,000 steps at 0.999), and of the initial BatchNorm moving variance of 1: measured on {@code acgan-hq}, the
     * generator's first moving variance fell to 0.0003 while the average held 0.03, which scaled the features
     * down tenfold and made every image black. StrictMath: the same factor on every JVM and CPU.
     */
    public static double emaFactor(double decay, long stepsDone) {
        double a = Math.min(decay, (1.0 + stepsDone) / (10.0 + stepsDone));
        return StrictMath.pow(a, EMA_EVERY);
    }

    private void updateEma(NamedTensors weights, double factor) {
        double a = factor;
        double b = 1 - a;
        for (Map.Entry<String, float[]> e : ema.entrySet()) {
            float[] avg = e.getValue();
            float[] w = weights.get(e.getKey()).data();
            for (int i = 0; i < avg.length; i++) {
                avg[i] = (float) (a * avg[i] + b * w[i]);
            }
        }
    }

    /** Whether this trainer keeps a generator EMA ({@link TrainingConfig#generatorEma()} > 0). */
    public boolean emaEnabled() {
        return ema != null;
    }

    /**
     * The generator weights that samples, evaluations and exports use: the EMA (under the plain generator
     * names) when it is on, else the generator's current weights. A copy.
     */
    public NamedTensors samplingWeights() {
        if (ema == null) {
            return model.generatorState();
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : ema.entrySet()) {
            out.put(
                    e.getKey(),
                    new Tensor(emaShapes.get(e.getKey()), e.getValue().clone()));
        }
        return new NamedTensors(out);
    }

    /**
     * Runs {@code use} with the generator of {@link #samplingWeights()} in inference mode, in the training's
     * precision, and returns its result. With the EMA on, the model's generator entries are replaced by the
     * EMA for the call ({@link GanModel#loadState} of the full state) and the exact previous state is loaded
     * back afterwards, whatever {@code use} does; the generator must not be kept beyond the call. Call it
     * between steps, on the training thread (a listener does). The restore is exact where {@link GanModel#state()}
     * is lossless, as on the backends that keep float32 weights (the TCK checks that training goes on bit for
     * bit); the swap was measured at about 16 ms over the generation itself for 100 images of acgan-fast on
     * TensorFlow, against about 60 ms for building a separate generator with
     * {@link dev.acgan.api.spi.GanBackend#loadGenerator}.
     */
    public <T> T withSamplingGenerator(Function<Generator, T> use) {
        if (ema == null) {
            return use.apply(model.generator());
        }
        NamedTensors saved = model.state();
        model.loadState(saved.merge(samplingWeights()));
        try {
            return use.apply(model.generator());
        } finally {
            model.loadState(saved);
        }
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
        if (ema != null) {
            Map<String, Tensor> withEma = new LinkedHashMap<>(state.asMap());
            samplingWeights().asMap().forEach((name, t) -> withEma.put(StateNames.EMA + name, t));
            state = new NamedTensors(withEma);
        }
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
