package dev.acgan.samples.cli;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointMetadata;
import dev.acgan.api.checkpoint.CheckpointType;
import dev.acgan.api.data.BatchIterator;
import dev.acgan.api.data.DatasetInfo;
import dev.acgan.api.data.DatasetSource;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.inject.TrainerFactory;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.train.AdamConfig;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.LearningRateSchedule;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.api.train.TrainingPosition;
import dev.acgan.eval.classifier.Classifier;
import dev.acgan.eval.metrics.GeneratedSamples;
import dev.acgan.samples.config.ConfigFiles;
import dev.acgan.samples.config.RunLength;
import dev.acgan.samples.config.TrainSettings;
import dev.acgan.samples.run.CheckpointStore;
import dev.acgan.samples.run.ProgressReporter;
import dev.acgan.samples.run.QualityProbe;
import dev.acgan.samples.run.RunLayout;
import dev.acgan.samples.run.TensorBoardEvents;
import dev.acgan.samples.run.TrainingSession;
import dev.acgan.tensorboard.TensorBoardListener;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code acgan train}: trains a GAN and writes checkpoints, sample grids, a GIF, loss plots and metrics. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Train a GAN; write checkpoints, sample grids, a progress GIF and loss plots.",
        description = {
            "Train a GAN. With no options: a quick first run of the ACGAN on the 10,000 MNIST digits embedded in "
                    + "the jar, " + TrainSettings.QUICK_STEPS + " steps of batch " + TrainSettings.DEFAULT_BATCH_SIZE
                    + " on the default backend (a few minutes on 2 CPU cores), into runs/acgan-<timestamp>. Train "
                    + "longer with --epochs or --steps, or continue a run with --resume.",
            "",
            "Settings come from, lowest precedence first: built-in defaults, the run being resumed (its "
                    + "config.yaml and checkpoint), --config FILE.yaml, the command line. Every option below except "
                    + "--config, --resume and --progress can be set in the file, keyed by its long name without "
                    + "dashes (batch-size: 16).",
            ""
        },
        footer = {
            "",
            "Writes into the output directory:",
            "  checkpoints/step-NNNNNNNNN/      training checkpoints (--checkpoint-every,",
            "                                   epoch ends, the end; last --keep kept)",
            "  checkpoints/latest               name of the newest one",
            "  generator/                       generator-only export of the newest one",
            "  samples/grid-step-NNNNNNNNN.png  one row per class, fixed noise",
            "  samples/progress.gif             all grids, animated",
            "  loss.png, metrics.csv            losses (total and parts) per step",
            "  config.yaml                      the effective settings",
            "and, with --tensorboard DIR, TensorBoard event files into DIR.",
            "",
            "Ctrl-C stops after the current step and writes a checkpoint; continue with",
            "'acgan train --resume OUTDIR'."
        })
