package dev.acgan.spark;

import dev.acgan.api.data.DatasetException;
import dev.acgan.api.data.DatasetInfo;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code acgan spark train|generate}: the Spark jobs of this module from a command line. The main class for
 * {@code spark-submit} (the cluster's master and resources come from spark-submit) and for
 * {@code ./acgan spark} (Spark's local mode, {@code local[N]}, unless {@code --master} says otherwise).
 */
@Command(
        name = "acgan spark",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        subcommands = {
            SparkMain.Train.class,
            SparkMain.Generate.class,
            SparkMain.Sweep.class,
            CommandLine.HelpCommand.class
        },
        description = "Data-parallel training, synthetic data and sweeps on Apache Spark.",
        footer = {
            "",
            "Examples:",
            "  acgan spark train --workers 2 --steps-per-round 10 --steps 500 --outdir runs/spark",
            "  acgan spark train --resume runs/spark --steps 1000",
            "  acgan spark generate --checkpoint runs/spark --per-class 1000 --out synthetic.parquet",
            "  acgan spark sweep --seeds 1,2,3,4 --steps 500 --outdir runs/sweep",
            "  spark-submit --class dev.acgan.spark.SparkMain acgan-spark.jar train --workers 8 ..."
        })
public final class SparkMain implements Callable<Integer> {

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    /** Runs the command line; exits with 0, 1 (one line on stderr) or 2 (bad command line). */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cli = new CommandLine(new SparkMain());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            System.err.println("acgan spark: " + message(e));
            return 1;
        });
        return cli.execute(args);
    }

    static String message(Throwable e) {
        Throwable t = e;
        // A task's failure reaches the driver wrapped by Spark; the first line of the root cause says it,
        // unless a dataset error (which names the file and row) or an executor's (which names it) wraps it.
        while (t.getCause() != null
                && t.getCause() != t
                && !(t instanceof DatasetException)
                && !(t instanceof RoundTask.ExecutorException)) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    static SparkSession session(String master, int slots) {
        String chosen = master != null ? master : System.getProperty("spark.master");
        if (chosen == null) {
            chosen = "local[" + slots + "]";
        }
        return SparkSession.builder().config(LocalSpark.conf(chosen)).getOrCreate();
    }

    /** {@code train}. */
    @Command(name = "train", mixinStandardHelpOptions = true, description = "Train with periodic model averaging.")
    static final class Train implements Callable<Integer> {

        @Option(names = "--workers", paramLabel = "N", description = "Workers (tasks) per round. Default: 2.")
        int workers = 2;

        @Option(
                names = {"-H", "--steps-per-round"},
                paramLabel = "H",
                description = "Steps each worker runs between two averagings. Default: 10.")
        int stepsPerRound = 10;

        @Option(
                names = {"-m", "--model"},
                paramLabel = "MODEL",
                description = "acgan | cgan | gan, or a preset name. Default: acgan.")
        String model = "acgan";

        @Option(
                names = {"-d", "--dataset"},
                paramLabel = "SPEC",
                description =
                        "mnist | fashion-mnist | idx:DIR | images:DIR, read by every executor (at the same path), or "
                                + "read by Spark: parquet:PATH (columns label int, png binary; as `spark generate` "
                                + "writes) | binaryfile:DIR (DIR/CLASS/IMAGE). Default: mnist.")
        String dataset = "mnist";

        @Option(
                names = {"-s", "--steps"},
                paramLabel = "N",
                description = "Stop at this step of each worker (also when resuming). Default: 200 for a new run, the "
                        + "run's own when resuming.")
        Long steps;

        @Option(
                names = {"-b", "--batch-size"},
                paramLabel = "N",
                description = "Batch of each worker. Default: 64.")
        int batchSize = 64;

        @Option(names = "--seed", paramLabel = "N", description = "Seed of the run. Default: 42.")
        long seed = 42;

        @Option(names = "--backend", paramLabel = "NAME", description = "Backend on driver and executors.")
        String backend;

        @Option(
                names = "--threads-per-task",
                paramLabel = "N",
                description = "Compute threads of each task's backend (0: its default). Default: 0.")
        int threads;

        @Option(
                names = {"-o", "--outdir"},
                paramLabel = "DIR",
                description = "Run directory. Default: runs/spark.")
        Path outdir = Path.of("runs", "spark");

        @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR.")
        Path resume;

        @Option(
                names = "--checkpoint-every",
                paramLabel = "ROUNDS",
                description = "A checkpoint every so many rounds. Default: 10.")
        int checkpointEvery = 10;

        @Option(
                names = "--sample-every",
                paramLabel = "ROUNDS",
                description = "A sample grid every so many rounds (0: at the end only). Default: 10.")
        int sampleEvery = 10;

        @Option(names = "--master", paramLabel = "URL", description = "Spark master. Default: local[workers].")
        String master;

        @Option(
                names = "--tensorboard",
                paramLabel = "DIR",
                description = "Write TensorBoard event files into DIR (per round: D and G loss, round and "
                        + "averaging time; the sample grids). Default: none.")
        Path tensorboard;

        @Override
        public Integer call() throws Exception {
            SparkTraining.Options o = new SparkTraining.Options(
                    workers,
                    stepsPerRound,
                    dataset,
                    backend,
                    threads,
                    checkpointEvery,
                    sampleEvery,
                    3,
                    -1,
                    0,
                    tensorboard == null ? null : tensorboard.toString());
            try (SparkSession spark = session(master, workers)) {
                SparkTraining.Report r;
                if (resume != null) {
                    if (!Files.isDirectory(resume)) {
                        throw new IllegalArgumentException(resume + ": no such run directory");
                    }
                    SparkTraining.Options previous = null;
                    if (tensorboard != null) {
                        previous = SparkTraining.readOptions(resume).withTensorBoard(tensorboard.toString());
                    }
                    r = SparkTraining.resume(LocalSpark.context(spark), resume, previous, steps);
                } else {
                    DatasetInfo info = SparkDataset.handles(dataset)
                            ? SparkDataset.describe(LocalSpark.context(spark), dataset)
                            : RoundTask.dataset(dataset).info();
                    ModelSpec spec = Presets.byName(Presets.byName(model).name(), info.image(), info.numClasses(), 100);
                    TrainingConfig cfg = TrainingConfig.forPreset(spec.name())
                            .withSeed(seed)
                            .withBatchSize(batchSize)
                            .withEpochs(Integer.MAX_VALUE / 2)
                            .withMaxSteps(steps != null ? steps : 200);
                    r = SparkTraining.train(LocalSpark.context(spark), spec, cfg, o, outdir);
                }
                double imagesPerSecond = imagesPerSecond(r, workers);
                System.out.printf(
                        Locale.ROOT,
                        "Done: step %d, %d rounds, %.1f real images/s over all workers, checkpoint %s%n",
                        r.step(),
                        r.rounds().size(),
                        imagesPerSecond,
                        r.checkpoint());
            }
            return 0;
        }

        private double imagesPerSecond(SparkTraining.Report r, int n) {
            double ms = r.rounds().stream()
                    .mapToDouble(SparkTraining.Round::roundMillis)
                    .sum();
            long steps =
                    r.rounds().stream().mapToLong(SparkTraining.Round::steps).sum();
            return ms == 0 ? 0 : steps * (double) n * batchSize / (ms / 1000);
        }
    }

    /** {@code generate}. */
    @Command(
            name = "generate",
            mixinStandardHelpOptions = true,
            description = "K images per class from a checkpoint, as Parquet (row, label, noise_seed, png).")
    static final class Generate implements Callable<Integer> {

        @Option(
                names = "--checkpoint",
                required = true,
                paramLabel = "DIR",
                description = "A checkpoint directory (a run's generator/ or checkpoints/step-N).")
        Path checkpoint;

        @Option(names = "--per-class", paramLabel = "K", description = "Images per class. Default: 100.")
        int perClass = 100;

        @Option(names = "--seed", paramLabel = "N", description = "Seed of the noise. Default: 42.")
        long seed = 42;

        @Option(names = "--partitions", paramLabel = "N", description = "Spark partitions. Default: 2.")
        int partitions = 2;

        @Option(names = "--backend", paramLabel = "NAME", description = "Backend on the executors.")
        String backend;

        @Option(
                names = "--threads-per-task",
                paramLabel = "N",
                description = "Compute threads of each task's backend (0: its default). Default: 0.")
        int threads;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Parquet output (must not exist).")
        Path out;

        @Option(names = "--master", paramLabel = "URL", description = "Spark master. Default: local[partitions].")
        String master;

        @Override
        public Integer call() throws Exception {
            if (Files.exists(out)) {
                throw new IllegalArgumentException(out + " exists; give a new path for the Parquet output");
            }
            SyntheticData.Options o = SyntheticData.Options.of(perClass, seed, partitions)
                    .withBackend(backend)
                    .withThreadsPerTask(threads);
            long t0 = System.nanoTime();
            try (SparkSession spark = session(master, partitions)) {
                long rows = SyntheticData.writeParquet(spark, checkpoint, o, out);
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf(
                        Locale.ROOT, "Wrote %d images to %s in %.1f s (%.1f images/s)%n", rows, out, s, rows / s);
            }
            return 0;
        }
    }

    /** {@code sweep}. */
    @Command(
            name = "sweep",
            mixinStandardHelpOptions = true,
            description = "Train one run per recipe (the cartesian product of the lists given) as parallel tasks, "
                    + "judge each with the classifier, rank them.")
    static final class Sweep implements Callable<Integer> {

        @Option(names = "--seeds", paramLabel = "S,...", description = "Seeds, e.g. 1,2,3. Default: 42.")
        String seeds = "42";

        @Option(
                names = {"--learning-rate", "--lr"},
                paramLabel = "LR,...",
                description = "Adam learning rates (both networks), e.g. 1e-4,2e-4. Default: 2e-4.")
        String learningRates = "2e-4";

        @Option(
                names = "--beta1",
                paramLabel = "B,...",
                description = "Adam beta1 values (both networks), e.g. 0.5,0.9. Default: 0.5.")
        String beta1s = "0.5";

        @Option(
                names = "--aux-weights",
                paramLabel = "R,F,G:...",
                description = "Class-loss weights REAL,FAKE,GENERATOR of an ACGAN, recipes separated by ':', e.g. "
                        + "2,0,3:1,1,1. Default: the model's recipe.")
        String auxWeights;

        @Option(
                names = {"-b", "--batch-size"},
                paramLabel = "N,...",
                description = "Batch sizes, e.g. 32,64. Default: 64.")
        String batchSizes = "64";

        @Option(
                names = {"-m", "--model"},
                paramLabel = "MODEL",
                description = "As for train. Default: acgan.")
        String model = "acgan";

        @Option(
                names = {"-d", "--dataset"},
                paramLabel = "SPEC",
                description = "As for train (read by every executor; not parquet: or binaryfile:). Default: mnist.")
        String dataset = "mnist";

        @Option(
                names = {"-s", "--steps"},
                paramLabel = "N",
                description = "Steps of each run. Default: 200.")
        long steps = 200;

        @Option(names = "--classifier", paramLabel = "NAME", description = "mnist | fashion-mnist. Default: mnist.")
        String classifier = "mnist";

        @Option(
                names = "--eval-per-class",
                paramLabel = "N",
                description = "Generated images per class for the evaluation. Default: 100.")
        int evalPerClass = 100;

        @Option(names = "--backend", paramLabel = "NAME", description = "Backend on driver and executors.")
        String backend;

        @Option(names = "--threads-per-task", paramLabel = "N", description = "Threads of each task (0: default).")
        int threads;

        @Option(
                names = {"-o", "--outdir"},
                paramLabel = "DIR",
                description = "Output. Default: runs/sweep.")
        Path outdir = Path.of("runs", "sweep");

        @Option(names = "--master", paramLabel = "URL", description = "Spark master. Default: local[2].")
        String master;

        @Override
        public Integer call() throws Exception {
            if (steps < 1) {
                throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
            }
            if (SparkDataset.handles(dataset)) {
                throw new IllegalArgumentException("--dataset " + dataset + ": a sweep reads datasets by spec "
                        + "(mnist, fashion-mnist, idx:DIR, images:DIR); parquet: and binaryfile: are for train");
            }
            List<Long> seedList = SweepLists.longs("--seeds", seeds);
            List<Double> lrs = SweepLists.positive("--learning-rate", learningRates);
            List<Double> b1s = SweepLists.beta1("--beta1", beta1s);
            List<float[]> aux = auxWeights == null ? null : SweepLists.auxWeights("--aux-weights", auxWeights);
            List<Integer> batches = SweepLists.batchSizes("--batch-size", batchSizes);
            if (Files.exists(outdir.resolve(SparkSweep.TABLE_FILE))) {
                throw new IllegalArgumentException(
                        outdir + " already holds a sweep (" + SparkSweep.TABLE_FILE + "); choose another --outdir");
            }
            DatasetInfo info = RoundTask.dataset(dataset).info();
            ModelSpec spec = Presets.byName(Presets.byName(model).name(), info.image(), info.numClasses(), 100);
            TrainingConfig base = TrainingConfig.forPreset(spec.name())
                    .withEpochs(Integer.MAX_VALUE / 2)
                    .withMaxSteps(steps);
            List<TrainingConfig> configs = SweepLists.product(base, batches, lrs, b1s, aux, seedList);
            SparkSweep.Options o = new SparkSweep.Options(dataset, backend, threads, classifier, evalPerClass);
            System.out.printf(Locale.ROOT, "Sweep: %d runs of %d steps (%s)%n", configs.size(), steps, spec.name());
            try (SparkSession spark = session(master, 2)) {
                List<SparkSweep.Result> results = SparkSweep.run(LocalSpark.context(spark), spec, configs, o, outdir);
                System.out.println(
                        "rank  seed  batch  learning rate  beta1  aux weights  conditional accuracy  classifier score"
                                + "  FID");
                int rank = 1;
                for (SparkSweep.Result r : results) {
                    System.out.printf(
                            Locale.ROOT,
                            "%4d  %4d  %5d  %13s  %5s  %11s  %19.1f%%  %16.2f  %.1f%n",
                            rank++,
                            r.seed(),
                            r.batchSize(),
                            r.learningRate(),
                            r.beta1(),
                            r.auxWeights(),
                            100 * r.conditionalAccuracy(),
                            r.classifierScore(),
                            r.fid());
                }
                System.out.println(
                        "Table: " + outdir.resolve(SparkSweep.TABLE_FILE) + "; best run: " + outdir.resolve("best"));
            }
            return 0;
        }
    }
}
