package dev.acgan.spark;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointMetadata;
import dev.acgan.api.checkpoint.CheckpointType;
import dev.acgan.api.checkpoint.SafeTensors;
import dev.acgan.api.data.BatchIterator;
import dev.acgan.api.data.DatasetInfo;
import dev.acgan.api.data.DatasetSource;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.SeedStreams;
import dev.acgan.api.train.StepResult;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.api.train.TrainingPosition;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * One worker's part of one round, run in a Spark task: rebuild the trainer from the broadcast state with
 * {@link GanTrainer#resume}, on this worker's share of the data and at the round's position, run
 * {@code steps} steps, and return the state.
 */
final class RoundTask implements Function<Integer, RoundTask.Result>, Serializable {

    private static final long serialVersionUID = 1L;

    /** The datasets an executor has read, by spec (a task per round would otherwise re-read it each time). */
    private static final Map<String, DatasetSource> DATASETS = new ConcurrentHashMap<>();

    /** What every worker of a round starts from (broadcast once per round). */
    record Input(byte[] metadataJson, byte[] tensors) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * A worker's result.
     *
     * @param worker      its index
     * @param executor    the executor it ran on
     * @param startSha256 SHA-256 of the state the backend held after loading the broadcast state, before any step
     * @param state       its state after the steps, as safetensors bytes
     * @param dLoss       mean discriminator loss of its steps
     * @param gLoss       mean generator loss of its steps
     * @param nanos       time of its steps (model compile and data excluded)
     * @param setupNanos  time from the task's start to its first step (data, model compile, state load)
     */
    record Result(
            int worker,
            String executor,
            String startSha256,
            byte[] state,
            double dLoss,
            double gLoss,
            long nanos,
            long setupNanos)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * A task's failure that names its executor: {@code acgan spark} prints its message, not its cause's (which
     * does not say where it happened).
     */
    static final class ExecutorException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ExecutorException(String message) {
            super(message);
        }

        ExecutorException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Broadcast<Input> input;
    private final SparkTraining.Options options;
    private final long round;
    private final long step;
    private final int steps;

    RoundTask(Broadcast<Input> input, SparkTraining.Options options, long round, long step, int steps) {
        this.input = input;
        this.options = options;
        this.round = round;
        this.step = step;
        this.steps = steps;
    }

    /** Seed of worker {@code k}: worker 0 keeps the run's seed, so that one worker is the local run. */
    static long workerSeed(long seed, int worker) {
        return worker == 0 ? seed : SeedStreams.derive(seed, SeedStreams.Purpose.SHUFFLE, -worker);
    }

    /** Where worker {@code k} stands at global step {@code step} on its share of {@code size} examples. */
    static TrainingPosition position(long step, int shareSize, int batchSize) {
        int perEpoch = BatchIterator.batchesPerEpoch(shareSize, batchSize);
        return new TrainingPosition(step, Math.toIntExact(step / perEpoch), (int) (step % perEpoch));
    }

    static DatasetSource dataset(String spec) {
        return DATASETS.computeIfAbsent(spec, Datasets::fromSpec);
    }

    @Override
    public Result call(Integer worker) {
        return run(worker, () -> {
            DatasetSource all;
            try {
                all = dataset(options.dataset());
            } catch (RuntimeException e) {
                throw new ExecutorException(
                        "executor " + executorName() + " cannot read dataset '" + options.dataset() + "': "
                                + e.getMessage(),
                        e);
            }
            return new PartitionView(all, worker, options.workers());
        });
    }

    /**
     * The round of worker {@code worker} on the share {@code data} supplies (read after the fault injection
     * point, so an injected fault costs no data).
     */
    Result run(int worker, Supplier<DatasetSource> data) {
        long t0 = System.nanoTime();
        TaskContext ctx = TaskContext.get();
        String executor = executorName();
        if (options.failRound() == round && options.failWorker() == worker && ctx != null && ctx.attemptNumber() == 0) {
            throw new IllegalStateException(
                    "fault injected into worker " + worker + " of round " + round + " (first attempt)");
        }
        SparkTraining.applyThreads(options.threadsPerTask());
        Input in = input.value();
        CheckpointMetadata meta;
        try {
            meta = SparkTraining.JSON.readValue(in.metadataJson(), CheckpointMetadata.class);
        } catch (java.io.IOException e) {
            throw new ExecutorException("executor " + executor + ": unreadable round state: " + e, e);
        }
        DatasetSource share = data.get();
        GanBackend backend;
        try {
            backend = Backends.discover().select(options.backend());
        } catch (RuntimeException e) {
            throw new ExecutorException("executor " + executor + ": " + e.getMessage(), e);
        }
        if (!backend.name().equals(meta.backend())) {
            throw new ExecutorException("executor " + executor + " selected backend " + backend.name()
                    + " but the driver runs " + meta.backend() + "; the same backend must be on every executor");
        }
        TrainingConfig cfg = meta.config().withSeed(workerSeed(meta.config().seed(), worker));
        TrainingPosition pos = position(step, share.size(), cfg.batchSize());
        NamedTensors state =
                SafeTensors.decode(in.tensors(), "round " + round + " state").tensors();
        Checkpoint start = new Checkpoint(
                new CheckpointMetadata(
                        meta.formatVersion(),
                        CheckpointType.TRAINING,
                        meta.spec(),
                        cfg,
                        pos,
                        meta.backend(),
                        share.info().name(),
                        meta.createdAt(),
                        List.of(),
                        null,
                        0),
                state);
        try (GanTrainer trainer = GanTrainer.resume(backend, start, cfg, share)) {
            String startSha =
                    SparkTraining.sha256(SparkTraining.encode(trainer.model().state()));
            long t1 = System.nanoTime();
            double d = 0;
            double g = 0;
            for (int i = 0; i < steps; i++) {
                StepResult r = trainer.step();
                d += r.discriminator().total();
                g += r.generator().total();
            }
            long t2 = System.nanoTime();
            byte[] out = SparkTraining.encode(trainer.model().state());
            return new Result(worker, executor, startSha, out, d / steps, g / steps, t2 - t1, t1 - t0);
        }
    }

    static String executorName() {
        try {
            org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
            if (env != null) {
                return env.executorId() + "@"
                        + java.net.InetAddress.getLocalHost().getHostName();
            }
        } catch (java.io.IOException | RuntimeException e) {
            // fall through
        }
        return "unknown";
    }

    /**
     * The round run over the cached shares of a {@link SparkDataset}: partition {@code k} holds worker
     * {@code k}'s examples, and its task runs worker {@code k}'s round on them.
     */
    static final class OnShares
            implements Function2<Integer, Iterator<Tuple2<Integer, SparkDataset.Example>>, Iterator<Result>>,
                    Serializable {

        private static final long serialVersionUID = 1L;

        private final RoundTask task;
        private final String name;
        private final int size;
        private final int[] shape;
        private final String[] classNames;

        OnShares(RoundTask task, DatasetInfo info) {
            this.task = task;
            this.name = info.name();
            this.size = info.size();
            this.shape = new int[] {
                info.image().height(), info.image().width(), info.image().channels()
            };
            this.classNames = info.classNames().toArray(new String[0]);
        }

        @Override
        public Iterator<Result> call(Integer partition, Iterator<Tuple2<Integer, SparkDataset.Example>> rows) {
            int workers = task.options.workers();
            DatasetInfo info =
                    new DatasetInfo(name, size, new ImageShape(shape[0], shape[1], shape[2]), List.of(classNames));
            return List.of(task.run(partition, () -> SparkDataset.share(rows, info, partition, workers)))
                    .iterator();
        }
    }
}
