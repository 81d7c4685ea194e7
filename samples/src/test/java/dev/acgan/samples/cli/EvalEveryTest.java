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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code acgan train --eval-every} on a tiny run (batch 8, 5 steps, every 2): the quality columns of
 * {@code metrics.csv} are filled on steps 2, 4 and the last one, empty elsewhere, and the last row holds
 * the numbers {@code acgan evaluate} prints for the final checkpoint.
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
        assertTrue(lines.get(0).endsWith(",eval_accuracy,eval_classifier_score,eval_fid"), lines.get(0));
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
            } else {
                assertTrue(lines.get((int) r.step()).endsWith(",,,"), lines.get((int) r.step()));
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
    }
}
