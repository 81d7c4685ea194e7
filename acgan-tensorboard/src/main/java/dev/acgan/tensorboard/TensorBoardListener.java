package dev.acgan.tensorboard;

import dev.acgan.api.model.DiscriminatorLosses;
import dev.acgan.api.model.GeneratorLosses;
import dev.acgan.api.train.StepResult;
import dev.acgan.api.train.Trainer;
import dev.acgan.api.train.TrainingListener;
import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.proto.Event;

/**
 * Logs a training run for TensorBoard: a {@link TrainingListener} that writes every loss component and the images
 * per second of each step into an {@link EventFileWriter}, plus whatever the host adds through {@link #scalar},
 * {@link #image}, {@link #png} and {@link #text} (the CLI adds the quality metrics, the sample grids and the run's
 * {@code config.yaml}).
 *
 * <pre>{@code
 * try (TensorBoardListener tb = TensorBoardListener.open(Path.of("runs/tb/mnist"), trainer)) {
 *     trainer.addListener(tb);
 *     trainer.run();
 * }
 * // then: tensorboard --logdir runs/tb
 * }</pre>
 *
 * <p><b>Resuming.</b> The listener continues a run from its start step (the trainer's position when opened): it
 * writes a new event file beside the earlier ones and never writes a value twice. Earlier files' events after the
 * start step (written past the checkpoint being resumed, e.g. when a run branches from an older checkpoint) are
 * removed first, as {@code metrics.csv} drops its rows after that step, so the directory tells the history of the
 * continued run; a tag already logged at the start step itself is not written again there, and nothing before the
 * start step is written.
 *
 * <p><b>Failures.</b> A write that fails (a full disk) logs one warning and turns the listener off; the training
 * goes on. {@link #close()} flushes and closes the file.
 */
public final class TensorBoardListener implements TrainingListener, Closeable {

    /** Total discriminator loss. */
    public static final String D_TOTAL = "loss/D_total";
    /** Discriminator: adversarial term of real images. */
    public static final String D_REAL_ADVERSARIAL = "loss/D_real_adversarial";
    /** Discriminator: adversarial term of fakes. */
    public static final String D_FAKE_ADVERSARIAL = "loss/D_fake_adversarial";
    /** Discriminator: weighted class term of real images (0 unless ACGAN). */
    public static final String D_REAL_AUXILIARY = "loss/D_real_auxiliary";
    /** Discriminator: weighted class term of fakes (0 unless ACGAN). */
    public static final String D_FAKE_AUXILIARY = "loss/D_fake_auxiliary";
    /** Total generator loss. */
    public static final String G_TOTAL = "loss/G_total";
    /** Generator: adversarial term. */
    public static final String G_ADVERSARIAL = "loss/G_adversarial";
    /** Generator: weighted class term (0 unless ACGAN). */
    public static final String G_AUXILIARY = "loss/G_auxiliary";
    /** Real images of a step divided by its wall time. */
    public static final String IMAGES_PER_SECOND = "speed/images_per_second";
    /** The tag of {@link #config(String)}. */
    public static final String CONFIG = "config";

    private static final Logger LOG = LoggerFactory.getLogger(TensorBoardListener.class);

    private final EventFileWriter writer;
    private final long startStep;
    private final Set<String> loggedAtStart;
    private final Object lock = new Object();
    private boolean failed;

    private TensorBoardListener(EventFileWriter writer, long startStep, Set<String> loggedAtStart) {
        this.writer = writer;
        this.startStep = startStep;
        this.loggedAtStart = loggedAtStart;
    }

    /** Opens a listener for {@code trainer}, continuing from its current step (0 for a new run). */
    public static TensorBoardListener open(Path logDir, Trainer trainer) {
        return open(logDir, trainer.position().step());
    }

