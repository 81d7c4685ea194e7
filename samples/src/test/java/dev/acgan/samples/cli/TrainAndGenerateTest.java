package dev.acgan.samples.cli;

import static dev.acgan.eval.render.PictureFiles.gifFrames;
import static dev.acgan.eval.render.PictureFiles.png;
import static dev.acgan.eval.render.PictureFiles.samePixels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointType;
import dev.acgan.eval.render.ImageGrid;
import dev.acgan.eval.render.LossPlot;
import dev.acgan.samples.config.ConfigFiles;
import dev.acgan.samples.config.TrainSettings;
import dev.acgan.samples.run.MetricsRow;
import dev.acgan.samples.run.RunLayout;
import dev.acgan.samples.run.TrainingSession;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One tiny ACGAN run (batch 8, 3 steps) and what {@code train} and {@code generate} make of it. */
class TrainAndGenerateTest {

    static final int GRID = ImageGrid.extent(10, 28);

    @TempDir
    static Path tmp;

    static Path run;
    static Cli.Result trained;

    @BeforeAll
    static void train() {
        run = tmp.resolve("run");
        trained = Cli.trainTiny(
                run, 3, "--model", "acgan", "--sample-every", "1", "--checkpoint-every", "2", "--keep", "1");
    }

    @Test
    void printsWhereEverythingIs() {
        assertTrue(trained.out().contains("Done: step 3"), trained.out());
        assertTrue(trained.out().contains("checkpoints/step-000000003/"), trained.out());
        assertTrue(trained.out().contains("samples/progress.gif"), trained.out());
        assertTrue(trained.out().contains("acgan generate --checkpoint " + run), trained.out());
    }

    @Test
    void metricsHaveHeaderAndOneRowPerStep() throws Exception {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"), StandardCharsets.UTF_8);
        assertEquals(MetricsRow.HEADER, lines.get(0));
        assertEquals(
                "step,epoch,d_total,d_real_adv,d_fake_adv,d_real_aux,d_fake_aux,g_total,g_adv,g_aux,seconds,"
                        + "images_per_second,eval_accuracy,eval_classifier_score,eval_fid,eval_checkerboard,eval_raw_fid,"
                        + "eval_raw_accuracy",
                lines.get(0));
        assertEquals(4, lines.size());
        for (int i = 1; i <= 3; i++) {
            MetricsRow r = MetricsRow.parse(lines.get(i));
            assertEquals(i, r.step());
            assertEquals(0, r.epoch());
            assertEquals(r.dRealAdv() + r.dFakeAdv() + r.dRealAux() + r.dFakeAux(), r.dTotal(), 1e-4);
            assertEquals(r.gAdv() + r.gAux(), r.gTotal(), 1e-4);
            assertTrue(r.dRealAux() > 0, "ACGAN has class terms");
            assertTrue(r.seconds() > 0 && r.imagesPerSecond() > 0);
        }
    }

