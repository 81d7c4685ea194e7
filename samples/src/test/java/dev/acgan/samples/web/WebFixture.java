package dev.acgan.samples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.acgan.samples.cli.Cli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the web tests share: one tiny trained ACGAN run (made once per JVM) and servers on free ports. */
final class WebFixture {

    private static Path root;
    private static Path run;

    private WebFixture() {}

    /** A scratch directory, removed when the JVM exits. */
    static synchronized Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("acgan-web-test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path r = root;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(r)));
        }
        return root;
    }

    /** A run directory with a checkpoint of an ACGAN trained 2 steps of batch 8 with the CLI, in-process. */
    static synchronized Path trainedRun() {
        if (run == null) {
            Path dir = root().resolve("trained");
            Cli.trainTiny(dir, 2, "--model", "acgan", "--sample-every", "0", "--checkpoint-every", "0", "--keep", "1");
            run = dir;
        }
        return run;
    }

    /** A started server on 127.0.0.1 and a free port. */
    static WebServer server(Path checkpoint, String outdirName) {
        return WebModule.server(new ServeOptions("127.0.0.1", 0, checkpoint, null, root().resolve(outdirName)))
                .start();
    }

    /** Waits until the server's training is over. */
    static void awaitIdle(WebServer server) throws InterruptedException {
        assertEquals(true, server.training().awaitIdle(120_000), "the training ended");
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
