package dev.acgan.samples.run;

import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.train.EpochResult;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.StepResult;
import dev.acgan.api.train.Trainer;
import dev.acgan.api.train.TrainingDivergedException;
import dev.acgan.api.train.TrainingListener;
import dev.acgan.eval.render.AnimatedGif;
import dev.acgan.eval.render.ImageGrid;
import dev.acgan.eval.render.Images;
import dev.acgan.eval.render.LossPlot;
import dev.acgan.eval.render.SampleGrid;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link GanTrainer} and writes everything a run leaves in its {@link RunLayout}: metrics per
 * step, sample grids every {@code sampleEvery} steps and at each epoch end, training checkpoints
 * every {@code checkpointEvery} steps and at each epoch end (with the generator export and the
 * {@code latest} pointer), the progress GIF and loss plot, and a final grid and checkpoint when it
 * stops. A JVM shutdown hook (Ctrl-C) asks the trainer to stop after the current step and waits until
 * {@link #close()}, so the final checkpoint is written and reported before the JVM exits.
 *
 * <p>With a {@link QualityProbe} it also measures the generator every {@code eval-every} steps and at the
 * last step, into the same {@code metrics.csv} row. With a generator EMA ({@link GanTrainer#emaEnabled()}) the
 * grids, the GIF and the measurement use the averaged generator ({@link GanTrainer#withSamplingGenerator}), and
 * the row also gets the raw generator's FID and accuracy ({@code eval_raw_fid}, {@code eval_raw_accuracy}). A step that diverges (a loss or weight not finite, see
 * {@link TrainingDivergedException}) ends the run without writing that state: the result names the last
 * good checkpoint.
 *
 * <p>Hosts that show a run live (the web demo) may {@link #addEvents observe} its steps, grids and
 * checkpoints, and {@link #pause()} and {@link #resume()} it between steps; the CLI does neither.
 */
public final class TrainingSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingSession.class);
    private static final Pattern GRID = Pattern.compile("grid-step-(\\d+)\\.png");
    /** Frames of the progress GIF at most; longer runs show an even selection (always the last). */
    public static final int MAX_GIF_FRAMES = 150;
    /** How long the Ctrl-C hook waits for the final checkpoint. */
    public static final long STOP_WAIT_SECONDS = 300;

    /**
     * Cadence and display.
     *
     * @param checkpointEvery steps between checkpoints (0: epoch ends and the end only)
     * @param keep            training checkpoints kept
     * @param sampleEvery     steps between grids (0: epoch ends and the end only)
     * @param logEvery        steps between log lines in LOG mode
     * @param mode            bar or log lines
     * @param quality         measures the generator during the run ({@code --eval-every}), or null
     */
    public record Options(
            long checkpointEvery,
            int keep,
            long sampleEvery,
            long logEvery,
            ProgressReporter.Mode mode,
            QualityProbe quality) {

        /** Without quality measurements. */
        public Options(long checkpointEvery, int keep, long sampleEvery, long logEvery, ProgressReporter.Mode mode) {
            this(checkpointEvery, keep, sampleEvery, logEvery, mode, null);
        }
    }

    /**
     * What a session did.
     *
     * @param startStep   the step it started at
     * @param step        the step it ended at
     * @param epoch       the epoch the next step would belong to
     * @param interrupted whether it stopped because of Ctrl-C (or {@link #requestStop()})
     * @param checkpoint  the newest training checkpoint (after a divergence: the last good one, or null)
     * @param lastGrid    the newest sample grid
     * @param seconds     wall time of the session
     * @param quality     the last quality measurement ({@code --eval-every}), or null
     * @param diverged    why the run stopped early because a loss or weight stopped being finite, or null;
     *                    nothing of the diverged state was written
     */
    public record Result(
            long startStep,
            long step,
            int epoch,
            boolean interrupted,
            Path checkpoint,
            Path lastGrid,
            double seconds,
            MetricsRow quality,
            TrainingDivergedException diverged) {}

    /**
     * Observes what a session writes, e.g. for a live view. Called on the training thread, after the
     * file is in place; an observer that throws is logged and otherwise ignored.
     */
    public interface Events {
        /** After each step, with the row just appended to {@code metrics.csv}. */
        default void onStep(MetricsRow row) {}

        /** After a sample grid was written. */
        default void onGrid(long step, Path file) {}

        /** After a training checkpoint (and the generator export) was written. */
        default void onCheckpoint(long step, Path dir) {}
    }

    private final RunLayout layout;
    private final GanTrainer trainer;
    private final Options options;
    private final java.io.PrintWriter terminal;
    private final String title;
    private final CheckpointStore store;
    private final SampleGrid grid;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "acgan-stop");
    private volatile boolean stopping;
    private final List<Events> events = new CopyOnWriteArrayList<>();
    private final Object pauseLock = new Object();
    private boolean paused;
    private MetricsCsv metrics;
    private ProgressReporter progress;
    private long lastGridStep = -1;
    private MetricsRow lastQuality;

    /**
     * @param terminal where the progress bar is drawn
     * @param title    short description for the loss plot, e.g. the model name
     */
    public TrainingSession(
            RunLayout layout, GanTrainer trainer, Options options, java.io.PrintWriter terminal, String title) {
        this.layout = layout;
        this.trainer = trainer;
        this.options = options;
        this.terminal = terminal;
        this.title = title;
        this.store = new CheckpointStore(layout, options.keep());
        ModelSpec spec = trainer.model().spec();
        this.grid = SampleGrid.training(spec, trainer.config().seed());
    }

    /** Steps the run ends at: the step limit or the end of the last epoch, whichever comes first. */
    public static long totalSteps(Trainer trainer, int batchesPerEpoch) {
        long byEpochs = (long) trainer.config().epochs() * batchesPerEpoch;
        long max = trainer.config().maxSteps();
        return max > 0 ? Math.min(max, byEpochs) : byEpochs;
    }

    /** Asks the session to stop after the current step (what Ctrl-C does); ends a pause. */
    public void requestStop() {
        trainer.requestStop();
        synchronized (pauseLock) {
            stopping = true;
            pauseLock.notifyAll();
        }
    }

    /** Adds an observer of steps, grids and checkpoints. */
    public void addEvents(Events observer) {
        events.add(observer);
    }

    /** Holds the training after the current step (its outputs written) until {@link #resume()} or a stop. */
    public void pause() {
        synchronized (pauseLock) {
            paused = true;
        }
    }

    /** Lets a paused training go on. */
    public void resume() {
        synchronized (pauseLock) {
            paused = false;
            pauseLock.notifyAll();
        }
    }

    /** Whether {@link #pause()} was asked for and not yet undone by {@link #resume()}. */
    public boolean paused() {
        synchronized (pauseLock) {
            return paused;
        }
    }

    private void holdWhilePaused() {
        synchronized (pauseLock) {
            while (paused && !stopping) {
                try {
                    pauseLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    requestStop();
                    return;
                }
            }
        }
    }

    private void emit(java.util.function.Consumer<Events> call) {
        for (Events e : events) {
            try {
                call.accept(e);
            } catch (RuntimeException ex) {
                LOG.warn("a session observer failed: {}", ex.toString());
            }
        }
    }

    /**
     * Trains until the configured end or a stop request.
     *
     * @param resumedFrom the checkpoint the trainer was resumed from, or {@code null} for a new run
     */
    public Result run(Path resumedFrom) {
        long t0 = System.nanoTime();
        long start = trainer.position().step();
        boolean fresh = resumedFrom == null;
        if (!fresh) {
            store.markSaved(start, resumedFrom);
            pruneGridsAfter(start);
        }
        metrics = MetricsCsv.open(layout.metrics(), fresh ? -1 : start);
        progress = new ProgressReporter(
                options.mode(),
                terminal,
                options.logEvery(),
                totalSteps(trainer, trainer.batchesPerEpoch()),
                trainer.config().epochs());
        if (fresh || !Files.exists(layout.grid(start))) {
            writeGrid(start);
        } else {
            lastGridStep = start;
        }
        trainer.addListener(new Listener());
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            TrainingDivergedException diverged = null;
            try {
                if (!stopping) {
                    trainer.run();
                }
                progress.finish();
                if (stopping) {
                    progress.message("stopping: writing a checkpoint at step "
                            + trainer.position().step() + " ...");
                }
                finishOutputs();
            } catch (TrainingDivergedException e) {
                // The weights are not finite: nothing more is written from them, so the last good checkpoint
                // stays the latest.
                diverged = e;
                progress.finish();
                writeGif();
                writePlot();
            }
            boolean interrupted = stopping && diverged == null;
            return new Result(
                    start,
                    trainer.position().step(),
                    trainer.position().epoch(),
                    interrupted,
                    store.lastSaved(),
                    lastGridStep < 0 ? null : layout.grid(lastGridStep),
                    (System.nanoTime() - t0) / 1e9,
                    lastQuality,
                    diverged);
        } finally {
            progress.finish();
            metrics.close();
        }
    }

    /**
     * Ends the session: removes the Ctrl-C hook, or when the JVM is already shutting down, lets the hook
     * (which has been waiting for the final checkpoint) return so that the JVM exits. Call it after
     * reporting the result, since the JVM may halt right after.
     */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down (Ctrl-C): the hook is running and waits for done
        }
        done.countDown();
    }

    private void onShutdown() {
        requestStop();
        try {
            if (!done.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                System.err.println("acgan: gave up waiting for the final checkpoint after " + STOP_WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void finishOutputs() {
        long step = trainer.position().step();
        if (lastGridStep != step) {
            writeGrid(step);
        }
        if (store.lastSavedStep() != step) {
            saveCheckpoint(trainer);
        }
        writeGif();
        writePlot();
    }

    private void saveCheckpoint(Trainer t) {
        Path dir = store.save(t);
        long step = store.lastSavedStep();
        emit(e -> e.onCheckpoint(step, dir));
    }

    private final class Listener implements TrainingListener {
        @Override
        public void onStep(Trainer t, StepResult r) {
            QualityProbe probe = options.quality();
            MetricsRow row = probe != null && probe.due(r.step(), t.finished())
                    ? measure(probe, MetricsRow.of(r))
                    : MetricsRow.of(r);
            metrics.append(row);
            progress.step(r);
            emit(e -> e.onStep(row));
            long s = r.step();
            boolean epochEnd = r.batchInEpoch() + 1 >= r.batchesPerEpoch();
            if (options.sampleEvery() > 0 && s % options.sampleEvery() == 0 && !epochEnd) {
                writeGrid(s);
                writePlot();
            }
            if (options.checkpointEvery() > 0 && s % options.checkpointEvery() == 0 && !epochEnd) {
                saveCheckpoint(t);
                writeGif();
            }
            if (!epochEnd) {
                holdWhilePaused();
            }
            if (stopping) {
                t.requestStop();
            }
        }

        @Override
        public void onEpochEnd(Trainer t, EpochResult r) {
            long s = t.position().step();
            if (lastGridStep != s) {
                writeGrid(s);
            }
            if (store.lastSavedStep() != s) {
                saveCheckpoint(t);
            }
            writeGif();
            writePlot();
            if (options.mode() == ProgressReporter.Mode.LOG) {
                LOG.info(String.format(
                        java.util.Locale.ROOT,
                        "epoch %d done: mean D %.4f, mean G %.4f, %.1f s",
                        r.epoch() + 1,
                        r.discriminatorLoss(),
                        r.generatorLoss(),
                        r.seconds()));
            }
            holdWhilePaused();
        }
    }

    private MetricsRow measure(QualityProbe probe, MetricsRow row) {
        try {
            // With a generator EMA the run's generator is the average (what generator/ holds); the raw one is
            // measured too, so that one run shows what the average bought.
            MetricsRow measured = row.withQuality(trainer.withSamplingGenerator(probe::measure));
            if (trainer.emaEnabled()) {
                measured = measured.withRawQuality(probe.measure(trainer.model().generator()));
            }
            lastQuality = measured;
            progress.message(qualityLine(measured));
            return measured;
        } catch (RuntimeException e) {
            LOG.warn("could not evaluate the generator at step {}: {}", row.step(), e.toString());
            return row;
        }
    }

    /** {@code step 500: conditional accuracy 77.0%, classifier score 7.29, FID 80.2, checkerboard 1.12}. */
    public static String qualityLine(MetricsRow row) {
        StringBuilder b = new StringBuilder("step ").append(row.step()).append(": ");
        if (!Double.isNaN(row.evalAccuracy())) {
            b.append(String.format(java.util.Locale.ROOT, "conditional accuracy %.1f%%, ", 100 * row.evalAccuracy()));
        }
        b.append(String.format(
                java.util.Locale.ROOT, "classifier score %.2f, FID %.1f", row.evalScore(), row.evalFid()));
        if (!Double.isNaN(row.evalCheckerboard())) {
            b.append(String.format(java.util.Locale.ROOT, ", checkerboard %.2f", row.evalCheckerboard()));
        }
        if (!Double.isNaN(row.evalRawFid())) {
            b.append(String.format(java.util.Locale.ROOT, " (EMA; raw generator: FID %.1f", row.evalRawFid()));
            if (!Double.isNaN(row.evalRawAccuracy())) {
                b.append(String.format(java.util.Locale.ROOT, ", accuracy %.1f%%", 100 * row.evalRawAccuracy()));
            }
            b.append(')');
        }
        return b.toString();
    }

    private void writeGrid(long step) {
        try {
            BufferedImage img = trainer.withSamplingGenerator(grid::render);
            Path file = layout.grid(step);
            Images.writePng(img, file);
            lastGridStep = step;
            emit(e -> e.onGrid(step, file));
        } catch (RuntimeException e) {
            LOG.warn("could not write the sample grid of step {}: {}", step, e.toString());
        }
    }

    private void writePlot() {
        if (metrics.rows().isEmpty()) {
            return;
        }
        try {
            LossPlot.write(metrics.rows(), title, layout.lossPlot());
        } catch (RuntimeException e) {
            LOG.warn("could not write {}: {}", layout.lossPlot(), e.toString());
        }
    }

    /** Rebuilds {@code progress.gif} from the grid files (at most {@value #MAX_GIF_FRAMES} frames). */
    void writeGif() {
        try {
            List<Path> grids = gridFiles(layout.samples());
            if (grids.isEmpty()) {
                return;
            }
            List<BufferedImage> frames = new ArrayList<>();
            for (Path p : select(grids, MAX_GIF_FRAMES)) {
                frames.add(ImageGrid.caption(Images.read(p), "step " + gridStep(p)));
            }
            AnimatedGif.write(frames, 25, 200, layout.progressGif());
        } catch (RuntimeException e) {
            LOG.warn("could not write {}: {}", layout.progressGif(), e.toString());
        }
    }

    /** At most {@code max} items spread evenly, first and last included. */
    static <T> List<T> select(List<T> all, int max) {
        if (all.size() <= max) {
            return all;
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            out.add(all.get((int) Math.round(i * (all.size() - 1) / (double) (max - 1))));
        }
        return out;
    }

    /** The grid PNGs in a samples directory, by step. */
    public static List<Path> gridFiles(Path samples) {
        if (!Files.isDirectory(samples)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(samples)) {
            return s.filter(p -> GRID.matcher(FileNames.name(p)).matches())
                    .sorted(java.util.Comparator.comparingLong(TrainingSession::gridStep))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + samples + ": " + e.getMessage(), e);
        }
    }

    private static long gridStep(Path p) {
        Matcher m = GRID.matcher(FileNames.name(p));
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private void pruneGridsAfter(long step) {
        for (Path p : gridFiles(layout.samples())) {
            if (gridStep(p) > step) {
                try {
                    Files.deleteIfExists(p);
                    LOG.debug("removed {} (after the resumed step {})", p, step);
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", p, e.toString());
                }
            }
        }
    }
}
