package dev.acgan.samples.bench;

import java.io.PrintWriter;

/**
 * Progress of a benchmark on stderr: on a terminal one line redrawn in place; otherwise a line per phase
 * and at most one every {@value #QUIET_SECONDS} seconds in between.
 */
final class Progress {

    static final int QUIET_SECONDS = 15;

    private final PrintWriter err;
    private final boolean terminal;
    private String prefix = "";
    private String lastPhase = "";
    private long lastLine;
    private int drawn;

    Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** A new unit of work, e.g. {@code [2/7] nd4j, batch 100}. */
    synchronized void start(String label) {
        prefix = "bench " + label + ": ";
        lastPhase = "";
        update("starting a JVM");
    }

    /** A message of the current unit. */
    synchronized void update(String message) {
        String line = prefix + message;
        if (terminal) {
            String shown = line.length() > 110 ? line.substring(0, 110) : line;
            err.print("\r" + shown + " ".repeat(Math.max(0, drawn - shown.length())));
            drawn = shown.length();
            err.flush();
            return;
        }
        String phase = phase(message);
        long now = System.nanoTime();
        if (!phase.equals(lastPhase) || now - lastLine > QUIET_SECONDS * 1_000_000_000L) {
            err.println(line);
            err.flush();
            lastPhase = phase;
            lastLine = now;
        }
    }

    /** A line that stays (the end of a unit, a warning, a child's log line). */
    synchronized void line(String text) {
        if (terminal && drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            drawn = 0;
        }
        err.println(text);
        err.flush();
    }

    /** Clears the redrawn line. */
    synchronized void finish() {
        if (terminal && drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            err.flush();
            drawn = 0;
        }
    }

    /** The first word of a message, without digits: "timed step 3/10" and "timed step 4/10" are one phase. */
    static String phase(String message) {
        String m = message.replaceAll("[0-9./()]+.*$", "").trim();
        return m.isEmpty() ? message : m;
    }
}
