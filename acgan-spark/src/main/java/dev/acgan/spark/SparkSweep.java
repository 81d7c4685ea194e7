package dev.acgan.spark;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointMetadata;
import dev.acgan.api.checkpoint.SafeTensors;
import dev.acgan.api.data.DatasetSource;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.SpecJson;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.StepResult;
import dev.acgan.api.train.Trainer;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.api.train.TrainingListener;
import dev.acgan.eval.classifier.Classifier;
import dev.acgan.eval.classifier.ClassifierData;
import dev.acgan.eval.classifier.ImageSet;
import dev.acgan.eval.metrics.EvaluationReport;
import dev.acgan.eval.metrics.Evaluator;
import dev.acgan.eval.metrics.GeneratedSamples;
import dev.acgan.eval.render.LossPlot;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

/**
 * Sweeps: several recipes (typically seeds) trained as parallel Spark tasks, one complete local run per
 * task with the usual {@link GanTrainer}, each evaluated with the classifier (conditional accuracy,
 * classifier score, FID); the driver writes a ranked table ({@value #TABLE_FILE}, best first: conditional
 * accuracy, then FID; each run's recipe in its row) and keeps the best run complete in {@code best/}
 * (checkpoint, generator export, sample grid and GIF, {@code config.yaml}), as a run directory of
 * {@code acgan train}.
 */
public final class SparkSweep {

    /** The ranked table in the sweep's directory. */
    public static final String TABLE_FILE = "sweep.csv";

    private SparkSweep() {}

