package dev.acgan.samples.web;

import dev.acgan.api.data.BatchIterator;
import dev.acgan.api.data.DatasetInfo;
import dev.acgan.api.data.DatasetSource;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.inject.TrainerFactory;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.BackendException;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.train.AdamConfig;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.eval.classifier.Classifier;
import dev.acgan.samples.cli.CliException;
import dev.acgan.samples.config.ConfigFiles;
import dev.acgan.samples.config.RunLength;
import dev.acgan.samples.config.TrainSettings;
import dev.acgan.samples.run.CheckpointStore;
import dev.acgan.samples.run.MetricsRow;
import dev.acgan.samples.run.ProgressReporter;
import dev.acgan.samples.run.QualityProbe;
import dev.acgan.samples.run.RunLayout;
import dev.acgan.samples.run.TrainingSession;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one training the server runs at a time, started from the Train page: a {@link TrainingSession}
 * on its own thread writing the usual run directory under {@code --outdir}, paused, resumed and stopped
 * from the page (a stop, like Ctrl-C, finishes the step and writes a checkpoint), and watched through
 * server-sent events: {@code snapshot} (everything, on connect), {@code state} (on every change of
 * state), {@code progress} (a few times a second while it trains, with the new loss points),
 * {@code grid} and {@code checkpoint} (when one was written).
 */
