package dev.acgan.samples.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.acgan.samples.cli.CliException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of YAML run configs ({@link ConfigFiles#read}, docs/RELIABILITY.md). Seed: the
 * {@code config.yaml} a real run wrote. A bad file must end in a {@link CliException} that names it; any
 * other throwable is a finding.
 */
class ConfigFilesFuzzTest {

    private static final Path FILE;

    static {
        try {
            Path dir = Files.createTempDirectory("acgan-fuzz-yaml");
            dir.toFile().deleteOnExit();
            FILE = dir.resolve("config.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes as a config file. */
    @FuzzTest(maxDuration = "5m")
    void read(byte[] input) throws IOException {
        Files.write(FILE, input);
        try {
            TrainSettings s = ConfigFiles.read(FILE);
            ConfigFiles.toYaml(s);
        } catch (CliException e) {
            if (e.getMessage() == null || !e.getMessage().contains(FILE.toString())) {
                throw new AssertionError("a config error that does not name the file: " + e.getMessage(), e);
            }
        }
    }
}