    @Test
    void keepsTheLastCheckpointAndPointsToIt() throws Exception {
        RunLayout layout = new RunLayout(run);
        try (var s = Files.list(layout.checkpoints())) {
            assertEquals(
                    List.of("latest", "step-000000003"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "--keep 1 keeps one checkpoint");
        }
        assertEquals("step-000000003", Files.readString(layout.latestPointer()).strip());
        Checkpoint c = Checkpoint.read(layout.checkpoint(3));
        assertEquals(CheckpointType.TRAINING, c.metadata().type());
        assertEquals(3, c.metadata().position().step());
        assertEquals(8, c.metadata().config().batchSize());
        assertEquals("acgan-fast", c.metadata().spec().name());
        Checkpoint g = Checkpoint.read(layout.generator());
        assertEquals(CheckpointType.GENERATOR, g.metadata().type());
        assertEquals(3, g.metadata().position().step());
        assertTrue(g.tensors().names().stream().allMatch(n -> n.startsWith("generator/")));
        assertEquals(c.tensors().withPrefix("generator/").asMap(), g.tensors().asMap());
    }

    @Test
    void gridsPerSampleStepAndAnimatedGif() throws Exception {
        RunLayout layout = new RunLayout(run);
        List<Path> grids = TrainingSession.gridFiles(layout.samples());
        assertEquals(
                List.of(
                        "grid-step-000000000.png",
                        "grid-step-000000001.png",
                        "grid-step-000000002.png",
                        "grid-step-000000003.png"),
                grids.stream().map(p -> p.getFileName().toString()).toList());
        for (Path p : grids) {
            png(p, GRID, GRID);
        }
        assertEquals(grids.size(), gifFrames(layout.progressGif()));
    }

    @Test
    void lossPlotAndConfig() throws Exception {
        // Losses of D and G, and the quality measured at the last step (--eval-every's default on mnist).
        BufferedImage plot = png(run.resolve("loss.png"), LossPlot.WIDTH, 3 * LossPlot.CHART_HEIGHT);
        assertEquals(LossPlot.WIDTH, plot.getWidth());
        TrainSettings cfg = ConfigFiles.read(run.resolve("config.yaml"));
        assertEquals("acgan", cfg.model);
        assertEquals(8, cfg.batchSize);
        assertEquals("2,0,3", cfg.auxWeights, "acgan-fast's recipe");
        assertEquals(
                3f,
                Checkpoint.read(run.resolve("generator")).metadata().config().auxWeightGenerator());
        assertEquals(3L, cfg.steps);
        assertEquals(1, cfg.epochs);
        assertEquals("tensorflow", cfg.backend);
        assertEquals(run.toString(), cfg.outdir);
        assertEquals(TrainSettings.DEFAULT_SEED, cfg.seed);
    }

    @Test
    void generateAllClassesFromRunDirectory() throws Exception {
        Path out = tmp.resolve("all.png");
        Cli.Result r = Cli.run("generate", "--checkpoint", run.toString(), "--count", "4", "--out", out.toString())
                .expect(0);
        assertTrue(r.out().contains("step 3"), r.out());
        png(out, ImageGrid.extent(4, 28), ImageGrid.extent(10, 28));
    }

    @Test
    void generateOneClassFromGeneratorExportIsReproducible() throws Exception {
        Path a = tmp.resolve("a.png");
        Path b = tmp.resolve("b.png");
        Path c = tmp.resolve("c.png");
        String gen = run.resolve("generator").toString();
        Cli.run("generate", "--checkpoint", gen, "--class", "3", "--count", "5", "--seed", "7", "--out", a.toString())
                .expect(0);
        Cli.run("generate", "--checkpoint", gen, "--class", "3", "--count", "5", "--seed", "7", "--out", b.toString())
                .expect(0);
        Cli.run("generate", "--checkpoint", gen, "--class", "3", "--count", "5", "--seed", "8", "--out", c.toString())
                .expect(0);
        BufferedImage ia = png(a, ImageGrid.extent(5, 28), ImageGrid.extent(1, 28));
        assertTrue(samePixels(ia, png(b, ImageGrid.extent(5, 28), ImageGrid.extent(1, 28))), "same seed, same images");
        assertFalse(samePixels(ia, png(c, ImageGrid.extent(5, 28), ImageGrid.extent(1, 28))), "other seed");
    }

    @Test
    void generateFromTrainingCheckpointWithScale() throws Exception {
        Path out = tmp.resolve("twelve.png");
        Cli.run(
                        "generate",
                        "--checkpoint",
                        run.resolve("checkpoints/step-000000003").toString(),
                        "--class",
                        "0",
                        "--count",
                        "12",
                        "--scale",
                        "2",
                        "--out",
                        out.toString())
                .expect(0);
        png(out, 2 * ImageGrid.extent(10, 28), 2 * ImageGrid.extent(2, 28));
    }

    @Test
    void interpolateOneRowPerClass() throws Exception {
        Path out = tmp.resolve("walk.png");
        Cli.Result r = Cli.run(
                        "generate",
                        "--checkpoint",
                        run.toString(),
                        "--interpolate",
                        "1:2",
                        "--count",
                        "6",
                        "--out",
                        out.toString())
                .expect(0);
        assertTrue(r.out().contains("latent walk from seed 1 to seed 2"), r.out());
        png(out, ImageGrid.extent(6, 28), ImageGrid.extent(10, 28));
        Path one = tmp.resolve("walk5.png");
        Cli.run(
                        "generate",
                        "--checkpoint",
                        run.toString(),
                        "--interpolate",
                        "1:2",
                        "--class",
                        "5",
                        "--count",
                        "3",
                        "--out",
                        one.toString())
                .expect(0);
        png(one, ImageGrid.extent(3, 28), ImageGrid.extent(1, 28));
    }

    @Test
    void trainingGridMatchesGenerateWithTheSameNoise() throws Exception {
        // The last training grid is the generator of step 3 on SeedStreams(seed, SAMPLES, 0) noise; reading
        // it back from the export and rendering the same grid must give the same picture.
        var spec = Checkpoint.read(run.resolve("generator")).metadata().spec();
        var grid = dev.acgan.eval.render.SampleGrid.training(spec, TrainSettings.DEFAULT_SEED);
        var loader = Wiring.injector(null).getInstance(dev.acgan.api.inject.GeneratorLoader.class);
        try (var g = loader.load(run.resolve("generator"))) {
            BufferedImage expected = grid.render(g);
            assertTrue(samePixels(expected, png(new RunLayout(run).grid(3), GRID, GRID)));
        }
    }
}
