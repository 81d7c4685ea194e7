package dev.acgan.samples.run;

import dev.acgan.api.train.Trainer;
import dev.acgan.samples.cli.CliException;
import dev.acgan.tensorboard.EventFileWriter;
import dev.acgan.tensorboard.TensorBoardListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code acgan train --tensorboard DIR}: passes what a {@link TrainingSession} writes besides the losses (which the
 * {@link TensorBoardListener} takes from the trainer) to TensorBoard: the quality of the {@code --eval-every} steps
 * and the sample grids, as they are written into the run directory.
 */
public final class TensorBoardEvents implements TrainingSession.Events {

    /** The sample grids. */
    public static final String GRID = "samples/grid";
    /** Conditional accuracy of the generated images ({@code --eval-every}). */
    public static final String ACCURACY = "quality/conditional_accuracy";
    /** Classifier score of the generated images. */
    public static final String CLASSIFIER_SCORE = "quality/classifier_score";
    /** FID of the generated images. */
    public static final String FID = "quality/fid";
    /** Checkerboard ratio of the generated images over real ones ({@link dev.acgan.eval.metrics.Checkerboard}). */
    public static final String CHECKERBOARD = "quality/checkerboard";

    private final TensorBoardListener tensorBoard;

    /** Passes a session's quality rows and grids to {@code tensorBoard}. */
    public TensorBoardEvents(TensorBoardListener tensorBoard) {
        this.tensorBoard = tensorBoard;
    }

    /**
     * Checks {@code --tensorboard DIR} before anything is written: it must be a directory or not exist yet, and a
     * new run needs one that holds no event files (TensorBoard would show two runs' steps as one).
     *
     * @param dir    the option's value, or null (nothing to check)
     * @param newRun whether a new run starts (else a resumed one continues there)
     * @throws CliException naming the directory and what to do
     */
    public static void checkDirectory(String dir, boolean newRun) {
        if (dir == null) {
            return;
        }
        Path p = Path.of(dir);
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new CliException("--tensorboard " + dir + " is a file, not a directory; name a directory (it is "
                    + "created if missing)");
        }
        if (newRun && !EventFileWriter.eventFiles(p).isEmpty()) {
            throw new CliException("--tensorboard " + dir + " already holds TensorBoard event files of another run; "
                    + "give each run its own directory (TensorBoard shows each subdirectory of --logdir as a run), or "
                    + "continue that run with --resume");
        }
    }

    /**
     * Opens the listener of a run continuing after the trainer's position and logs the run's {@code config.yaml};
     * null when {@code dir} is null.
     *
     * @throws CliException when the directory cannot be created or written, or an earlier event file not rewritten
     */
    public static TensorBoardListener open(String dir, Trainer trainer, RunLayout layout) {
        if (dir == null) {
            return null;
        }
        TensorBoardListener tb;
        try {
            tb = TensorBoardListener.open(Path.of(dir), trainer);
        } catch (UncheckedIOException e) {
            throw new CliException("--tensorboard " + dir + ": " + e.getMessage());
        }
        try {
            tb.config(Files.readString(layout.config(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            tb.close();
            throw new CliException("cannot read " + layout.config() + ": " + e.getMessage());
        }
        return tb;
    }

    @Override
    public void onStep(MetricsRow row) {
        if (!row.evaluated()) {
            return;
        }
        scalar(ACCURACY, row.step(), row.evalAccuracy());
        scalar(CLASSIFIER_SCORE, row.step(), row.evalScore());
        scalar(FID, row.step(), row.evalFid());
        scalar(CHECKERBOARD, row.step(), row.evalCheckerboard());
        tensorBoard.flush();
    }

    @Override
    public void onGrid(long step, Path file) {
        try {
            tensorBoard.png(GRID, step, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        tensorBoard.flush();
    }

    private void scalar(String tag, long step, double value) {
        if (!Double.isNaN(value)) {
            tensorBoard.scalar(tag, step, value);
        }
    }
}
