package dev.acgan.samples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.samples.cli.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code acgan serve} refuses bad options with one line, before it listens. */
class ServeCommandTest {

    @TempDir
    Path tmp;

    @Test
    void badOptionsEndWithOneLine() {
        Cli.Result port = Cli.run("serve", "--port", "70000").expect(2);
        assertEquals(1, port.errLines().size(), port.err());
        assertTrue(port.err().startsWith("acgan serve: --port must be between 0 and 65535"), port.err());

        Cli.Result notNumber = Cli.run("serve", "--port", "eighty").expect(2);
        assertTrue(notNumber.err().contains("--port"), notNumber.err());

        Cli.Result missing =
                Cli.run("serve", "--checkpoint", tmp.resolve("nope").toString()).expect(1);
        assertTrue(
                missing.err().startsWith("acgan serve: checkpoint " + tmp.resolve("nope") + " does not exist"),
                missing.err());

        Cli.Result empty = Cli.run("serve", "--checkpoint", tmp.toString()).expect(1);
        assertTrue(empty.err().contains("is neither a checkpoint directory"), empty.err());

        Cli.Result backend = Cli.run("serve", "--backend", "cuda").expect(1);
        assertTrue(backend.err().startsWith("acgan serve: no backend named 'cuda'; found: "), backend.err());
    }

    @Test
    void helpNamesBothPages() {
        Cli.Result help = Cli.run("serve", "--help").expect(0);
        assertTrue(help.out().contains("Generate (/)"), help.out());
        assertTrue(help.out().contains("Train (/train)"), help.out());
        assertTrue(Cli.run("--help").expect(0).out().contains("serve"));
    }
}
