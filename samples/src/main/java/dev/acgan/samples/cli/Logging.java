package dev.acgan.samples.cli;

import ch.qos.logback.classic.Level;
import org.slf4j.LoggerFactory;

/** Adjusts logback's levels at run time. */
final class Logging {

    private Logging() {}

    /**
     * DEBUG for {@code dev.acgan} and WARN for the native libraries' Java loggers when verbose; INFO and
     * ERROR otherwise.
     */
    static void verbose(boolean on) {
        level("dev.acgan", on ? Level.DEBUG : Level.INFO);
        level("org.nd4j", on ? Level.WARN : Level.ERROR);
        level("org.bytedeco", on ? Level.WARN : Level.ERROR);
    }

    private static void level(String name, Level level) {
        if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger lb) {
            lb.setLevel(level);
        }
    }
}
