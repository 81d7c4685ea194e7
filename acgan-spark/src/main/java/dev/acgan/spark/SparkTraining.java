package dev.acgan.spark;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointException;
import dev.acgan.api.checkpoint.CheckpointMetadata;
import dev.acgan.api.checkpoint.CheckpointType;
import dev.acgan.api.checkpoint.SafeTensors;
import dev.acgan.api.data.BatchIterator;
import dev.acgan.api.data.DatasetSource;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.ParameterInitializer;
import dev.acgan.api.spec.SpecJson;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.train.AdamConfig;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.api.train.TrainingPosition;
import dev.acgan.eval.render.AnimatedGif;
import dev.acgan.eval.render.ImageGrid;
import dev.acgan.eval.render.Images;
import dev.acgan.eval.render.LossPlot;
import dev.acgan.eval.render.SampleGrid;
import dev.acgan.tensorboard.TensorBoardListener;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data-parallel training with periodic model averaging on Apache Spark. Each round is one Spark job: the
 * driver broadcasts the full training state (parameters, BatchNorm statistics, Adam moments and counters)
 * and the position; each of {@code N} tasks rebuilds a {@link dev.acgan.api.train.GanTrainer} from it on its
 * worker's share of the data (examples {@code k mod N}), runs {@code H} steps and returns its state; the
 * driver averages every tensor in a fixed order ({@link StateAverage}) and the next round starts from the
 * mean. Spark schedules the tasks and retries a failed one; a retried task recomputes exactly what the first
 * attempt would have, because everything it does is derived from the broadcast state, the seed and the
 * step.
 *
 * <p>Worker 0 trains with the run's seed and worker {@code k > 0} with a seed derived from it, so one worker
 * ({@code N = 1}) is exactly the local run of the same seed, whatever {@code H}. Steps count each worker's
 * steps: after {@code s} steps the run has seen {@code N * s * batch} real images.
 *
 * <p>The driver keeps the run directory: {@code checkpoints/step-NNNNNNNNN} (training checkpoints, the
 * last {@code keep}), {@code checkpoints/latest}, {@code generator/} (the newest generator-only export),
 * {@code samples/grid-step-NNNNNNNNN.png} and {@code samples/progress.gif}, {@code metrics.csv} (one row
 * per round) and {@value #SPARK_FILE} (the options of the run, for {@link #resume}). Every file is replaced
 * atomically, so a run killed or failed in any round leaves the directory as the previous round left it.
 */
public final class SparkTraining {

    private static final Logger LOG = LoggerFactory.getLogger(SparkTraining.class);

    /** The options file of a run directory. */
    public static final String SPARK_FILE = "spark.json";

    static final ObjectMapper JSON = SpecJson.mapper();

    private static final String METRICS_HEADER = "round,step,steps,d_loss,g_loss,round_ms,average_ms,"
            + "bytes_averaged,max_train_ms,max_setup_ms,replicas_identical";

    private SparkTraining() {}

    /**
     * How a run is spread.
     *
     * @param workers               {@code N}, the number of tasks per round (each on its share of the data)
     * @param stepsPerRound         {@code H}, the steps each worker runs between two averagings
     * @param dataset               the dataset as {@link dev.acgan.api.data.Datasets#fromSpec} reads it, on
     *                              every executor ({@code mnist}, {@code idx:DIR}, ...; a directory must be
     *                              readable at the same path everywhere)
     * @param backend               the backend's name, or {@code null} for the default selection (the same on
     *                              driver and executors, checked)
     * @param threadsPerTask        compute threads of each task's backend, 0 for the backend's default
     * @param checkpointEveryRounds a training checkpoint every so many rounds (and always after the last)
     * @param sampleEveryRounds     a sample grid every so many rounds (0: only after the last)
     * @param keep                  training checkpoints kept (the newest)
     * @param failRound             fault injection for tests: the round whose task {@code failWorker} fails on
     *                              its first attempt ({@code -1}: none)
     * @param failWorker            see {@code failRound}
     * @param tensorboard           a directory for TensorBoard event files of the rounds' losses and the sample
     *                              grids, or {@code null} for none (a resumed run adds a file there)
     */
    public record Options(
            int workers,
            int stepsPerRound,
            String dataset,
            String backend,
            int threadsPerTask,
            int checkpointEveryRounds,
            int sampleEveryRounds,
            int keep,
            long failRound,
            int failWorker,
            String tensorboard)
            implements Serializable {

        private static final long serialVersionUID = 1L;

        /** Checks the ranges, naming the field. */
        @JsonCreator
        public Options {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, got " + workers);
            }
            if (stepsPerRound < 1) {
                throw new IllegalArgumentException("steps per round must be at least 1, got " + stepsPerRound);
            }
            if (dataset == null || dataset.isBlank()) {
                throw new IllegalArgumentException("dataset must be given");
            }
            if (threadsPerTask < 0 || checkpointEveryRounds < 1 || sampleEveryRounds < 0 || keep < 1) {
                throw new IllegalArgumentException("threads per task >= 0, checkpoint every >= 1 round, sample "
                        + "every >= 0 rounds and keep >= 1 expected, got " + threadsPerTask + ", "
                        + checkpointEveryRounds + ", " + sampleEveryRounds + ", " + keep);
            }
        }

        /** The options without TensorBoard events. */
        public Options(
                int workers,
                int stepsPerRound,
                String dataset,
                String backend,
                int threadsPerTask,
                int checkpointEveryRounds,
                int sampleEveryRounds,
                int keep,
                long failRound,
                int failWorker) {
            this(
                    workers,
                    stepsPerRound,
                    dataset,
                    backend,
                    threadsPerTask,
                    checkpointEveryRounds,
                    sampleEveryRounds,
                    keep,
                    failRound,
                    failWorker,
                    null);
        }

        /** The same with TensorBoard event files in {@code dir} ({@code null}: none). */
        public Options withTensorBoard(String dir) {
            return new Options(
                    workers,
                    stepsPerRound,
                    dataset,
                    backend,
                    threadsPerTask,
                    checkpointEveryRounds,
                    sampleEveryRounds,
                    keep,
                    failRound,
                    failWorker,
                    dir);
        }

        /** {@code N} workers, {@code H} steps per round on {@code dataset}; defaults for the rest. */
        public static Options of(int workers, int stepsPerRound, String dataset) {
            return new Options(workers, stepsPerRound, dataset, null, 0, 10, 10, 3, -1, 0);
        }

        /** The same with a backend name. */
        public Options withBackend(String name) {
            return new Options(
                    workers,
                    stepsPerRound,
                    dataset,
                    name,
                    threadsPerTask,
                    checkpointEveryRounds,
                    sampleEveryRounds,
                    keep,
                    failRound,
                    failWorker,
                    tensorboard);
        }

        /** The same with compute threads per task. */
        public Options withThreadsPerTask(int threads) {
            return new Options(
                    workers,
                    stepsPerRound,
                    dataset,
                    backend,
                    threads,
                    checkpointEveryRounds,
                    sampleEveryRounds,
                    keep,
                    failRound,
                    failWorker,
                    tensorboard);
        }

        /** The same with the checkpoint and sample periods in rounds. */
        public Options withPeriods(int checkpointEvery, int sampleEvery) {
            return new Options(
                    workers,
                    stepsPerRound,
                    dataset,
                    backend,
                    threadsPerTask,
                    checkpointEvery,
                    sampleEvery,
                    keep,
                    failRound,
                    failWorker,
                    tensorboard);
        }

        /** The same with a fault injected: task {@code worker} of round {@code round} fails on its first try. */
        public Options withInjectedFault(long round, int worker) {
            return new Options(
                    workers,
                    stepsPerRound,
                    dataset,
                    backend,
                    threadsPerTask,
                    checkpointEveryRounds,
                    sampleEveryRounds,
                    keep,
                    round,
                    worker,
                    tensorboard);
        }
    }

    /**
     * One round as the driver saw it.
     *
     * @param round             the round's index, from 0
     * @param step              the step reached
     * @param steps             steps each worker ran
     * @param dLoss             discriminator loss, mean over workers and steps
     * @param gLoss             generator loss, mean over workers and steps
     * @param roundMillis       the round's wall time on the driver (broadcast, job, averaging)
     * @param averageMillis     the averaging's share: decoding the replicas, averaging, encoding the mean
     * @param bytesAveraged     bytes of replica state the driver received and averaged
     * @param maxTrainMillis    the slowest worker's time in its steps
     * @param maxSetupMillis    the slowest worker's time before its first step (data, model compile, state)
     * @param replicasIdentical whether every worker's backend held bit-identical state before its first step
     * @param replicaSha256     SHA-256 of that state (of worker 0)
     * @param averageSha256     SHA-256 of the mean the round ended with (what the next round broadcasts)
     * @param executors         where the workers ran, in worker order
     */
    public record Round(
            long round,
            long step,
            int steps,
            double dLoss,
            double gLoss,
            double roundMillis,
            double averageMillis,
            long bytesAveraged,
            double maxTrainMillis,
            double maxSetupMillis,
            boolean replicasIdentical,
            String replicaSha256,
            String averageSha256,
            List<String> executors) {}

    /**
     * What a run did.
     *
     * @param step        the step reached
     * @param rounds      the rounds this call ran
     * @param checkpoint  the newest training checkpoint written
     * @param state       the final (averaged) state
     * @param stateSha256 SHA-256 of its safetensors encoding
     */
    public record Report(long step, List<Round> rounds, Path checkpoint, NamedTensors state, String stateSha256) {}

    /** Starts a run in {@code outdir} (which must not hold one): initial state from the config's seed. */
    public static Report train(
            JavaSparkContext spark, ModelSpec spec, TrainingConfig config, Options options, Path outdir) {
        InferredModel inferred = spec.validate();
        GanBackend backend = Backends.discover().select(options.backend());
        TrainingConfig cfg = config.withPrecision(backend.resolvePrecision(config.precision()));
        RunFiles files = new RunFiles(outdir);
        if (files.holdsRun()) {
            throw new IllegalArgumentException(outdir + " already holds a run (" + files.latestPointer()
                    + "); resume it or choose another directory");
        }
        checkSlots(spark, options);
        boolean existed = Files.exists(outdir);
        try (Data data = Data.open(spark, options.dataset(), spec, options.workers())) {
            NamedTensors state =
                    StateNames.completeAndCheck(inferred, ParameterInitializer.initialize(inferred, cfg.seed()));
            files.prepare();
            writeOptions(files, options);
            return run(spark, backend, spec, cfg, data, state, 0, options, files);
        } catch (Throwable e) { // also Spark's SparkException, which Scala throws unchecked
            // A run that fails before its first checkpoint leaves no directory it created (a resumable one
            // keeps what its last checkpoint left).
            if (!existed && Files.exists(outdir) && !files.holdsRun()) {
                try {
                    RunFiles.deleteTree(outdir);
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * Continues the run in {@code outdir} from its newest checkpoint, with the options it was started with
     * unless {@code options} is given (other workers or steps per round make it differ from an uninterrupted
     * run).
     */
    public static Report resume(JavaSparkContext spark, Path outdir, Options options) {
        return resume(spark, outdir, options, null);
    }

    /** {@link #resume(JavaSparkContext, Path, Options)} up to another step limit ({@code null}: the run's). */
    public static Report resume(JavaSparkContext spark, Path outdir, Options options, Long maxSteps) {
        RunFiles files = new RunFiles(outdir);
        Path latest = files.latest();
        Checkpoint ckpt = Checkpoint.read(latest);
        if (ckpt.metadata().type() != CheckpointType.TRAINING) {
            throw new CheckpointException(latest + ": not a training checkpoint");
        }
        Options opts = options != null ? options : readOptions(files);
        GanBackend backend = Backends.discover().select(opts.backend());
        checkSlots(spark, opts);
        CheckpointMetadata meta = ckpt.metadata();
        LOG.info(
                "resuming {} from {} (step {})",
                meta.spec().name(),
                latest,
                meta.position().step());
        TrainingConfig cfg = maxSteps == null ? meta.config() : meta.config().withMaxSteps(maxSteps);
        checkModelFitsData(latest, meta.spec(), opts.dataset());
        try (Data data = Data.open(spark, opts.dataset(), meta.spec(), opts.workers())) {
            return run(
                    spark,
                    backend,
                    meta.spec(),
                    cfg,
                    data,
                    ckpt.tensors(),
                    meta.position().step(),
                    opts,
                    files);
        }
    }

    /**
     * A checkpoint of another model than the run's dataset feeds (another image shape or number of classes) is
     * refused on the driver, naming the checkpoint, before any task runs. A dataset Spark reads is checked row by
     * row against the model when it is loaded.
     */
    private static void checkModelFitsData(Path checkpoint, ModelSpec spec, String dataset) {
        if (SparkDataset.handles(dataset)) {
            return;
        }
        var info = RoundTask.dataset(dataset).info();
        if (!info.image().equals(spec.image()) || info.numClasses() != spec.numClasses()) {
            throw new IllegalArgumentException(checkpoint + ": a checkpoint of model " + spec.name() + " ("
                    + spec.image() + ", " + spec.numClasses() + " classes), but the run's dataset '" + dataset
                    + "' holds " + info.image() + " images of " + info.numClasses() + " classes");
        }
    }

    private static void checkSlots(JavaSparkContext spark, Options options) {
        int slots = spark.defaultParallelism();
        if (options.workers() > slots) {
            throw new IllegalArgumentException(options.workers() + " workers asked for, but the Spark cluster ("
                    + spark.master() + ") runs " + slots + " tasks at once; give at most " + slots
                    + " workers or more executor cores");
        }
    }

    /** The steps a run makes: the config's epochs of worker 0's share, or its step limit if smaller. */
    static long totalSteps(TrainingConfig cfg, int datasetSize, int workers) {
        long perEpoch = BatchIterator.batchesPerEpoch(PartitionView.sizeOf(datasetSize, 0, workers), cfg.batchSize());
        long total = perEpoch * cfg.epochs();
        return cfg.maxSteps() > 0 ? Math.min(total, cfg.maxSteps()) : total;
    }

    private static Report run(
            JavaSparkContext spark,
            GanBackend backend,
            ModelSpec spec,
            TrainingConfig cfg,
            Data data,
            NamedTensors initial,
            long startStep,
            Options o,
            RunFiles files) {
        if (cfg.emaEnabled() || initial.names().stream().anyMatch(n -> n.startsWith(StateNames.EMA))) {
            // The generator EMA is the single-machine loop's (GanTrainer); the rounds here do not keep one.
            throw new IllegalArgumentException("--ema is not supported by acgan spark train: the run in "
                    + files.dir() + " was started with a generator EMA (generatorEma " + cfg.generatorEma()
                    + "); continue it with acgan train --resume");
        }
        long total = totalSteps(cfg, data.size(), o.workers());
        if (startStep >= total) {
            throw new IllegalArgumentException("the run in " + files.dir() + " is complete (step " + startStep + " of "
                    + total + "); raise the epochs or steps to continue");
        }
        writeConfig(files, spec, cfg, o, backend.name());
        byte[] encoded = encode(initial);
        try (TensorBoardListener tb =
                o.tensorboard() == null ? null : TensorBoardListener.open(Path.of(o.tensorboard()), startStep)) {
            return rounds(spark, backend, spec, cfg, data, initial, encoded, startStep, o, files, tb);
        }
    }

    private static Report rounds(
            JavaSparkContext spark,
            GanBackend backend,
            ModelSpec spec,
            TrainingConfig cfg,
            Data data,
            NamedTensors initial,
            byte[] initialEncoded,
            long startStep,
            Options o,
            RunFiles files,
            TensorBoardListener tb) {
        long total = totalSteps(cfg, data.size(), o.workers());
        int share0 = PartitionView.sizeOf(data.size(), 0, o.workers());
        String createdAt = Instant.now().toString();
        NamedTensors state = initial;
        byte[] encoded = initialEncoded;
        long step = startStep;
        long round = (startStep + o.stepsPerRound() - 1) / o.stepsPerRound();
        List<Round> rounds = new ArrayList<>();
        Path lastCheckpoint = null;
        LOG.info(
                "training {} on {} with {} workers x {} steps per round, {} steps, backend {}",
                spec.name(),
                data.name(),
                o.workers(),
                o.stepsPerRound(),
                total,
                backend.name());
        while (step < total) {
            long t0 = System.nanoTime();
            int steps = (int) Math.min(o.stepsPerRound(), total - step);
            CheckpointMetadata meta = metadata(spec, cfg, position(step, share0, cfg), backend, data, createdAt);
            RoundTask.Input input;
            try {
                input = new RoundTask.Input(JSON.writeValueAsBytes(meta), encoded);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Broadcast<RoundTask.Input> bc = spark.broadcast(input);
            List<RoundTask.Result> results;
            try {
                List<Integer> workers = IntStream.range(0, o.workers()).boxed().collect(Collectors.toList());
                spark.setJobDescription("acgan round " + round + " (steps " + (step + 1) + ".." + (step + steps) + ")");
                RoundTask task = new RoundTask(bc, o, round, step, steps);
                results = data.read() != null
                        ? data.read()
                                .shares()
                                .mapPartitionsWithIndex(
                                        new RoundTask.OnShares(task, data.read().info()), true)
                                .collect()
                        : spark.parallelize(workers, o.workers()).map(task).collect();
            } finally {
                bc.destroy();
            }
            long t1 = System.nanoTime();
            String startSha = results.get(0).startSha256();
            boolean identical = results.stream().allMatch(r -> r.startSha256().equals(startSha));
            List<NamedTensors> replicas = new ArrayList<>();
            long bytes = 0;
            for (RoundTask.Result r : results) {
                replicas.add(SafeTensors.decode(r.state(), "state of worker " + r.worker())
                        .tensors());
                bytes += r.state().length;
            }
            state = StateAverage.of(replicas);
            encoded = encode(state);
            long t2 = System.nanoTime();
            step += steps;
            double d = results.stream()
                    .mapToDouble(RoundTask.Result::dLoss)
                    .average()
                    .orElse(Double.NaN);
            double g = results.stream()
                    .mapToDouble(RoundTask.Result::gLoss)
                    .average()
                    .orElse(Double.NaN);
            String nonFinite = state.firstNonFinite();
            if (nonFinite != null) {
                throw new IllegalStateException("training diverged in round " + round + " (step " + step + "): "
                        + nonFinite + "; the run directory keeps the last good checkpoint");
            }
            Round done = new Round(
                    round,
                    step,
                    steps,
                    d,
                    g,
                    (t2 - t0) / 1e6,
                    (t2 - t1) / 1e6,
                    bytes,
                    results.stream().mapToLong(RoundTask.Result::nanos).max().orElse(0) / 1e6,
                    results.stream()
                                    .mapToLong(RoundTask.Result::setupNanos)
                                    .max()
                                    .orElse(0)
                            / 1e6,
                    identical,
                    startSha,
                    sha256(encoded),
                    results.stream().map(RoundTask.Result::executor).collect(Collectors.toList()));
            rounds.add(done);
            files.appendMetrics(done);
            if (tb != null) {
                tb.scalar(TensorBoardListener.D_TOTAL, step, d);
                tb.scalar(TensorBoardListener.G_TOTAL, step, g);
                tb.scalar("spark/round_ms", step, done.roundMillis());
                tb.scalar("spark/average_ms", step, done.averageMillis());
                tb.flush();
            }
            LOG.info(String.format(
                    Locale.ROOT,
                    "round %d: step %d/%d, D %.4f, G %.4f, %.0f ms (averaging %.1f ms of %d bytes)",
                    round,
                    step,
                    total,
                    d,
                    g,
                    done.roundMillis(),
                    done.averageMillis(),
                    bytes));
            round++;
            boolean last = step >= total;
            if (last || round % o.checkpointEveryRounds() == 0) {
                Checkpoint c = new Checkpoint(
                        metadata(spec, cfg, position(step, share0, cfg), backend, data, createdAt), state);
                lastCheckpoint = files.writeCheckpoint(step, c, o.keep());
                files.writeLossPlot(spec.name());
            }
            if (last || (o.sampleEveryRounds() > 0 && round % o.sampleEveryRounds() == 0)) {
                BufferedImage grid = files.writeGrid(backend, spec, cfg.seed(), step, state);
                if (tb != null && grid != null) {
                    tb.image("samples/grid", step, grid);
                    tb.flush();
                }
            }
        }
        files.writeGif();
        return new Report(step, rounds, lastCheckpoint, state, sha256(encoded));
    }

    private static TrainingPosition position(long step, int share0, TrainingConfig cfg) {
        return RoundTask.position(step, share0, cfg.batchSize());
    }

    private static CheckpointMetadata metadata(
            ModelSpec spec, TrainingConfig cfg, TrainingPosition pos, GanBackend backend, Data data, String createdAt) {
        return new CheckpointMetadata(
                Checkpoint.FORMAT_VERSION,
                CheckpointType.TRAINING,
                spec,
                cfg,
                pos,
                backend.name(),
                data.name(),
                createdAt,
                List.of(),
                null,
                0);
    }

    /**
     * The training data as the driver sees it: its name and size, and, for a dataset Spark reads
     * ({@code parquet:} and {@code binaryfile:}), the cached shares; otherwise the executors read it by spec.
     */
    private record Data(String name, int size, SparkDataset read) implements AutoCloseable {

        static Data open(JavaSparkContext spark, String dataset, ModelSpec spec, int workers) {
            if (SparkDataset.handles(dataset)) {
                SparkDataset d = SparkDataset.load(spark, dataset, spec, workers);
                LOG.info("read {}: {} images in {} shares", dataset, d.size(), workers);
                return new Data(d.info().name(), d.size(), d);
            }
            DatasetSource ds = RoundTask.dataset(dataset);
            return new Data(ds.info().name(), ds.size(), null);
        }

        @Override
        public void close() {
            if (read != null) {
                read.close();
            }
        }
    }

    /** Sets the compute threads of the backends that read them from system properties (0: leave as is). */
    static void applyThreads(int threads) {
        if (threads > 0) {
            String n = Integer.toString(threads);
            System.setProperty("acgan.tensorflow.intraOpThreads", n);
            System.setProperty("acgan.tensorflow.interOpThreads", n);
            System.setProperty("acgan.pytorch.threads", n);
        }
    }

    static byte[] encode(NamedTensors state) {
        return SafeTensors.encode(state, Map.of("format", "acgan", "type", CheckpointType.TRAINING.name()));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeOptions(RunFiles files, Options o) {
        try {
            Files.write(
                    files.dir().resolve(SPARK_FILE),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + files.dir().resolve(SPARK_FILE), e);
        }
    }

    /** The file of a run's effective settings, with the keys of {@code acgan train}'s. */
    public static final String CONFIG_FILE = "config.yaml";

    /**
     * Writes {@value #CONFIG_FILE}: the run's recipe under the keys of {@code acgan train}'s {@code config.yaml}
     * (so {@code acgan train --config} repeats it in one process, for a dataset that command reads), with the
     * periods in steps ({@code H} times the rounds), and a header naming the Spark options; {@value #SPARK_FILE}
     * stays what {@code --resume} reads. Rewritten, atomically, when a run is resumed (its step limit may change).
     */
    static void writeConfig(RunFiles files, ModelSpec spec, TrainingConfig cfg, Options o, String backend) {
        Path dir = files.dir();
        String header = String.format(
                Locale.ROOT,
                "Effective settings of 'acgan spark train', written %s.%n"
                        + "Spark: workers %d, steps-per-round (H) %d, threads-per-task %d, checkpoint-every %d rounds, "
                        + "sample-every %d rounds (%s; steps below are each worker's).%n"
                        + "Continue this run:          acgan spark train --resume %s --steps N%n"
                        + "The recipe in one process: acgan train --config %s --outdir NEW_DIR",
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                o.workers(),
                o.stepsPerRound(),
                o.threadsPerTask(),
                o.checkpointEveryRounds(),
                o.sampleEveryRounds(),
                SPARK_FILE,
                dir,
                dir.resolve(CONFIG_FILE));
        writeConfig(
                dir,
                header,
                spec,
                cfg,
                o.dataset(),
                backend,
                (long) o.checkpointEveryRounds() * o.stepsPerRound(),
                o.keep(),
                (long) o.sampleEveryRounds() * o.stepsPerRound(),
                o.tensorboard());
    }

    /**
     * Writes {@code dir/}{@value #CONFIG_FILE} atomically: {@code header} as comment lines, then the keys of
     * {@code acgan train}'s {@code config.yaml} ({@code eval-every: 0}: no in-training quality probe).
     */
    static void writeConfig(
            Path dir,
            String header,
            ModelSpec spec,
            TrainingConfig cfg,
            String dataset,
            String backend,
            long checkpointEvery,
            int keep,
            long sampleEvery,
            String tensorboard) {
        StringBuilder y = new StringBuilder();
        header.lines().forEach(l -> y.append("# ").append(l).append('\n'));
        AdamConfig adam = cfg.generatorOptimizer();
        key(y, "backend", quote(backend));
        key(y, "model", quote(spec.name()));
        key(y, "dataset", quote(dataset));
        key(y, "steps", Long.toString(cfg.maxSteps()));
        key(y, "batch-size", Integer.toString(cfg.batchSize()));
        key(y, "latent-dim", Integer.toString(spec.latentDim()));
        key(y, "learning-rate", Double.toString(adam.learningRate()));
        key(y, "beta1", Double.toString(adam.beta1()));
        key(y, "label-smoothing", Float.toString(cfg.realLabel()));
        key(y, "aux-weights", quote(auxWeights(cfg)));
        key(y, "seed", Long.toString(cfg.seed()));
        key(y, "outdir", quote(dir.toString()));
        key(y, "checkpoint-every", Long.toString(checkpointEvery));
        key(y, "keep", Integer.toString(keep));
        key(y, "sample-every", Long.toString(sampleEvery));
        key(y, "eval-every", "0");
        key(y, "precision", cfg.precision().name().toLowerCase(Locale.ROOT));
        if (tensorboard != null) {
            key(y, "tensorboard", quote(tensorboard));
        }
        RunFiles.replace(dir.resolve(CONFIG_FILE), y.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The class-loss weights {@code REAL,FAKE,GENERATOR} as {@code acgan train --aux-weights} takes them. */
    static String auxWeights(TrainingConfig cfg) {
        return number(cfg.auxWeightReal()) + "," + number(cfg.auxWeightFake()) + "," + number(cfg.auxWeightGenerator());
    }

    private static void key(StringBuilder y, String key, String value) {
        y.append(key).append(": ").append(value).append('\n');
    }

    /** A YAML double-quoted scalar (JSON's escapes are YAML's). */
    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String number(float v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : Float.toString(v);
    }

    /** The options a run in {@code outdir} was started with (its {@value #SPARK_FILE}). */
    static Options readOptions(Path outdir) {
        return readOptions(new RunFiles(outdir));
    }

    private static Options readOptions(RunFiles files) {
        Path p = files.dir().resolve(SPARK_FILE);
        try {
            return JSON.readValue(Files.readAllBytes(p), Options.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(p + ": cannot read the run's Spark options: " + e.getMessage(), e);
        }
    }

    /** A round's losses as {@link LossPlot} plots them: the totals (the components are not collected). */
    record RoundLoss(long step, double dTotal, double gTotal) implements LossPlot.Row {
        @Override
        public double dRealAdv() {
            return 0;
        }

        @Override
        public double dFakeAdv() {
            return 0;
        }

        @Override
        public double dRealAux() {
            return 0;
        }

        @Override
        public double dFakeAux() {
            return 0;
        }

        @Override
        public double gAdv() {
            return 0;
        }

        @Override
        public double gAux() {
            return 0;
        }
    }

    /** The run directory's files (the layout of {@code acgan train}). */
    record RunFiles(Path dir) {

        Path checkpoints() {
            return dir.resolve("checkpoints");
        }

        Path latestPointer() {
            return checkpoints().resolve("latest");
        }

        Path samples() {
            return dir.resolve("samples");
        }

        boolean holdsRun() {
            return Files.exists(latestPointer());
        }

        void prepare() {
            try {
                Files.createDirectories(checkpoints());
                Files.createDirectories(samples());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the run directory " + dir + ": " + e.getMessage(), e);
            }
        }

        Path latest() {
            try {
                String name = Files.readString(latestPointer(), StandardCharsets.UTF_8)
                        .strip();
                return checkpoints().resolve(name);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        dir + " holds no run to resume (" + latestPointer() + ": " + e + ")");
            }
        }

        Path writeCheckpoint(long step, Checkpoint c, int keep) {
            Path target = checkpoints().resolve(String.format(Locale.ROOT, "step-%09d", step));
            c.write(target);
            c.generatorOnly().write(dir.resolve("generator"));
            replace(latestPointer(), (fileName(target) + "\n").getBytes(StandardCharsets.UTF_8));
            prune(keep);
            return target;
        }

        private void prune(int keep) {
            try (Stream<Path> s = Files.list(checkpoints())) {
                List<Path> all = s.filter(p -> fileName(p).matches("step-\\d{9}"))
                        .sorted(Comparator.comparing(Path::toString))
                        .collect(Collectors.toList());
                for (int i = 0; i < all.size() - keep; i++) {
                    deleteTree(all.get(i));
                }
            } catch (IOException e) {
                LOG.warn("could not prune {}: {}", checkpoints(), e.toString());
            }
        }

        /** Writes the grid of {@code step} and returns it ({@code null} when it could not be made). */
        BufferedImage writeGrid(GanBackend backend, ModelSpec spec, long seed, long step, NamedTensors state) {
            try (Generator g = backend.loadGenerator(spec, StateNames.generatorOnly(state))) {
                BufferedImage img = SampleGrid.training(spec, seed).render(g);
                Images.writePng(img, samples().resolve(String.format(Locale.ROOT, "grid-step-%09d.png", step)));
                return img;
            } catch (RuntimeException e) {
                LOG.warn("could not write the sample grid of step {}: {}", step, e.toString());
                return null;
            }
        }

        void writeGif() {
            try (Stream<Path> s = Files.list(samples())) {
                List<Path> grids = s.filter(p -> fileName(p).matches("grid-step-\\d{9}\\.png"))
                        .sorted(Comparator.comparing(Path::toString))
                        .collect(Collectors.toList());
                if (grids.isEmpty()) {
                    return;
                }
                List<BufferedImage> frames = new ArrayList<>();
                for (Path p : grids) {
                    String name = fileName(p);
                    long step = Long.parseLong(name.substring("grid-step-".length(), name.length() - 4));
                    frames.add(ImageGrid.caption(Images.read(p), "step " + step));
                }
                AnimatedGif.write(frames, 25, 200, samples().resolve("progress.gif"));
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not write {}: {}", samples().resolve("progress.gif"), e.toString());
            }
        }

        /**
         * {@code loss.png}: the discriminator's and generator's loss of every round in {@code metrics.csv}
         * (mean over the workers and the round's steps), against the step.
         */
        void writeLossPlot(String model) {
            Path csv = dir.resolve("metrics.csv");
            try {
                List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
                List<LossPlot.Row> rows = new ArrayList<>();
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.split(",", -1);
                    rows.add(new RoundLoss(Long.parseLong(f[1]), Double.parseDouble(f[3]), Double.parseDouble(f[4])));
                }
                if (!rows.isEmpty()) {
                    LossPlot.write(rows, model + ", per round, mean over workers", dir.resolve("loss.png"));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not write {}: {}", dir.resolve("loss.png"), e.toString());
            }
        }

        void appendMetrics(Round r) {
            Path file = dir.resolve("metrics.csv");
            String row = String.format(
                    Locale.ROOT,
                    "%d,%d,%d,%.6f,%.6f,%.1f,%.2f,%d,%.1f,%.1f,%b%n",
                    r.round(),
                    r.step(),
                    r.steps(),
                    r.dLoss(),
                    r.gLoss(),
                    r.roundMillis(),
                    r.averageMillis(),
                    r.bytesAveraged(),
                    r.maxTrainMillis(),
                    r.maxSetupMillis(),
                    r.replicasIdentical());
            try {
                if (!Files.exists(file)) {
                    Files.writeString(file, METRICS_HEADER + "\n", StandardCharsets.UTF_8);
                }
                Files.writeString(file, row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            } catch (IOException e) {
                LOG.warn("could not append to {}: {}", file, e.toString());
            }
        }

        private static String fileName(Path p) {
            Path f = p.getFileName();
            return f == null ? "" : f.toString();
        }

        private static void replace(Path file, byte[] content) {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            try {
                Files.write(tmp, content);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot replace " + file + ": " + e.getMessage(), e);
            }
        }

        static void deleteTree(Path p) throws IOException {
            try (Stream<Path> w = Files.walk(p)) {
                for (Path q : w.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                    Files.deleteIfExists(q);
                }
            }
        }
    }
}