final class TrainCommand implements Callable<Integer> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainCommand.class);

    @Spec
    CommandSpec spec;

    @Option(
            names = "--backend",
            paramLabel = "NAME",
            description = "Backend (see 'acgan backends'). Default: -Dacgan.backend, ACGAN_BACKEND, else the "
                    + "highest priority.")
    String backend;

    @Option(
            names = {"-m", "--model"},
            paramLabel = "MODEL",
            description = "acgan | cgan | gan, or a preset name (acgan-hq, acgan-mnist, cgan-mnist, gan-mlp). Default: "
                    + TrainSettings.DEFAULT_MODEL + ".")
    String model;

    @Option(
            names = {"-d", "--dataset"},
            paramLabel = "SPEC",
            description = Datasets.SPEC_FORMS + ". Default: " + TrainSettings.DEFAULT_DATASET
                    + " (10,000 digits embedded in the jar).")
    String dataset;

    @Option(
            names = {"-e", "--epochs"},
            paramLabel = "N",
            description = "Passes over the dataset (no step limit unless --steps is given too).")
    Integer epochs;

    @Option(
            names = {"-s", "--steps"},
            paramLabel = "N",
            description = "Stop at this total step (counted from the start of the run, also when resuming). "
                    + "Default when neither --epochs nor --steps is given: " + TrainSettings.QUICK_STEPS + ".")
    Long steps;

    @Option(
            names = {"-b", "--batch-size"},
            paramLabel = "N",
            description = "Real images per step. Default: " + TrainSettings.DEFAULT_BATCH_SIZE + ".")
    Integer batchSize;

    @Option(
            names = "--latent-dim",
            paramLabel = "N",
            description = "Length of the noise vector. Default: " + TrainSettings.DEFAULT_LATENT_DIM + ".")
    Integer latentDim;

    @Option(
            names = {"--learning-rate", "--lr"},
            paramLabel = "LR",
            description = "Adam learning rate of both networks. Default: 0.0002.")
    Double learningRate;

    @Option(
            names = "--beta1",
            paramLabel = "B1",
            description = "Adam beta1 of both networks. Default: " + TrainSettings.DEFAULT_BETA1 + ".")
    Double beta1;

    @Option(
            names = "--label-smoothing",
            paramLabel = "T",
            description = "Target of real images (one-sided label smoothing; 1 = none). Default: "
                    + TrainSettings.DEFAULT_LABEL_SMOOTHING + ".")
    Double labelSmoothing;

    @Option(
            names = "--aux-weights",
            paramLabel = "R,F,G",
            description = "ACGAN class-loss weights: on real images and on fakes in the discriminator step, and "
                    + "in the generator step. Default: the model's recipe (acgan-fast: 2,0,3; the seed "
                    + "reproductions: 1,1,1; the older Keras example: 2,0,1).")
    String auxWeights;

    @Option(
            names = "--ema",
            paramLabel = "DECAY",
            description = "Keep an exponential moving average of the generator's weights with this decay, in "
                    + "[0, 1) (e.g. 0.999, an average over about the last 1,000 steps); the sample grids, "
                    + "--eval-every, generator/ and everything that loads the run's generator use it, and "
                    + "metrics.csv also gets the raw generator's numbers. 0: off. Default: 0 (a resumed run: its "
                    + "own).")
    Double ema;

    @Option(
            names = "--lr-schedule",
            paramLabel = "FACTOR@STEP,...",
            description = "Multiply both learning rates by FACTOR after STEP steps, e.g. 0.5@6000 (half the rate "
                    + "for the second half of a 12,000-step run) or 0.5@6000,0.25@9000; the model is compiled "
                    + "again at each milestone with its Adam state. \"\": the constant rate. Default: constant "
                    + "(a resumed run: its own).")
    String lrSchedule;

    @Option(
            names = "--seed",
            paramLabel = "S",
            description = "The one seed of weights, data order, noise and dropout. Default: "
                    + TrainSettings.DEFAULT_SEED + ".")
    Long seed;

    @Option(
            names = {"-o", "--outdir"},
            paramLabel = "DIR",
            description = "Output directory. Default: runs/<model>-<yyyyMMdd-HHmmss> (a new run), or the "
                    + "resumed run's directory.")
    String outdir;

    @Option(
            names = "--checkpoint-every",
            paramLabel = "N",
            description = "Write a training checkpoint every N steps (0: only at epoch ends and the end). "
                    + "Default: " + TrainSettings.DEFAULT_CHECKPOINT_EVERY + ".")
    Long checkpointEvery;

    @Option(
            names = "--keep",
            paramLabel = "K",
            description = "Keep the last K training checkpoints. Default: " + TrainSettings.DEFAULT_KEEP + ".")
    Integer keep;

    @Option(
            names = "--sample-every",
            paramLabel = "N",
            description = "Write a sample grid every N steps (0: only at epoch ends and the end). Default: "
                    + TrainSettings.DEFAULT_SAMPLE_EVERY + ".")
    Long sampleEvery;

    @Option(
            names = "--log-every",
            paramLabel = "N",
            description = "Progress log line every N steps when not on a terminal. Default: "
                    + TrainSettings.DEFAULT_LOG_EVERY + ".")
    Long logEvery;

    @Option(
            names = "--eval-every",
            paramLabel = "N",
            description = "Measure the generator every N steps and at the end, as 'acgan evaluate' does (conditional "
                    + "accuracy, classifier score, FID of " + GeneratedSamples.DEFAULT_COUNT_PER_CLASS
                    + " images per class), into metrics.csv, the log and loss.png; 0: never. Default: "
                    + TrainSettings.DEFAULT_EVAL_EVERY + " where a classifier fits the dataset (mnist, "
                    + "fashion-mnist, or --eval-classifier), else 0.")
    Long evalEvery;

    @Option(
            names = "--eval-classifier",
            paramLabel = "mnist|fashion-mnist|FILE",
            description = "Classifier of --eval-every: a built-in one or a file from 'acgan train-classifier'. "
                    + "Default: the built-in one of the dataset.")
    String evalClassifier;

    @Option(
            names = "--precision",
            paramLabel = "fp32|bf16|auto",
            description = "Arithmetic of convolutions and matrix products: fp32; bf16 (mixed precision: bfloat16 "
                    + "products with float32 accumulation, float32 weights and optimizer), on a backend and CPU "
                    + "that can (see 'acgan backends'), else an error; auto: bf16 where the backend can here, "
                    + "else fp32. Default: fp32 (a resumed run: its own).")
    String precision;

    @Option(
            names = "--tensorboard",
            paramLabel = "DIR",
            description = "Also write TensorBoard event files into DIR (created if needed): every loss component "
                    + "and images/s per step, the --eval-every quality, the sample grids and config.yaml; view with "
                    + "'tensorboard --logdir DIR'. A resumed run continues logging there. Default: none.")
    String tensorboard;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE.yaml",
            description = "Read settings from a YAML file (e.g. a run's config.yaml); the command line wins.")
    Path config;

    @Option(
            names = "--resume",
            paramLabel = "DIR",
            description = "Continue a run: its output directory (uses checkpoints/latest) or a checkpoint "
                    + "directory. Model, seed, batch size and optimizer come from the checkpoint, so the run "
                    + "continues exactly; --steps/--epochs may extend it.")
    Path resume;

    @Option(
            names = "--progress",
            paramLabel = "MODE",
            defaultValue = "auto",
            description = "auto | bar | log: a progress bar on a terminal, log lines otherwise. Default: auto.")
    String progress;

    @Override
    public Integer call() {
        TrainSettings cli = commandLineLayer();
        TrainSettings file = config == null ? new TrainSettings() : ConfigFiles.read(config);
        ProgressReporter.Mode mode = progressMode();
        return resume == null ? startNew(file, cli, mode) : continueRun(file, cli, mode);
    }

    /** The effective settings: defaults, then the resumed run's config, then the file, then the command line. */
    static TrainSettings effective(TrainSettings run, TrainSettings file, TrainSettings cli) {
        return TrainSettings.defaults().overlay(run).overlay(file).overlay(cli);
    }

    /** The options given on the command line as a settings layer (null where not given). */
    TrainSettings commandLineLayer() {
        TrainSettings s = new TrainSettings();
        s.backend = backend;
        s.model = model;
        s.dataset = dataset;
        s.epochs = epochs;
        s.steps = steps;
        s.batchSize = batchSize;
        s.latentDim = latentDim;
        s.learningRate = learningRate;
        s.beta1 = beta1;
        s.labelSmoothing = labelSmoothing;
        s.auxWeights = auxWeights;
        s.ema = ema;
        s.lrSchedule = lrSchedule;
        s.seed = seed;
        s.outdir = outdir;
        s.checkpointEvery = checkpointEvery;
        s.keep = keep;
        s.sampleEvery = sampleEvery;
        s.logEvery = logEvery;
        s.evalEvery = evalEvery;
        s.evalClassifier = evalClassifier;
        s.tensorboard = tensorboard;
        s.precision =
                precision == null ? null : PrecisionOption.parse(precision).label();
        return s;
    }

    private ProgressReporter.Mode progressMode() {
        return switch (progress.toLowerCase(Locale.ROOT)) {
            case "auto" -> System.console() != null ? ProgressReporter.Mode.BAR : ProgressReporter.Mode.LOG;
            case "bar" -> ProgressReporter.Mode.BAR;
            case "log" -> ProgressReporter.Mode.LOG;
            default ->
                throw new CliException(
                        "--progress must be auto, bar or log, got '" + progress + "'", AcganCli.EXIT_USAGE);
        };
    }

    // ---------------------------------------------------------------------------------------------
    // A new run

    private int startNew(TrainSettings file, TrainSettings cli, ProgressReporter.Mode mode) {
        TrainSettings s = effective(null, file, cli).validate();
        String preset = Models.preset(s.model);
        DatasetSource data = Datasets.fromSpec(s.dataset);
        DatasetInfo info = data.info();
        ModelSpec modelSpec = Presets.byName(preset, info.image(), info.numClasses(), s.latentDim);
        TrainerFactory factory = Wiring.injector(s.backend).getInstance(TrainerFactory.class);
        int perEpoch = BatchIterator.batchesPerEpoch(data.size(), s.batchSize);
        RunLength length = RunLength.of(s.epochs, s.steps, perEpoch);
        AdamConfig adam =
                AdamConfig.acganDefaults().withLearningRate(s.learningRate).withBeta1(s.beta1);
        s.precision = s.precision == null ? Precision.FP32.label() : s.precision;
        Precision asked = Precision.parse(s.precision, "--precision");
        // An unavailable precision fails here, before the output directory is touched.
        Precision resolved = factory.backend().resolvePrecision(asked);
        TrainingConfig cfg = TrainingConfig.forPreset(preset)
                .withSeed(s.seed)
                .withBatchSize(s.batchSize)
                .withEpochs(length.epochs())
                .withMaxSteps(length.maxSteps())
                .withOptimizers(adam, adam)
                .withLabelSmoothing((float) (double) s.labelSmoothing)
                .withPrecision(resolved)
                .withGeneratorEma(s.ema == null ? 0 : s.ema)
                .withLearningRateSchedule(LearningRateSchedule.parse(s.lrSchedule));
        s.ema = cfg.emaEnabled() ? cfg.generatorEma() : null;
        s.lrSchedule = scheduleSetting(cfg);
        if (s.auxWeights != null) {
            float[] w = TrainSettings.auxWeights(s.auxWeights);
            cfg = cfg.withAuxiliaryWeights(w[0], w[1], w[2]);
        }
        s.auxWeights = TrainSettings.auxWeights(cfg);

        Classifier evalClassifier = evalClassifier(s, modelSpec, info);
        Path dir = s.outdir != null ? Path.of(s.outdir) : defaultOutdir(s.model);
        RunLayout layout = new RunLayout(dir);
        if (layout.holdsRun()) {
            throw new CliException("output directory " + dir + " already holds a training run; continue it with "
                    + "--resume " + dir + " or choose another --outdir");
        }
        TensorBoardEvents.checkDirectory(s.tensorboard, true);
        layout.prepare();
        s.backend = factory.backend().name();
        s.outdir = dir.toString();
        s.epochs = length.epochs();
        s.steps = length.maxSteps() > 0 ? length.maxSteps() : null;
        ConfigFiles.write(s, configHeader(dir), layout.config());

        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "Training %s (%s, %s, %d classes, latent %d) on %s with %s%n",
                modelSpec.name(),
                modelSpec.kind(),
                modelSpec.image(),
                modelSpec.numClasses(),
                modelSpec.latentDim(),
                info.name(),
                factory.backend().name());
        out.printf(
                Locale.ROOT,
                "  %d steps (%d epoch%s of %d batches of %d), seed %d -> %s%n",
                length.endStep(perEpoch),
                length.epochs(),
                length.epochs() == 1 ? "" : "s",
                perEpoch,
                s.batchSize,
                s.seed,
                dir);
        printCompute(out, factory.backend(), asked, resolved);
        printEma(out, cfg);
        printSchedule(out, cfg);
        out.flush();
        try (GanTrainer trainer = factory.create(modelSpec, cfg, data)) {
            return runSession(layout, trainer, s, mode, evalClassifier, factory.backend(), null);
        }
    }

    private static Path defaultOutdir(String model) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String base = model.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_") + "-" + stamp;
        Path p = Path.of("runs", base);
        for (int i = 2; Files.exists(p); i++) {
            p = Path.of("runs", base + "-" + i);
        }
        return p;
    }

    private static String configHeader(Path dir) {
        return "Effective settings of 'acgan train', written "
                + LocalDateTime.now().withNano(0) + ".\n"
                + "Train again with these settings: acgan train --config " + dir.resolve("config.yaml")
                + " --outdir NEW_DIR\n"
                + "Continue this run:               acgan train --resume " + dir + " --steps N";
    }

    // ---------------------------------------------------------------------------------------------
    // Resuming

    private int continueRun(TrainSettings file, TrainSettings cli, ProgressReporter.Mode mode) {
        TrainSettings explicit = file.overlay(cli);
        Path[] found = locateResume(resume);
        Path runDir = found[0];
        Path ckptDir = found[1];
        Checkpoint ckpt = Checkpoint.read(ckptDir);
        CheckpointMetadata meta = ckpt.metadata();
        if (meta.type() != CheckpointType.TRAINING) {
            throw new CliException(ckptDir + " is a " + meta.type().name().toLowerCase(Locale.ROOT)
                    + "-only export; --resume needs a training checkpoint (a run directory or its "
                    + "checkpoints/step-N)");
        }
        RunLayout runLayout = runDir == null ? null : new RunLayout(runDir);
        TrainSettings runCfg = runLayout != null && Files.isRegularFile(runLayout.config())
                ? ConfigFiles.read(runLayout.config())
                : new TrainSettings();
        // A run continues on the backend it used unless --backend, the file, -Dacgan.backend or ACGAN_BACKEND
        // names another (checkpoints are backend-neutral, so any backend can continue any run).
        if (System.getProperty("acgan.backend") != null || System.getenv("ACGAN_BACKEND") != null) {
            runCfg.backend = null;
        }
        TrainSettings s = effective(runCfg, file, cli).validate();
        ModelSpec modelSpec = meta.spec();
        TrainingConfig old = meta.config();
        if (old == null) {
            throw new CliException(ckptDir + " has no training configuration; it cannot be resumed");
        }
        String resumed = "the run being resumed";
        same("--model", explicit.model, m -> Models.preset(m).equals(modelSpec.name()), modelSpec.name(), resumed);
        same("--latent-dim", explicit.latentDim, v -> v == modelSpec.latentDim(), modelSpec.latentDim(), resumed);
        same("--batch-size", explicit.batchSize, v -> v == old.batchSize(), old.batchSize(), resumed);
        same("--seed", explicit.seed, v -> v == old.seed(), old.seed(), resumed);
        same(
                "--learning-rate",
                explicit.learningRate,
                v -> v == old.generatorOptimizer().learningRate(),
                old.generatorOptimizer().learningRate(),
                resumed);
        same(
                "--beta1",
                explicit.beta1,
                v -> v == old.generatorOptimizer().beta1(),
                old.generatorOptimizer().beta1(),
                resumed);
        same(
                "--label-smoothing",
                explicit.labelSmoothing,
                v -> (float) (double) v == old.realLabel(),
                old.realLabel(),
                resumed);
        same(
                "--aux-weights",
                explicit.auxWeights,
                v -> java.util.Arrays.equals(
                        TrainSettings.auxWeights(v), TrainSettings.auxWeights(TrainSettings.auxWeights(old))),
                TrainSettings.auxWeights(old),
                resumed);
        if (s.model == null || !Models.preset(s.model).equals(modelSpec.name())) {
            s.model = modelSpec.name();
        }
        s.latentDim = modelSpec.latentDim();
        s.batchSize = old.batchSize();
        s.seed = old.seed();
        s.learningRate = old.generatorOptimizer().learningRate();
        s.beta1 = old.generatorOptimizer().beta1();
        s.labelSmoothing = Double.parseDouble(Float.toString(old.realLabel()));
        s.auxWeights = TrainSettings.auxWeights(old);

        DatasetSource data = Datasets.fromSpec(s.dataset);
        if (meta.dataset() != null && !meta.dataset().equals(data.info().name())) {
            LOG.warn(
                    "{} was trained on '{}' but continues on '{}'",
                    ckptDir,
                    meta.dataset(),
                    data.info().name());
        }
        int perEpoch = BatchIterator.batchesPerEpoch(data.size(), old.batchSize());
        // The precision asked for (command line, file, the run's config.yaml), else the checkpoint's.
        Precision asked = s.precision != null ? Precision.parse(s.precision, "--precision") : old.precision();
        TrainerFactory factory = Wiring.injector(s.backend).getInstance(TrainerFactory.class);
        // Only a --precision given now (command line or --config) may change a run's arithmetic; config.yaml's or the
        // checkpoint's precision that cannot run here is an error that says how to continue.
        Optional<String> unavailable = factory.backend().precisionUnavailable(asked);
        if (explicit.precision == null && unavailable.isPresent()) {
            throw new CliException(ckptDir + " was trained in " + asked.label() + ", which backend "
                    + factory.backend().name() + " cannot compute here (" + unavailable.get()
                    + "); continue it in fp32 with --precision fp32 (or auto)");
        }
        Precision resolved = factory.backend().resolvePrecision(asked);
        if (resolved != old.precision()) {
            LOG.warn(
                    "{} was trained in {}; it continues in {}{}",
                    ckptDir,
                    old.precision().label(),
                    resolved.label(),
                    explicit.precision == null ? " (--precision " + asked.label() + " of its configuration)" : "");
        }
        s.precision = asked.label();
        TrainingConfig cfg = old.withPrecision(resolved)
                .withGeneratorEma(s.ema != null ? s.ema : old.generatorEma())
                .withLearningRateSchedule(
                        s.lrSchedule != null ? LearningRateSchedule.parse(s.lrSchedule) : old.learningRateSchedule());
        s.ema = cfg.emaEnabled() ? cfg.generatorEma() : null;
        s.lrSchedule = scheduleSetting(cfg);
        if (explicit.epochs != null || explicit.steps != null) {
            RunLength length = RunLength.of(explicit.epochs, explicit.steps, perEpoch);
            cfg = cfg.withEpochs(length.epochs()).withMaxSteps(length.maxSteps());
        }
        TrainingPosition pos = meta.position();
        RunLength length = new RunLength(cfg.epochs(), cfg.maxSteps());
        long end = length.endStep(perEpoch);
        if (pos.step() >= end || pos.epoch() >= cfg.epochs()) {
            throw new CliException(ckptDir + " is at step " + pos.step() + ", already "
                    + (explicit.epochs != null || explicit.steps != null
                            ? "at or beyond the end set by --steps/--epochs"
                            : "the end of its run")
                    + " (step " + end + "); pass a larger --steps or --epochs to train further");
        }

        Path dir;
        if (explicit.outdir != null
                && (runDir == null
                        || !Path.of(explicit.outdir)
                                .toAbsolutePath()
                                .normalize()
                                .equals(runDir.toAbsolutePath().normalize()))) {
            dir = Path.of(explicit.outdir);
            if (new RunLayout(dir).holdsRun()) {
                throw new CliException("output directory " + dir + " already holds a training run; resume into "
                        + "the run's own directory or choose an empty --outdir");
            }
        } else if (runDir != null) {
            dir = runDir;
        } else {
            throw new CliException(ckptDir + " is not inside a run directory (OUTDIR/checkpoints/step-N); pass "
                    + "--outdir for the continued run");
        }
        TensorBoardEvents.checkDirectory(s.tensorboard, false);
        RunLayout layout = new RunLayout(dir).prepare();
        Classifier evalClassifier = evalClassifier(s, modelSpec, data.info());

        s.backend = factory.backend().name();
        s.outdir = dir.toString();
        s.epochs = cfg.epochs();
        s.steps = cfg.maxSteps() > 0 ? cfg.maxSteps() : null;
        ConfigFiles.write(s, configHeader(dir), layout.config());

        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "Resuming %s from %s (step %d, epoch %d) on %s with %s%n",
                modelSpec.name(),
                ckptDir,
                pos.step(),
                pos.epoch() + 1,
                data.info().name(),
                factory.backend().name());
        out.printf(
                Locale.ROOT,
                "  until step %d (%d epochs of %d batches of %d), seed %d -> %s%n",
                end,
                cfg.epochs(),
                perEpoch,
                cfg.batchSize(),
                cfg.seed(),
                dir);
        printCompute(out, factory.backend(), asked, resolved);
        printEma(out, cfg);
        printSchedule(out, cfg);
        out.flush();
        // TrainerFactory.resume(Path, data) keeps the checkpoint's limits; the longer run needs the config.
        try (GanTrainer trainer = GanTrainer.resume(factory.backend(), ckpt, cfg, data)) {
            return runSession(layout, trainer, s, mode, evalClassifier, factory.backend(), ckptDir);
        }
    }

    /** The line that says which precision and instruction set compute the run. */
    static void printCompute(PrintWriter out, GanBackend backend, Precision asked, Precision resolved) {
        out.printf(
                Locale.ROOT,
                "  compute: %s%s%n",
                backend.describeCompute(resolved),
                asked == Precision.AUTO ? " (chosen by --precision auto)" : "");
    }

    /** The {@code lr-schedule} setting that config.yaml records: absent for the constant rate. */
    private static String scheduleSetting(TrainingConfig cfg) {
        return cfg.learningRateSchedule().isConstant()
                ? null
                : cfg.learningRateSchedule().toString();
    }

    /** With {@code --lr-schedule}: the line that says when the learning rates change. */
    static void printSchedule(PrintWriter out, TrainingConfig cfg) {
        if (!cfg.learningRateSchedule().isConstant()) {
            StringBuilder b = new StringBuilder();
            for (LearningRateSchedule.Milestone m : cfg.learningRateSchedule().milestones()) {
                b.append(b.length() == 0 ? "" : ", ")
                        .append(String.format(
                                Locale.ROOT,
                                "%s after step %d",
                                cfg.generatorOptimizer().learningRate() * m.factor(),
                                m.step()));
            }
            out.printf(
                    Locale.ROOT,
                    "  learning rate: %s, then %s (--lr-schedule %s)%n",
                    cfg.generatorOptimizer().learningRate(),
                    b,
                    cfg.learningRateSchedule());
        }
    }

    /** With {@code --ema}: the line that says the samples and the exported generator are the average. */
    static void printEma(PrintWriter out, TrainingConfig cfg) {
        if (cfg.emaEnabled()) {
            out.printf(
                    Locale.ROOT,
                    "  generator EMA: decay %s, updated every %d steps; sample grids, quality and generator/ use "
                            + "the averaged weights%n",
                    cfg.generatorEma(),
                    GanTrainer.EMA_EVERY);
        }
    }

    /** The run directory (or null) and the checkpoint directory that {@code --resume DIR} names. */
    static Path[] locateResume(Path p) {
        if (!Files.exists(p)) {
            throw new CliException("--resume " + p + ": no such directory");
        }
        if (Files.isRegularFile(p.resolve(Checkpoint.METADATA_FILE))) {
            Path parent = p.toAbsolutePath().normalize().getParent();
            Path name = parent == null ? null : parent.getFileName();
            Path run = name != null && name.toString().equals("checkpoints") ? parent.getParent() : null;
            return new Path[] {run, p};
        }
        Optional<Path> latest = CheckpointStore.latest(new RunLayout(p));
        if (latest.isEmpty()) {
            throw new CliException("--resume " + p + ": no training checkpoint there (expected a run directory with "
                    + "checkpoints/latest, or a checkpoint directory with " + Checkpoint.METADATA_FILE + ")");
        }
        return new Path[] {p, latest.get()};
    }

    private static <T> void same(String option, T given, Predicate<T> matches, Object actual, String what) {
        if (given != null && !matches.test(given)) {
            throw new CliException(option + " " + given + " differs from " + what + " (" + actual + "); a resumed run "
                    + "keeps its model, seed, batch size and optimizer settings so that it continues exactly. Start "
                    + "a new run to change them");
        }
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * The classifier of {@code --eval-every}, or null for no measurements; sets {@code s.evalEvery} to the
     * interval used, so that {@code config.yaml} records it.
     */
    static Classifier evalClassifier(TrainSettings s, ModelSpec model, DatasetInfo data) {
        boolean explicit = s.evalEvery != null;
        long every = explicit ? s.evalEvery : TrainSettings.DEFAULT_EVAL_EVERY;
        boolean fits = s.evalClassifier != null || EvaluateCommand.builtInFor(data.name()) != null;
        if (every > 0 && !fits && explicit) {
            throw new CliException("--eval-every needs a classifier for dataset '" + data.name() + "': only mnist and "
                    + "fashion-mnist have built-in ones; pass --eval-classifier FILE (from 'acgan train-classifier') "
                    + "or --eval-every 0");
        }
        if (every == 0 || !fits) {
            s.evalEvery = 0L;
            return null;
        }
        Classifier c = EvaluateCommand.chooseClassifier("--eval-classifier", s.evalClassifier, data.name());
        EvaluateCommand.checkFits(c, model);
        s.evalEvery = every;
        return c;
    }

    private int runSession(
            RunLayout layout,
            GanTrainer trainer,
            TrainSettings s,
            ProgressReporter.Mode mode,
            Classifier evalClassifier,
            GanBackend backend,
            Path resumedFrom) {
        try (QualityProbe quality =
                        evalClassifier == null ? null : new QualityProbe(evalClassifier, backend, s.evalEvery);
                TensorBoardListener tensorBoard = TensorBoardEvents.open(s.tensorboard, trainer, layout);
                TrainingSession session = new TrainingSession(
                        layout,
                        trainer,
                        new TrainingSession.Options(
                                s.checkpointEvery, s.keep, s.sampleEvery, s.logEvery, mode, quality),
                        spec.commandLine().getErr(),
                        trainer.model().spec().name())) {
            if (tensorBoard != null) {
                trainer.addListener(tensorBoard);
                session.addEvents(new TensorBoardEvents(tensorBoard));
            }
            TrainingSession.Result r = session.run(resumedFrom);
            if (r.diverged() != null) {
                throw new CliException(r.diverged().getMessage() + "; nothing of that state was written, "
                        + (r.checkpoint() == null
                                ? "and no checkpoint had been written before it"
                                : "the last good checkpoint is " + r.checkpoint() + " (checkpoints/latest)")
                        + ". Try a lower --learning-rate");
            }
            printSummary(layout, r, trainer, s);
            return r.interrupted() ? AcganCli.EXIT_INTERRUPTED : AcganCli.EXIT_OK;
        }
    }

    private void printSummary(RunLayout layout, TrainingSession.Result r, GanTrainer trainer, TrainSettings s) {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = layout.dir();
        long trained = r.step() - r.startStep();
        if (r.interrupted()) {
            out.printf(
                    Locale.ROOT,
                    "Interrupted at step %d after %d step%s in %s; checkpoint written.%n",
                    r.step(),
                    trained,
                    trained == 1 ? "" : "s",
                    ProgressReporter.duration(r.seconds()));
        } else {
            out.printf(
                    Locale.ROOT,
                    "Done: step %d (epoch %d of %d) after %d step%s in %s.%n",
                    r.step(),
                    Math.min(r.epoch() + 1, trainer.config().epochs()),
                    trainer.config().epochs(),
                    trained,
                    trained == 1 ? "" : "s",
                    ProgressReporter.duration(r.seconds()));
        }
        out.println("Outputs in " + dir + ":");
        row(out, layout, r.checkpoint(), "training checkpoint (latest; the last " + s.keep + " are kept)");
        row(
                out,
                layout,
                layout.generator(),
                "generator-only export"
                        + (trainer.emaEnabled()
                                ? " (EMA weights, decay " + trainer.config().generatorEma() + ")"
                                : ""));
        row(
                out,
                layout,
                r.lastGrid(),
                "newest sample grid"
                        + (r.quality() != null && r.quality().step() == r.step()
                                ? String.format(
                                        Locale.ROOT,
                                        " (%s)",
                                        TrainingSession.qualityLine(r.quality()).replaceFirst("^step \\d+: ", ""))
                                : ""));
        row(out, layout, layout.progressGif(), "all sample grids, animated");
        out.printf(
                "  %-34s %s%n",
                "loss.png, metrics.csv",
                "losses per step"
                        + (s.evalEvery != null && s.evalEvery > 0 ? ", quality every " + s.evalEvery + " steps" : ""));
        row(out, layout, layout.config(), "effective settings");
        if (s.tensorboard != null) {
            out.printf("  %-34s %s%n", "TensorBoard: " + s.tensorboard, "tensorboard --logdir " + s.tensorboard);
        }
        out.println("Next:");
        out.println("  acgan generate --checkpoint " + dir + " --class all --count 10 --out samples.png");
        out.println(
                "  acgan train --resume " + dir + (r.interrupted() ? "" : " --steps " + Math.max(r.step() * 2, 1000)));
        out.flush();
    }

    private static void row(PrintWriter out, RunLayout layout, Path p, String what) {
        String rel = p == null
                ? "-"
                : Objects.toString(layout.dir()
                        .toAbsolutePath()
                        .normalize()
                        .relativize(p.toAbsolutePath().normalize()));
        if (p != null && Files.isDirectory(p)) {
            rel += "/";
        }
        out.printf("  %-34s %s%n", rel, what);
    }
}