    /**
     * How to run and judge the sweep.
     *
     * @param dataset        the training data, as {@link dev.acgan.api.data.Datasets#fromSpec} reads it on each
     *                       executor
     * @param backend        the backend's name, or {@code null} for the default selection
     * @param threadsPerTask compute threads of each task's backend, 0 for the backend's default
     * @param classifier     the built-in classifier ({@code mnist}, {@code fashion-mnist}) that judges the runs
     * @param evalPerClass   generated images per class for the evaluation
     */
    public record Options(String dataset, String backend, int threadsPerTask, String classifier, int evalPerClass)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Checks the ranges, naming the field. */
        public Options {
            if (dataset == null || dataset.isBlank()) {
                throw new IllegalArgumentException("dataset must be given");
            }
            if (!Classifier.BUILT_IN.contains(classifier)) {
                throw new IllegalArgumentException(
                        "classifier must be one of " + Classifier.BUILT_IN + ", got '" + classifier + "'");
            }
            if (evalPerClass < 2 || threadsPerTask < 0) {
                throw new IllegalArgumentException("evaluation images per class >= 2 and threads per task >= 0 "
                        + "expected, got " + evalPerClass + ", " + threadsPerTask);
            }
        }
    }

    /**
     * One run of the sweep, judged.
     *
     * @param index               its position in the list of recipes
     * @param seed                its seed
     * @param batchSize           its batch size
     * @param learningRate        its Adam learning rate (both networks)
     * @param beta1               its Adam beta1 (both networks)
     * @param auxWeights          its class-loss weights {@code REAL,FAKE,GENERATOR}, as {@code --aux-weights}
     * @param steps               steps trained
     * @param conditionalAccuracy share of generated images the classifier puts in their requested class
     * @param classifierScore     classifier score (inception score with the classifier)
     * @param fid                 Frechet distance to the real test images in the classifier's features
     * @param seconds             the task's time (training and evaluation)
     * @param executor            where it ran
     * @param stateSha256         SHA-256 of its final state
     */
    public record Result(
            int index,
            long seed,
            int batchSize,
            double learningRate,
            double beta1,
            String auxWeights,
            long steps,
            double conditionalAccuracy,
            double classifierScore,
            double fid,
            double seconds,
            String executor,
            String stateSha256)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * A task's answer: the judged result, the run's checkpoint and its {@code metrics.csv} rows (one per step,
     * the first twelve columns of {@code acgan train}'s).
     */
    record Outcome(Result result, byte[] metadataJson, byte[] tensors, ArrayList<double[]> metrics)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** The header of the best run's {@code metrics.csv}: the loss columns of {@code acgan train}'s. */
    static final String METRICS_HEADER = "step,epoch,d_total,d_real_adv,d_fake_adv,d_real_aux,d_fake_aux,"
            + "g_total,g_adv,g_aux,seconds,images_per_second";

    /**
     * Trains every configuration as its own task (as many at once as the cluster has slots), ranks them and
     * writes {@code outdir/}{@value #TABLE_FILE} and {@code outdir/best/}. Returns the results best first.
     */
    public static List<Result> run(
            JavaSparkContext spark, ModelSpec spec, List<TrainingConfig> configs, Options options, Path outdir) {
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one configuration");
        }
        spec.validate();
        GanBackend backend = Backends.discover().select(options.backend());
        if (Files.exists(outdir.resolve(TABLE_FILE))) {
            throw new IllegalArgumentException(outdir + " already holds a sweep (" + TABLE_FILE + ")");
        }
        List<Integer> ids = IntStream.range(0, configs.size()).boxed().collect(Collectors.toList());
        List<Outcome> outcomes = spark.parallelize(ids, configs.size())
                .map(new RunOne(spec, configs, options))
                .collect();
        List<Outcome> ranked = new ArrayList<>(outcomes);
        ranked.sort(Comparator.comparingDouble((Outcome o) -> -o.result().conditionalAccuracy())
                .thenComparingDouble(o -> o.result().fid())
                .thenComparingInt(o -> o.result().index()));
        Outcome best = ranked.get(0);
        CheckpointMetadata meta;
        try {
            meta = SparkTraining.JSON.readValue(best.metadataJson(), CheckpointMetadata.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SparkTraining.RunFiles files = new SparkTraining.RunFiles(outdir.resolve("best"));
        files.prepare();
        Checkpoint c = new Checkpoint(
                meta, SafeTensors.decode(best.tensors(), "best run").tensors());
        files.writeCheckpoint(meta.position().step(), c, 1);
        files.writeGrid(backend, spec, meta.config().seed(), meta.position().step(), c.tensors());
        files.writeGif();
        writeMetrics(files.dir(), best, spec);
        SparkTraining.writeConfig(
                files.dir(),
                "The best run of a sweep (rank 1 of " + ranked.size() + " in " + outdir.resolve(TABLE_FILE)
                        + "), trained in one Spark task as acgan train does, written " + Instant.now() + ".\n"
                        + "The recipe again in one process: acgan train --config "
                        + files.dir().resolve(SparkTraining.CONFIG_FILE) + " --outdir NEW_DIR",
                spec,
                meta.config(),
                options.dataset(),
                backend.name(),
                meta.position().step(),
                1,
                meta.position().step(),
                null);
        StringBuilder table = new StringBuilder("rank,index,seed,batch_size,learning_rate,beta1,aux_weights,steps,"
                + "conditional_accuracy,classifier_score,fid,seconds,executor\n");
        int rank = 1;
        List<Result> results = new ArrayList<>();
        for (Outcome o : ranked) {
            Result r = o.result();
            results.add(r);
            table.append(String.format(
                    Locale.ROOT,
                    "%d,%d,%d,%d,%s,%s,\"%s\",%d,%.4f,%.4f,%.2f,%.1f,%s%n",
                    rank++,
                    r.index(),
                    r.seed(),
                    r.batchSize(),
                    r.learningRate(),
                    r.beta1(),
                    r.auxWeights(),
                    r.steps(),
                    r.conditionalAccuracy(),
                    r.classifierScore(),
                    r.fid(),
                    r.seconds(),
                    r.executor()));
        }
        try {
            Files.writeString(outdir.resolve(TABLE_FILE), table, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + outdir.resolve(TABLE_FILE), e);
        }
        return results;
    }

    /** The best run's {@code metrics.csv} (a row per step) and {@code loss.png} (every loss component). */
    private static void writeMetrics(Path dir, Outcome best, ModelSpec spec) {
        StringBuilder m = new StringBuilder(METRICS_HEADER).append('\n');
        List<StepLoss> rows = new ArrayList<>();
        for (double[] r : best.metrics()) {
            rows.add(new StepLoss(r));
            m.append((long) r[0]).append(',').append((long) r[1]);
            for (int i = 2; i < r.length; i++) {
                m.append(',').append(String.format(Locale.ROOT, i < 10 ? "%.6f" : "%.4f", r[i]));
            }
            m.append('\n');
        }
        try {
            Files.writeString(dir.resolve("metrics.csv"), m, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("metrics.csv"), e);
        }
        if (!rows.isEmpty()) {
            LossPlot.write(
                    rows,
                    spec.name() + ", run " + best.result().index() + " of the sweep, per step",
                    dir.resolve("loss.png"));
        }
    }

    /** A {@code metrics.csv} row as {@link LossPlot} reads it. */
    record StepLoss(double[] r) implements LossPlot.Row {
        @Override
        public long step() {
            return (long) r[0];
        }

        @Override
        public double dTotal() {
            return r[2];
        }

        @Override
        public double dRealAdv() {
            return r[3];
        }

        @Override
        public double dFakeAdv() {
            return r[4];
        }

        @Override
        public double dRealAux() {
            return r[5];
        }

        @Override
        public double dFakeAux() {
            return r[6];
        }

        @Override
        public double gTotal() {
            return r[7];
        }

        @Override
        public double gAdv() {
            return r[8];
        }

        @Override
        public double gAux() {
            return r[9];
        }
    }

    static double[] row(StepResult r) {
        double s = r.seconds();
        return new double[] {
            r.step(),
            r.epoch(),
            r.discriminator().total(),
            r.discriminator().realAdversarial(),
            r.discriminator().fakeAdversarial(),
            r.discriminator().realAuxiliary(),
            r.discriminator().fakeAuxiliary(),
            r.generator().total(),
            r.generator().adversarial(),
            r.generator().auxiliary(),
            s,
            s > 0 ? r.realImages() / s : 0
        };
    }

    /** One configuration, trained and judged in a task. */
    static final class RunOne implements Function<Integer, Outcome> {
        private static final long serialVersionUID = 1L;

        // The spec and configurations travel as JSON (the API's records are not java.io.Serializable).
        private final String spec;
        private final ArrayList<String> configs = new ArrayList<>();
        private final Options options;

        RunOne(ModelSpec spec, List<TrainingConfig> configs, Options options) {
            this.spec = SpecJson.toJson(spec);
            try {
                for (TrainingConfig c : configs) {
                    this.configs.add(SparkTraining.JSON.writeValueAsString(c));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            this.options = options;
        }

        @Override
        public Outcome call(Integer index) throws IOException {
            long t0 = System.nanoTime();
            SparkTraining.applyThreads(options.threadsPerTask());
            TrainingConfig cfg = SparkTraining.JSON.readValue(configs.get(index), TrainingConfig.class);
            ModelSpec spec = SpecJson.fromJson(this.spec);
            DatasetSource data = RoundTask.dataset(options.dataset());
            GanBackend backend = Backends.discover().select(options.backend());
            try (GanTrainer trainer = GanTrainer.create(backend, spec, cfg, data)) {
                ArrayList<double[]> metrics = new ArrayList<>();
                trainer.addListener(new TrainingListener() {
                    @Override
                    public void onStep(Trainer t, StepResult r) {
                        metrics.add(row(r));
                    }
                });
                trainer.run();
                Checkpoint c = trainer.checkpoint();
                byte[] tensors = SparkTraining.encode(c.tensors());
                Classifier classifier = Classifier.builtIn(options.classifier());
                ImageSet test = ClassifierData.test(options.classifier());
                ImageBatch generated = GeneratedSamples.generate(
                        trainer.model().generator(), options.evalPerClass(), GeneratedSamples.DEFAULT_SEED);
                EvaluationReport report =
                        Evaluator.evaluate(backend, classifier, test, generated, options.evalPerClass());
                Result r = new Result(
                        index,
                        cfg.seed(),
                        cfg.batchSize(),
                        cfg.generatorOptimizer().learningRate(),
                        cfg.generatorOptimizer().beta1(),
                        SparkTraining.auxWeights(cfg),
                        trainer.position().step(),
                        report.conditionalAccuracy(),
                        report.classifierScore(),
                        report.fid(),
                        (System.nanoTime() - t0) / 1e9,
                        RoundTask.executorName(),
                        SparkTraining.sha256(tensors));
                return new Outcome(r, SparkTraining.JSON.writeValueAsBytes(c.metadata()), tensors, metrics);
            }
        }
    }
}
