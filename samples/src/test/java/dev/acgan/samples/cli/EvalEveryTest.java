package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acgan.eval.render.LossPlot;
import dev.acgan.eval.render.PictureFiles;
import dev.acgan.samples.config.ConfigFiles;
import dev.acgan.samples.run.MetricsCsv;
import dev.acgan.samples.run.MetricsRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code acgan train --eval-every} on a tiny run (batch 8, 5 steps, every 2): the quality columns of
 * {@code metrics.csv} (checkerboard ratio included) are filled on steps 2, 4 and the last one, empty
 * elsewhere, and the last row holds the numbers {@code acgan evaluate} prints for the final checkpoint; a
 * run whose {@code metrics.csv} was written before the checkerboard column existed resumes into the new
 * header, its old rows kept.
 */
class EvalEveryTest {

    @TempDir
    static Path tmp;

    static Path run;
    static Cli.Result trained;

    @BeforeAll
    static void train() {
        run = tmp.resolve("run");
        trained = Cli.trainTiny(run, 5, "--eval-every", "2", "--sample-every", "0", "--checkpoint-every", "0");
    }

    @Test
    void qualityColumnsOnTheEvaluatedSteps() throws Exception {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"), StandardCharsets.UTF_8);
        assertEquals(MetricsRow.HEADER, lines.get(0));
        assertTrue(
                lines.get(0)
                        .endsWith(",eval_accuracy,eval_classifier_score,eval_fid,eval_checkerboard,eval_raw_fid,"
                                + "eval_raw_accuracy"),
                lines.get(0));
        List<MetricsRow> rows = MetricsCsv.readKeeping(run.resolve("metrics.csv"), Long.MAX_VALUE);
        assertEquals(
                List.of(2L, 4L, 5L),
                rows.stream()
                        .filter(MetricsRow::evaluated)
                        .map(MetricsRow::step)
                        .toList());
        for (MetricsRow r : rows) {
            if (r.evaluated()) {
                assertTrue(r.evalAccuracy() >= 0 && r.evalAccuracy() <= 1, r.toString());
                assertTrue(r.evalScore() >= 1 && r.evalScore() <= 10, r.toString());
                assertTrue(r.evalFid() > 0 && Double.isFinite(r.evalFid()), r.toString());
                // A generator after a few steps makes blotchy noise, not real digits: the ratio is finite and
                // positive, whatever its size.
                assertTrue(r.evalCheckerboard() > 0 && Double.isFinite(r.evalCheckerboard()), r.toString());
                // Without --ema there is no raw generator beside the run's one: those columns stay empty.
                assertTrue(lines.get((int) r.step()).endsWith(",,"), lines.get((int) r.step()));
                assertTrue(Double.isNaN(r.evalRawFid()) && Double.isNaN(r.evalRawAccuracy()), r.toString());
            } else {
                assertTrue(lines.get((int) r.step()).endsWith(",,,,"), lines.get((int) r.step()));
            }
        }
        assertTrue(trained.out().contains("newest sample grid (conditional accuracy "), trained.out());
        assertEquals(2L, ConfigFiles.read(run.resolve("config.yaml")).evalEvery);
        PictureFiles.png(run.resolve("loss.png"), LossPlot.WIDTH, 3 * LossPlot.CHART_HEIGHT);
    }

    @Test
    void lastRowMatchesEvaluate() throws Exception {
        List<MetricsRow> rows = MetricsCsv.readKeeping(run.resolve("metrics.csv"), Long.MAX_VALUE);
        MetricsRow last = rows.get(rows.size() - 1);
        JsonNode j = new ObjectMapper()
                .readTree(Cli.run("evaluate", "--checkpoint", run.toString(), "--json")
                        .expect(0)
                        .out());
        assertEquals(5, j.path("checkpoint").path("step").asLong());
        assertEquals(j.path("conditionalAccuracy").asDouble(), last.evalAccuracy(), 5e-5);
        assertEquals(j.path("classifierScore").path("generated").asDouble(), last.evalScore(), 5e-5);
        assertEquals(j.path("fid").path("generated").asDouble(), last.evalFid(), 5e-4);
        JsonNode cb = j.path("checkerboard");
        assertTrue(cb.path("ratio").isNumber(), j.toString());
        assertEquals(cb.path("ratio").asDouble(), last.evalCheckerboard(), 5e-5);
        assertEquals(
                cb.path("periodicShare").asDouble()
                        / cb.path("realPeriodicShare").asDouble(),
                cb.path("ratio").asDouble(),
                1e-12);
        String table =
                Cli.run("evaluate", "--checkpoint", run.toString()).expect(0).out();
        assertTrue(table.contains("checkerboard (gen / real)"), table);
    }

