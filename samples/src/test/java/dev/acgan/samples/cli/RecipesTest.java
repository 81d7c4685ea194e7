package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.Presets;
import dev.acgan.samples.config.ConfigFiles;
import dev.acgan.samples.config.TrainSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipes in the repository's {@code recipes/} folder are settings files {@code acgan train --config} takes: each
 * parses, passes the CLI's checks and names a model the CLI knows; the 15-minute recipe trains (two steps here, the
 * command line winning over the file) and its run's config.yaml keeps what the recipe set.
 */
class RecipesTest {

    /** The samples module's tests run in samples/; the recipes are beside it. */
    static final Path RECIPES = Path.of("..", "recipes");

    @TempDir
    Path tmp;

    @Test
    void everyRecipeIsAValidSettingsFile() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(RECIPES)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no recipes in " + RECIPES.toAbsolutePath());
        for (Path f : files) {
            TrainSettings s = ConfigFiles.read(f).validate();
            Models.preset(s.model);
            assertEquals(null, s.outdir, f + " must not fix an output directory");
        }
    }

    @Test
    void theFifteenMinuteRecipeTrainsAndIsKept() {
        Path recipe = RECIPES.resolve("acgan-hq-15min.yaml");
        TrainSettings r = ConfigFiles.read(recipe);
        assertEquals(Presets.ACGAN_HQ_WIDE, r.model);
        assertTrue(r.ema != null && r.ema > 0, "the recipe samples from the generator EMA");
        Path run = tmp.resolve("run");
        Cli.run(
                        "train",
                        "--config",
                        recipe.toString(),
                        "--steps",
                        "2",
                        "--batch-size",
                        "8",
                        "--eval-every",
                        "0",
                        "--outdir",
                        run.toString())
                .expect(0);
        TrainSettings kept = ConfigFiles.read(run.resolve("config.yaml"));
        assertEquals(Presets.ACGAN_HQ_WIDE, kept.model);
        assertEquals(r.ema, kept.ema);
        assertEquals(r.lrSchedule, kept.lrSchedule);
        assertEquals(r.sampleEvery, kept.sampleEvery);
        assertEquals(2L, kept.steps, "the command line wins over the recipe");
    }
}
