package dev.acgan.samples.cli;

import org.slf4j.LoggerFactory;

/** Adjusts logback's levels at run time. */
final class Logging {

    private Logging() {
    }

    /** DEBUG for {@code dev.acgan} when verbose, INFO otherwise. */
    static void verbose(boolean on) {
        org.slf4j.Logger l = LoggerFactory.getLogger("dev.acgan");
        if (l instanceof ch.qos.logback.classic.Logger lb) {
            lb.setLevel(on ? ch.qos.logback.classic.Level.DEBUG : ch.qos.logback.classic.Level.INFO);
        }
    }
}
