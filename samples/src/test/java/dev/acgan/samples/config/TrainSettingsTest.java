package dev.acgan.samples.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.samples.cli.CliException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainSettingsTest {

    @TempDir
    Path tmp;

    @Test
    void overlayLetsTheUpperLayerWinWhereItSetsSomething() {
        TrainSettings file = new TrainSettings();
        file.seed = 7L;
        file.batchSize = 8;
        TrainSettings cli = new TrainSettings();
        cli.seed = 9L;
        TrainSettings s = TrainSettings.defaults().overlay(file).overlay(cli);
        assertEquals(9L, s.seed, "command line beats file");
        assertEquals(8, s.batchSize, "file beats default");
        assertEquals(TrainSettings.DEFAULT_LATENT_DIM, s.latentDim, "default where nobody sets it");
        assertNull(s.steps);
        assertEquals(7L, file.seed, "layers are not modified");
    }

    @Test
    void everyKeyRoundTripsThroughYaml() throws Exception {
        TrainSettings s = TrainSettings.defaults();
        s.backend = "tensorflow";
        s.epochs = 3;
        s.steps = 100L;
        s.outdir = "runs/x";
        s.evalEvery = 250L;
        s.evalClassifier = "fashion-mnist";
        s.precision = "auto";
        s.auxWeights = "2,0,1.5";
        s.ema = 0.999;
        s.lrSchedule = "0.5@6000";
        s.tensorboard = "runs/tb/x";
        Path f = tmp.resolve("c.yaml");
        ConfigFiles.write(s, "a comment\nsecond line", f);
        String text = Files.readString(f);
        assertTrue(text.startsWith("# a comment\n# second line\n"), text);
        for (String key : TrainSettings.keys()) {
            assertTrue(text.contains("\n" + key + ": "), key + " in\n" + text);
        }
        assertEquals(s, ConfigFiles.read(f));
    }

    @Test
    void kebabCaseKeysAsOnTheCommandLine() throws Exception {
        Path f = tmp.resolve("c.yaml");
        Files.writeString(
                f,
                "batch-size: 16\nlearning-rate: 0.001\nlabel-smoothing: 1\nmodel: cgan\n"
                        + "lr-schedule: 0.5@6000,0.25@9000\n");
        TrainSettings s = ConfigFiles.read(f);
        assertEquals(16, s.batchSize);
        assertEquals(0.001, s.learningRate);
        assertEquals(1.0, s.labelSmoothing);
        assertEquals("cgan", s.model);
        assertEquals("0.5@6000,0.25@9000", s.lrSchedule, "unquoted, as a person writes it");
        assertNull(s.seed);
    }

    @Test
    void emptyFileSetsNothing() throws Exception {
        Path f = tmp.resolve("empty.yaml");
        Files.writeString(f, "# nothing\n");
        assertEquals(new TrainSettings(), ConfigFiles.read(f));
    }

    @Test
    void badFilesSayWhatIsWrong() throws Exception {
        Path f = tmp.resolve("bad.yaml");
        Files.writeString(f, "seed: 1\nbatchsize: 16\n");
        CliException e = assertThrows(CliException.class, () -> ConfigFiles.read(f));
        assertTrue(
                e.getMessage()
                        .startsWith("config file " + f + " line 2: unknown key 'batchsize'; known keys: "
                                + "backend, model,"),
                e.getMessage());
        Files.writeString(f, "batch-size: lots\n");
        e = assertThrows(CliException.class, () -> ConfigFiles.read(f));
        assertEquals(
                "config file " + f + " line 1: key 'batch-size' has value 'lots', which is not a valid whole "
                        + "number",
                e.getMessage());
        Files.writeString(f, "- a\n- b\n");
        e = assertThrows(CliException.class, () -> ConfigFiles.read(f));
        assertTrue(e.getMessage().contains("expected a mapping of keys to values"), e.getMessage());
        e = assertThrows(CliException.class, () -> ConfigFiles.read(tmp.resolve("missing.yaml")));
        assertEquals("config file " + tmp.resolve("missing.yaml") + " does not exist", e.getMessage());
    }

    @Test
    void validateNamesTheOption() {
        TrainSettings s = new TrainSettings();
        s.keep = 0;
        assertEquals(
                "--keep must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, s::validate).getMessage());
        s.keep = null;
        s.beta1 = 1.0;
        assertEquals(
                "--beta1 must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, s::validate).getMessage());
    }

    @Test
    void runLength() {
        // as many epochs as the quick default's steps begin (1,000 steps of 157 batches: 7)
        assertEquals(
                new RunLength((int) ((TrainSettings.QUICK_STEPS + 156) / 157), TrainSettings.QUICK_STEPS),
                RunLength.of(null, null, 157),
                "neither: the quick default");
        assertEquals(new RunLength(1, 10), RunLength.of(null, 10L, 157));
        assertEquals(new RunLength(3, 400), RunLength.of(null, 400L, 157));
        assertEquals(new RunLength(5, 0), RunLength.of(5, null, 157));
        assertEquals(new RunLength(5, 100), RunLength.of(5, 100L, 157));
        assertEquals(100, new RunLength(5, 100).endStep(157));
        assertEquals(785, new RunLength(5, 0).endStep(157));
        assertEquals(157, new RunLength(1, 1000).endStep(157));
    }
}
