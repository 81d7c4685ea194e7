package dev.acgan.samples.run;

import dev.acgan.api.train.StepResult;
import java.io.PrintWriter;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows training progress: on a terminal, one line redrawn in place
 * ({@code step 120/200 [=====>    ] 60% | epoch 2/2 | D 1.234 G 2.345 | 95 img/s | ETA 1m05s});
 * otherwise an SLF4J INFO line every {@code logEvery} steps and at the last step.
 */
public final class ProgressReporter {

    /** How progress is shown. */
    public enum Mode {
        /** A redrawn bar on the terminal. */
        BAR,
        /** Log lines. */
        LOG
    }

    private static final Logger LOG = LoggerFactory.getLogger("dev.acgan.samples.train");
    private static final int BAR_WIDTH = 24;
    private static final long MIN_REDRAW_NANOS = 100_000_000L;

    private final Mode mode;
    private final PrintWriter terminal;
    private final long logEvery;
    private final long totalSteps;
    private final int totalEpochs;
    private long firstStep = -1;
    private long firstStepNanos;
    private double smoothedImagesPerSecond;
    private boolean barShown;
    private int lastLength;
    private long lastDrawNanos;
    private StepResult pending;
    private double pendingEta;

    /**
     * @param terminal   where the bar is drawn (BAR mode)
     * @param totalSteps the step the run ends at
     * @param totalEpochs epochs of the run
     */
    public ProgressReporter(Mode mode, PrintWriter terminal, long logEvery, long totalSteps, int totalEpochs) {
        this.mode = mode;
        this.terminal = terminal;
        this.logEvery = Math.max(1, logEvery);
        this.totalSteps = totalSteps;
        this.totalEpochs = totalEpochs;
    }

    /** After each step. */
    public void step(StepResult r) {
        long now = System.nanoTime();
        if (firstStep < 0) {
            firstStep = r.step();
            firstStepNanos = now - (long) (r.seconds() * 1e9);
        }
        double ips = r.seconds() > 0 ? r.realImages() / r.seconds() : 0;
        smoothedImagesPerSecond = smoothedImagesPerSecond == 0 ? ips : 0.8 * smoothedImagesPerSecond + 0.2 * ips;
        long done = r.step() - firstStep + 1;
        double perStep = (now - firstStepNanos) / 1e9 / done;
        double eta = Math.max(0, totalSteps - r.step()) * perStep;
        if (mode == Mode.BAR) {
            if (now - lastDrawNanos >= MIN_REDRAW_NANOS || r.step() >= totalSteps || r.step() == firstStep) {
                drawBar(r, eta);
                lastDrawNanos = now;
                pending = null;
            } else {
                pending = r;
                pendingEta = eta;
            }
        } else if (r.step() % logEvery == 0 || r.step() >= totalSteps) {
            LOG.info(String.format(
                    Locale.ROOT,
                    "step %d/%d  epoch %d/%d  D %.4f  G %.4f  %.0f img/s  ETA %s",
                    r.step(),
                    totalSteps,
                    r.epoch() + 1,
                    totalEpochs,
                    r.discriminator().total(),
                    r.generator().total(),
                    smoothedImagesPerSecond,
                    duration(eta)));
        }
    }

    private void drawBar(StepResult r, double eta) {
        double frac = totalSteps <= 0 ? 0 : Math.min(1, r.step() / (double) totalSteps);
        int filled = (int) Math.round(frac * BAR_WIDTH);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < BAR_WIDTH; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        bar.append(']');
        String line = String.format(
                Locale.ROOT,
                "step %d/%d %s %3.0f%% | epoch %d/%d | D %.3f G %.3f | %.0f img/s | ETA %s",
                r.step(),
                totalSteps,
                bar,
                frac * 100,
                r.epoch() + 1,
                totalEpochs,
                r.discriminator().total(),
                r.generator().total(),
                smoothedImagesPerSecond,
                duration(eta));
        print(line);
    }

    /** A message between bar redraws (or a log line). */
    public void message(String text) {
        if (mode == Mode.BAR) {
            flushPending();
            clear();
            terminal.println(text);
            terminal.flush();
        } else {
            LOG.info(text);
        }
    }

    /** Ends the bar's line. */
    public void finish() {
        flushPending();
        if (mode == Mode.BAR && barShown) {
            terminal.println();
            terminal.flush();
            barShown = false;
            lastLength = 0;
        }
    }

    private void flushPending() {
        if (pending != null) {
            StepResult r = pending;
            pending = null;
            drawBar(r, pendingEta);
        }
    }

    private void print(String line) {
        StringBuilder sb = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < lastLength; i++) {
            sb.append(' ');
        }
        terminal.print(sb);
        terminal.flush();
        lastLength = line.length();
        barShown = true;
    }

    private void clear() {
        if (barShown) {
            terminal.print("\r" + " ".repeat(lastLength) + "\r");
            barShown = false;
            lastLength = 0;
        }
    }

    /** {@code 1h02m}, {@code 3m05s} or {@code 12s}. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
