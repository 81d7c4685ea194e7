package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.samples.config.ConfigFiles;
import dev.acgan.samples.config.TrainSettings;
import dev.acgan.samples.run.MetricsCsv;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** defaults < --config FILE < command line, checked on what a run actually used. */
class ConfigPrecedenceTest {

    @TempDir
    Path tmp;

    @Test
    void commandLineBeatsFileBeatsDefaults() throws Exception {
        Path cfg = tmp.resolve("my.yaml");
        Path fileOutdir = tmp.resolve("from-file");
        Path cliOutdir = tmp.resolve("from-cli");
        Files.writeString(
                cfg,
                String.join(
                        "\n",
                        "model: gan",
                        "batch-size: 8",
                        "seed: 7",
                        "steps: 2",
                        "learning-rate: 0.001",
                        "label-smoothing: 0.9",
                        "sample-every: 1",
                        "outdir: " + fileOutdir,
                        ""));
        Cli.run("train", "--config", cfg.toString(), "--seed", "9", "--steps", "3", "--outdir", cliOutdir.toString())
                .expect(0);

        assertTrue(Files.notExists(fileOutdir), "--outdir on the command line wins over the file's outdir");
        TrainSettings used = ConfigFiles.read(cliOutdir.resolve("config.yaml"));
        assertEquals(9L, used.seed, "command line");
        assertEquals(3L, used.steps, "command line");
        assertEquals(8, used.batchSize, "file");
        assertEquals("gan", used.model, "file");
        assertEquals(0.001, used.learningRate, "file");
        assertEquals(1L, used.sampleEvery, "file");
        assertEquals(TrainSettings.DEFAULT_BETA1, used.beta1, "default");
        assertEquals(TrainSettings.DEFAULT_KEEP, used.keep, "default");

        // ... and the trainer really ran with those values.
        TrainingConfig c =
                Checkpoint.read(cliOutdir.resolve("generator")).metadata().config();
        assertEquals(9, c.seed());
        assertEquals(8, c.batchSize());
        assertEquals(3, c.maxSteps());
        assertEquals(0.001, c.generatorOptimizer().learningRate());
        assertEquals(0.001, c.discriminatorOptimizer().learningRate());
        assertEquals(0.9f, c.realLabel());
        assertEquals(TrainSettings.DEFAULT_BETA1, c.generatorOptimizer().beta1());
        assertEquals(
                "gan-mlp",
                Checkpoint.read(cliOutdir.resolve("generator"))
                        .metadata()
                        .spec()
                        .name());
        assertEquals(
                3,
                MetricsCsv.readKeeping(cliOutdir.resolve("metrics.csv"), Long.MAX_VALUE)
                        .size());

        // The written config.yaml reproduces the run when fed back.
        Path again = tmp.resolve("again");
        Cli.run("train", "--config", cliOutdir.resolve("config.yaml").toString(), "--outdir", again.toString())
                .expect(0);
        assertEquals(
                Checkpoint.read(cliOutdir.resolve("generator")).tensors().asMap(),
                Checkpoint.read(again.resolve("generator")).tensors().asMap());
    }

    @Test
    void effectiveOrder() {
        TrainSettings run = new TrainSettings();
        run.dataset = "idx:/data";
        run.keep = 2;
        TrainSettings file = new TrainSettings();
        file.keep = 4;
        file.logEvery = 5L;
        TrainSettings cli = new TrainSettings();
        cli.logEvery = 1L;
        TrainSettings s = TrainCommand.effective(run, file, cli);
        assertEquals("idx:/data", s.dataset, "resumed run's config over defaults");
        assertEquals(4, s.keep, "file over resumed run");
        assertEquals(1L, s.logEvery, "command line over file");
        assertEquals(TrainSettings.DEFAULT_SEED, s.seed);
    }
}