@Singleton
public final class TrainingManager {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingManager.class);
    /** Training checkpoints a web run keeps. */
    static final int KEEP = 3;
    /** Progress log lines on the server's console every so many steps. */
    static final long LOG_EVERY = 50;
    /** How often progress goes out to the pages. */
    static final long FLUSH_MS = 250;
    /** Steps the ETA and speed are measured over. */
    static final int WINDOW = 50;
    /**
     * Loss points kept for pages that connect later: beyond twice this many, the points already sent are
     * merged pairwise (means), so a long run keeps its whole curve at a coarser resolution.
     */
    static final int KEPT_POINTS = 10_000;

    /** Guards the current run and its progress, from HTTP threads and the training thread alike. */
    private final Object lock = new Object();

    /** Where a training stands. */
    public enum Status {
        /** None started yet. */
        IDLE,
        /** Loading the data and compiling the model. */
        STARTING,
        /** Training. */
        RUNNING,
        /** Held between steps. */
        PAUSED,
        /** Finishing the step and writing a checkpoint. */
        STOPPING,
        /** Reached its end. */
        FINISHED,
        /** Stopped early; its checkpoint is written. */
        STOPPED,
        /** Failed; see the message. */
        FAILED;

        /** Whether it holds the server's one training slot. */
        public boolean active() {
            return this == STARTING || this == RUNNING || this == PAUSED || this == STOPPING;
        }

        /** The name the pages use. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final ServeOptions options;
    private final Backends backends;
    private final EventHub hub;
    private final ScheduledExecutorService flusher;
    private Run current;
    private int runs;
    private boolean shutdown;

    @Inject
    TrainingManager(ServeOptions options, Backends backends, EventHub hub) {
        this.options = options;
        this.backends = backends;
        this.hub = hub;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "acgan-web-progress");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------------------------------------
    // Requests

    /** The current (or last) training's state, without the loss points. */
    public Map<String, Object> status() {
        synchronized (lock) {
            return current == null ? idle() : current.state(false);
        }
    }

    /** Starts a training; 409 when one is active. */
    public Map<String, Object> start(TrainRequest req) {
        GanBackend backend = backends.select(req.backend() != null ? req.backend() : options.backend());
        try {
            // refused now, not after the run has started: e.g. serve --precision bf16 and nd4j picked on the page
            backend.resolvePrecision(options.precision());
        } catch (BackendException e) {
            throw WebException.badRequest(e.getMessage());
        }
        synchronized (lock) {
            if (shutdown) {
                throw new WebException(503, "the server is stopping");
            }
            if (current != null && current.status.active()) {
                throw WebException.conflict("a training is already running (" + current.describe() + "); only one "
                        + "runs at a time: stop it first, or watch it here");
            }
            Path dir = newRunDir();
            try {
                new RunLayout(dir).prepare();
            } catch (CliException e) {
                throw new WebException(500, e.getMessage());
            }
            Run run = new Run(++runs, req, dir, backend);
            current = run;
            LOG.info(
                    "training #{} started from the page: {} on {} with {}, into {}",
                    run.id,
                    req.preset(),
                    req.dataset(),
                    backend.name(),
                    dir);
            hub.broadcast("snapshot", run.state(true));
            Thread t = new Thread(run::train, "acgan-web-training-" + run.id);
            run.thread = t;
            t.start();
            return run.state(false);
        }
    }

    /** Holds the running training after its current step. */
    public Map<String, Object> pause() {
        synchronized (lock) {
            Run r = active("pause");
            if (r.status != Status.RUNNING) {
                throw WebException.conflict(
                        "the training is " + r.status.id() + "; only a running training can be " + "paused");
            }
            r.session.pause();
            r.pausedAt = System.nanoTime();
            r.setStatus(Status.PAUSED, "paused at step " + r.step + "; resume or stop it");
            return r.state(false);
        }
    }

    /** Lets a paused training go on. */
    public Map<String, Object> resume() {
        synchronized (lock) {
            Run r = active("resume");
            if (r.status != Status.PAUSED) {
                throw WebException.conflict("the training is " + r.status.id() + ", not paused");
            }
            r.pausedNanos += System.nanoTime() - r.pausedAt;
            r.recent.clear();
            r.session.resume();
            r.setStatus(Status.RUNNING, null);
            return r.state(false);
        }
    }

    /** Stops the training after its current step; it writes a checkpoint. */
    public Map<String, Object> stop() {
        synchronized (lock) {
            Run r = active("stop");
            if (r.status == Status.STOPPING) {
                return r.state(false);
            }
            r.stopRequested = true;
            if (r.status == Status.PAUSED) {
                r.pausedNanos +=
                        System.nanoTime() - r.pausedAt; // the pause ends here, not at the resume that never comes
            }
            if (r.session != null) {
                r.session.requestStop();
            }
            r.setStatus(Status.STOPPING, "stopping: finishing the step and writing a checkpoint");
            return r.state(false);
        }
    }

    private Run active(String what) {
        if (current == null || !current.status.active()) {
            throw WebException.conflict("no training is running; nothing to " + what);
        }
        return current;
    }

    /** The directory of the current (or last) training. */
    public Optional<Path> runDir() {
        synchronized (lock) {
            return current == null ? Optional.empty() : Optional.of(current.dir);
        }
    }

    /** The sample grid of {@code step} when it exists, else the newest one. */
    Optional<Path> grid(Long step) {
        Optional<Path> dir = runDir();
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        RunLayout layout = new RunLayout(dir.get());
        if (step != null && Files.isRegularFile(layout.grid(step))) {
            return Optional.of(layout.grid(step));
        }
        List<Path> all = TrainingSession.gridFiles(layout.samples());
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The newest training checkpoint of the current (or last) training. */
    Optional<Path> latestCheckpoint() {
        return runDir().flatMap(d -> CheckpointStore.latest(new RunLayout(d)));
    }

    /** A new event stream that starts with a snapshot (the state and every loss point so far). */
    EventHub.Client subscribe() {
        synchronized (lock) {
            return hub.register("snapshot", current == null ? idle() : current.state(true));
        }
    }

    /**
     * Stops the training (it writes its checkpoint) and waits for it, at most {@code waitSeconds}; then
     * no training can start.
     */
    public void shutdown(long waitSeconds) {
        Thread t = null;
        synchronized (lock) {
            shutdown = true;
            if (current != null && current.status.active()) {
                LOG.info("stopping the training at step {}: writing a checkpoint ...", current.step);
                current.stopRequested = true;
                if (current.session != null) {
                    current.session.requestStop();
                }
                current.setStatus(Status.STOPPING, "the server is stopping: writing a checkpoint");
                t = current.thread;
            }
        }
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(waitSeconds));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flusher.shutdownNow();
    }

    /** Waits until the current training (if any) has ended; for tests. */
    boolean awaitIdle(long millis) throws InterruptedException {
        Thread t;
        synchronized (lock) {
            t = current == null ? null : current.thread;
        }
        if (t != null) {
            t.join(millis);
            return !t.isAlive();
        }
        return true;
    }

    private static Map<String, Object> idle() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", 0);
        m.put("state", Status.IDLE.id());
        m.put("active", false);
        return m;
    }

    private Path newRunDir() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path p = options.outdir().resolve("web-" + stamp);
        for (int i = 2; Files.exists(p); i++) {
            p = options.outdir().resolve("web-" + stamp + "-" + i);
        }
        return p;
    }

    private void flush() {
        synchronized (lock) {
            try {
                if (current != null) {
                    current.flush();
                }
            } catch (RuntimeException e) {
                LOG.warn("could not send progress: {}", e.toString());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** One training; its fields are guarded by the manager's lock. */
    private final class Run implements TrainingSession.Events {
        final int id;
        final TrainRequest req;
        final Path dir;
        final GanBackend backend;
        Thread thread;
        volatile TrainingSession session;
        Status status = Status.STARTING;
        String message = "loading the data and compiling the model";
        boolean stopRequested;
        String modelName;
        String datasetName;
        long totalSteps;
        int epochs;
        int batchesPerEpoch;
        long step;
        int epoch;
        final List<double[]> points = new ArrayList<>();
        /** Quality measurements: step, conditional accuracy in percent (null when unconditional), FID. */
        final List<Double[]> quality = new ArrayList<>();

        int qualityFlushed;
        int flushed;
        boolean dirty;
        final ArrayDeque<Long> recent = new ArrayDeque<>();
        long startedNanos;
        long endedNanos;
        long pausedAt;
        long pausedNanos;
        long gridStep = -1;
        long checkpointStep = -1;
        double lastImagesPerSecond;

        Run(int id, TrainRequest req, Path dir, GanBackend backend) {
            this.id = id;
            this.req = req;
            this.dir = dir;
            this.backend = backend;
        }

        String describe() {
            return dir + ", " + (totalSteps > 0 ? "step " + step + " of " + totalSteps : status.id());
        }

        void setStatus(Status s, String msg) {
            flush();
            status = s;
            message = msg;
            hub.broadcast("state", state(false));
        }

        Map<String, Object> state(boolean withPoints) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("runId", id);
            m.put("state", status.id());
            m.put("active", status.active());
            m.put("message", message);
            m.put("dir", dir.toString());
            Map<String, Object> opts = req.toMap();
            opts.put("backend", backend.name());
            m.put("options", opts);
            m.put("model", modelName);
            m.put("dataset", datasetName);
            m.put("step", step);
            m.put("totalSteps", totalSteps);
            m.put("epoch", Math.min(epoch + 1, Math.max(epochs, 1)));
            m.put("epochs", epochs);
            m.put("batchesPerEpoch", batchesPerEpoch);
            long now = status.active() ? System.nanoTime() : endedNanos;
            long paused = pausedNanos + (status == Status.PAUSED ? System.nanoTime() - pausedAt : 0);
            m.put("elapsedSeconds", startedNanos == 0 ? 0 : round((now - startedNanos - paused) / 1e9));
            double perStep = secondsPerStep();
            if (perStep > 0) {
                lastImagesPerSecond = round(req.batchSize() / perStep);
            }
            m.put("imagesPerSecond", lastImagesPerSecond > 0 ? lastImagesPerSecond : null);
            m.put("etaSeconds", perStep > 0 && status.active() ? round((totalSteps - step) * perStep) : null);
            m.put("gridStep", gridStep);
            m.put("checkpointStep", checkpointStep);
            m.put("pointCount", points.size());
            m.put("lastQuality", quality.isEmpty() ? null : quality.get(quality.size() - 1));
            if (withPoints) {
                m.put("points", new ArrayList<>(points.subList(0, flushed)));
                m.put("quality", new ArrayList<>(quality.subList(0, qualityFlushed)));
            }
            return m;
        }

        private double secondsPerStep() {
            if (recent.size() < 2) {
                return 0;
            }
            return (recent.peekLast() - recent.peekFirst()) / 1e9 / (recent.size() - 1);
        }

        /** Sends the new loss points and the progress, if anything changed. */
        void flush() {
            synchronized (lock) { // taken already by the callers; it guards the counters below
                if (!dirty && flushed == points.size() && qualityFlushed == quality.size()) {
                    return;
                }
                Map<String, Object> m = state(false);
                m.put("newPoints", new ArrayList<>(points.subList(flushed, points.size())));
                m.put("newQuality", new ArrayList<>(quality.subList(qualityFlushed, quality.size())));
                flushed = points.size();
                qualityFlushed = quality.size();
                dirty = false;
                hub.broadcast("progress", m);
                if (points.size() > 2 * KEPT_POINTS) {
                    compact();
                }
            }
        }

        /** Halves the points already sent by averaging neighbours. */
        private void compact() {
            int even = flushed - flushed % 2;
            List<double[]> out = new ArrayList<>(even / 2 + points.size() - even);
            for (int i = 0; i < even; i += 2) {
                double[] a = points.get(i);
                double[] b = points.get(i + 1);
                out.add(new double[] {(a[0] + b[0]) / 2, round4((a[1] + b[1]) / 2), round4((a[2] + b[2]) / 2)});
            }
            out.addAll(points.subList(even, points.size()));
            flushed = even / 2 + (flushed - even);
            points.clear();
            points.addAll(out);
        }

        // TrainingSession.Events, on the training thread

        @Override
        public void onStep(MetricsRow row) {
            synchronized (lock) {
                step = row.step();
                epoch = row.epoch();
                points.add(new double[] {row.step(), round4(row.dTotal()), round4(row.gTotal())});
                if (row.evaluated()) {
                    quality.add(new Double[] {
                        (double) row.step(),
                        Double.isNaN(row.evalAccuracy()) ? null : round(1000 * row.evalAccuracy()) / 10,
                        round(row.evalFid())
                    });
                }
                recent.addLast(System.nanoTime());
                while (recent.size() > WINDOW) {
                    recent.removeFirst();
                }
                dirty = true;
            }
        }

        @Override
        public void onGrid(long s, Path file) {
            synchronized (lock) {
                gridStep = s;
                flush();
                hub.broadcast("grid", Map.of("runId", id, "step", s));
            }
        }

        @Override
        public void onCheckpoint(long s, Path ckpt) {
            synchronized (lock) {
                checkpointStep = s;
                hub.broadcast("checkpoint", Map.of("runId", id, "step", s));
            }
        }

        // The training thread

        void train() {
            try {
                trainOrFail();
            } catch (Throwable t) {
                String msg =
                        t.getMessage() == null ? t.toString() : t.getMessage().strip();
                LOG.warn("training #{} failed: {}", id, msg);
                LOG.debug("training #" + id + " failed", t);
                synchronized (lock) {
                    endedNanos = System.nanoTime();
                    setStatus(Status.FAILED, "failed: " + msg);
                }
            }
        }

        private void trainOrFail() {
            DatasetSource data = Datasets.fromSpec(req.dataset());
            DatasetInfo info = data.info();
            ModelSpec spec =
                    Presets.byName(req.preset(), info.image(), info.numClasses(), TrainSettings.DEFAULT_LATENT_DIM);
            int perEpoch = BatchIterator.batchesPerEpoch(data.size(), req.batchSize());
            RunLength length = RunLength.of(req.epochs(), req.steps(), perEpoch);
            AdamConfig adam = AdamConfig.acganDefaults()
                    .withLearningRate(req.learningRate())
                    .withBeta1(TrainSettings.DEFAULT_BETA1);
            TrainingConfig cfg = TrainingConfig.forPreset(spec.name())
                    .withSeed(req.seed())
                    .withBatchSize(req.batchSize())
                    .withEpochs(length.epochs())
                    .withMaxSteps(length.maxSteps())
                    .withOptimizers(adam, adam)
                    .withLabelSmoothing((float) TrainSettings.DEFAULT_LABEL_SMOOTHING)
                    .withPrecision(backend.resolvePrecision(options.precision()));
            RunLayout layout = new RunLayout(dir).prepare();
            ConfigFiles.write(
                    settings(length),
                    "Settings of a training started from 'acgan serve', written "
                            + LocalDateTime.now().withNano(0) + ".\nContinue this run: acgan train --resume " + dir
                            + " --steps N",
                    layout.config());
            synchronized (lock) {
                modelName = spec.name();
                datasetName = info.name();
                totalSteps = length.endStep(perEpoch);
                epochs = length.epochs();
                batchesPerEpoch = perEpoch;
                if (!stopRequested) {
                    setStatus(Status.STARTING, "compiling " + spec.name() + " on " + backend.name());
                }
            }
            try (GanTrainer trainer = new TrainerFactory(backend).create(spec, cfg, data)) {
                QualityProbe probe = req.evalEvery() > 0
                        ? new QualityProbe(Classifier.builtIn(req.dataset()), backend, req.evalEvery())
                        : null;
                TrainingSession session = new TrainingSession(
                        layout,
                        trainer,
                        new TrainingSession.Options(
                                req.checkpointEvery(),
                                KEEP,
                                req.sampleEvery(),
                                LOG_EVERY,
                                ProgressReporter.Mode.LOG,
                                probe),
                        new PrintWriter(System.err, true, Charset.defaultCharset()),
                        spec.name());
                try {
                    session.addEvents(this);
                    synchronized (lock) {
                        if (shutdown) {
                            // The JVM may be shutting down: no session (and no Ctrl-C hook) can start now.
                            endedNanos = System.nanoTime();
                            setStatus(Status.STOPPED, "the server stopped before the training began");
                            return;
                        }
                        this.session = session;
                        startedNanos = System.nanoTime();
                        if (stopRequested) {
                            session.requestStop();
                        } else {
                            setStatus(Status.RUNNING, null);
                        }
                    }
                    TrainingSession.Result r = session.run(null);
                    synchronized (lock) {
                        endedNanos = System.nanoTime();
                        if (r.interrupted()) {
                            setStatus(
                                    Status.STOPPED,
                                    "stopped at step " + r.step() + "; checkpoint " + dir.relativize(r.checkpoint())
                                            + " written");
                        } else {
                            setStatus(
                                    Status.FINISHED,
                                    "done: step " + r.step() + " in " + ProgressReporter.duration(r.seconds()));
                        }
                    }
                    LOG.info(
                            "training #{} {} at step {}: {}",
                            id,
                            r.interrupted() ? "stopped" : "finished",
                            r.step(),
                            dir);
                } finally {
                    session.close();
                    if (probe != null) {
                        probe.close();
                    }
                }
            }
        }

        private TrainSettings settings(RunLength length) {
            TrainSettings s = TrainSettings.defaults();
            s.backend = backend.name();
            s.model = req.model();
            s.dataset = req.dataset();
            s.epochs = length.epochs();
            s.steps = length.maxSteps() > 0 ? length.maxSteps() : null;
            s.batchSize = req.batchSize();
            s.learningRate = req.learningRate();
            s.seed = req.seed();
            s.outdir = dir.toString();
            s.checkpointEvery = req.checkpointEvery();
            s.keep = KEEP;
            s.sampleEvery = req.sampleEvery();
            s.logEvery = LOG_EVERY;
            s.evalEvery = req.evalEvery();
            s.precision = options.precision().label();
            return s;
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round4(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