    @Test
    void resumeAfterAnOldHeaderKeepsTheRowsAndAddsTheColumn() throws Exception {
        Path old = tmp.resolve("old");
        try (Stream<Path> files = Files.walk(run)) {
            for (Path f : files.toList()) {
                Path to = old.resolve(run.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        // metrics.csv as the version before the checkerboard column wrote it: 15 fields (the last three of today's
        // 18 cut off: checkerboard, raw FID, raw accuracy).
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"), StandardCharsets.UTF_8);
        List<String> oldLines = lines.stream()
                .map(l -> String.join(
                        ",", java.util.Arrays.asList(l.split(",", -1)).subList(0, 15)))
                .toList();
        assertTrue(oldLines.get(0).endsWith(",eval_fid"), oldLines.get(0));
        Files.write(old.resolve("metrics.csv"), oldLines, StandardCharsets.UTF_8);

        Cli.run("train", "--resume", old.toString(), "--steps", "6").expect(0);

        List<String> resumed = Files.readAllLines(old.resolve("metrics.csv"), StandardCharsets.UTF_8);
        assertEquals(MetricsRow.HEADER, resumed.get(0));
        assertEquals(7, resumed.size(), resumed.toString());
        for (int i = 1; i <= 5; i++) {
            assertEquals(
                    oldLines.get(i) + ",,,", resumed.get(i), "row " + i + " kept, checkerboard and raw columns empty");
        }
        MetricsRow last = MetricsRow.parse(resumed.get(6));
        assertEquals(6, last.step());
        assertTrue(last.evaluated() && last.evalCheckerboard() > 0, last.toString());
    }

    @Test
    void oldMetricsLinesStillParse() {
        MetricsRow old = MetricsRow.parse("7,0,1.5,0.3,0.3,0.45,0.45,2.0,1.0,1.0,0.1000,80.0");
        assertEquals(7, old.step());
        assertTrue(!old.evaluated() && Double.isNaN(old.evalAccuracy()) && Double.isNaN(old.evalFid()));
        MetricsRow r = MetricsRow.parse(old.withQuality(new dev.acgan.eval.metrics.GeneratedQuality(0.5, 3.25, 12.5))
                .toCsv());
        assertEquals(0.5, r.evalAccuracy());
        assertEquals(3.25, r.evalScore());
        assertEquals(12.5, r.evalFid());
        assertTrue(Double.isNaN(r.evalCheckerboard()));
        MetricsRow beforeCheckerboard =
                MetricsRow.parse("7,0,1.5,0.3,0.3,0.45,0.45,2.0,1.0,1.0,0.1000,80.0,0.5000,3.2500,12.500");
        assertEquals(12.5, beforeCheckerboard.evalFid());
        assertTrue(beforeCheckerboard.evaluated() && Double.isNaN(beforeCheckerboard.evalCheckerboard()));
        MetricsRow withRatio =
                MetricsRow.parse(old.withQuality(new dev.acgan.eval.metrics.GeneratedQuality(0.5, 3.25, 12.5, 1.375))
                        .toCsv());
        assertEquals(1.375, withRatio.evalCheckerboard());
        MetricsRow beforeRaw =
                MetricsRow.parse("7,0,1.5,0.3,0.3,0.45,0.45,2.0,1.0,1.0,0.1000,80.0,0.5000,3.2500,12.500,1.3750");
        assertEquals(1.375, beforeRaw.evalCheckerboard());
        assertTrue(Double.isNaN(beforeRaw.evalRawFid()) && Double.isNaN(beforeRaw.evalRawAccuracy()));
        MetricsRow raw = MetricsRow.parse(beforeRaw
                .withRawQuality(new dev.acgan.eval.metrics.GeneratedQuality(0.25, 2.5, 20.5, 1.5))
                .toCsv());
        assertEquals(20.5, raw.evalRawFid());
        assertEquals(0.25, raw.evalRawAccuracy());
        assertEquals(12.5, raw.evalFid());
    }
}