    /**
     * Opens a listener for a run that continues after {@code startStep} (0 for a new run): removes the events after
     * that step from the directory's earlier event files, then starts a new event file.
     *
     * <p>An earlier file that cannot be read (a CRC that does not match) is left as it is, with a warning.
     *
     * @throws UncheckedIOException when the directory cannot be listed or created, or an earlier file not rewritten
     * @throws IllegalArgumentException when {@code startStep} is negative
     */
    public static TensorBoardListener open(Path logDir, long startStep) {
        if (startStep < 0) {
            throw new IllegalArgumentException("startStep must be at least 0, got " + startStep);
        }
        Set<String> atStart = new HashSet<>();
        for (Path file : EventFiles.list(logDir)) {
            List<Event> events;
            try {
                events = EventFiles.read(file);
            } catch (UncheckedIOException e) {
                // A damaged log must not stop the training it describes.
                LOG.warn("TensorBoard file left as it is (it may repeat steps of this run): {}", e.getMessage());
                continue;
            }
            int dropped = EventFiles.dropAfter(file, events, startStep);
            if (dropped > 0) {
                LOG.info("{}: removed {} events after step {}, where the run continues", file, dropped, startStep);
            }
            for (Event e : events) {
                if (EventFiles.hasValues(e) && e.getStep() == startStep) {
                    atStart.addAll(EventFiles.tags(e));
                }
            }
        }
        return new TensorBoardListener(EventFileWriter.open(logDir), startStep, atStart);
    }

    /** The event file this listener writes. */
    public Path file() {
        return writer.file();
    }

    /** The step the run continues after (0 for a new run). */
    public long startStep() {
        return startStep;
    }

    /** Writes the step's loss components and images per second, then flushes. */
    @Override
    public void onStep(Trainer trainer, StepResult r) {
        long step = r.step();
        DiscriminatorLosses d = r.discriminator();
        GeneratorLosses g = r.generator();
        scalar(D_TOTAL, step, d.total());
        scalar(D_REAL_ADVERSARIAL, step, d.realAdversarial());
        scalar(D_FAKE_ADVERSARIAL, step, d.fakeAdversarial());
        scalar(D_REAL_AUXILIARY, step, d.realAuxiliary());
        scalar(D_FAKE_AUXILIARY, step, d.fakeAuxiliary());
        scalar(G_TOTAL, step, g.total());
        scalar(G_ADVERSARIAL, step, g.adversarial());
        scalar(G_AUXILIARY, step, g.auxiliary());
        double seconds = r.seconds();
        if (seconds > 0) {
            scalar(IMAGES_PER_SECOND, step, r.realImages() / seconds);
        }
        flush();
    }

    /** Flushes, so that TensorBoard shows the whole run. */
    @Override
    public void onFinish(Trainer trainer) {
        flush();
    }

    /** Writes a scalar of a step (a 32-bit float in the file). */
    public void scalar(String tag, long step, double value) {
        if (accepts(tag, step)) {
            guard(() -> writer.addScalar(tag, step, value));
        }
    }

    /** Writes an image of a step, as PNG. */
    public void image(String tag, long step, BufferedImage image) {
        if (accepts(tag, step)) {
            guard(() -> writer.addImage(tag, step, image));
        }
    }

    /**
     * Writes a PNG file's bytes as the image of a step.
     *
     * @throws IllegalArgumentException when the bytes are not a PNG
     */
    public void png(String tag, long step, byte[] png) {
        if (accepts(tag, step)) {
            guard(() -> writer.addPng(tag, step, png));
        }
    }

    /** Writes a Markdown text of a step (TensorBoard's text plugin). */
    public void text(String tag, long step, String markdown) {
        if (accepts(tag, step)) {
            guard(() -> writer.addText(tag, step, markdown));
        }
    }

    /**
     * Writes the run's configuration (e.g. the text of its {@code config.yaml}) as the text {@value #CONFIG} of the
     * start step, in a code block so that TensorBoard shows it verbatim.
     */
    public void config(String yaml) {
        text(CONFIG, startStep, EventFileWriter.codeBlock("yaml", yaml));
        flush();
    }

    /** Makes what was written visible to TensorBoard. */
    public void flush() {
        guard(writer::flush);
    }

    /** Flushes and closes the event file. */
    @Override
    public void close() {
        synchronized (lock) {
            try {
                writer.close();
            } catch (UncheckedIOException e) {
                if (!failed) {
                    LOG.warn("TensorBoard logging stopped: {}", e.getMessage());
                }
                failed = true;
            }
        }
    }

    /** Whether to write {@code tag} at {@code step}: not before the start step, nor twice at it. */
    private boolean accepts(String tag, long step) {
        synchronized (lock) {
            if (failed || step < startStep) {
                return false;
            }
            return step > startStep || loggedAtStart.add(tag);
        }
    }

    private void guard(Runnable write) {
        synchronized (lock) {
            if (failed) {
                return;
            }
            try {
                write.run();
            } catch (UncheckedIOException e) {
                failed = true;
                LOG.warn("TensorBoard logging stopped: {}", e.getMessage());
            }
        }
    }
}
