package dev.acgan.eval.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acgan.eval.classifier.Classifier;
import java.io.PrintWriter;
import java.util.Locale;

/** Writes an {@link EvaluationReport} as a readable table or as JSON. */
public final class ReportFormat {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What was evaluated.
     *
     * @param checkpoint    the checkpoint directory read
     * @param model         the model's name, e.g. {@code acgan-mnist}
     * @param kind          ACGAN, CGAN or GAN
     * @param step          the training step of the checkpoint
     * @param dataset       the dataset the model was trained on, as the checkpoint names it
     * @param backend       the backend that ran the generator
     * @param seed          the seed of the noise
     * @param countPerClass generated images per class
     */
    public record Subject(
            String checkpoint,
            String model,
            String kind,
            long step,
            String dataset,
            String backend,
            long seed,
            int countPerClass) {}

    private ReportFormat() {}

    /** The report as a JSON document (NaN as null). */
    public static String json(Subject s, Classifier c, EvaluationReport r) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode ck = root.putObject("checkpoint");
        ck.put("path", s.checkpoint());
        ck.put("model", s.model());
        ck.put("kind", s.kind());
        ck.put("step", s.step());
        ck.put("dataset", s.dataset());
        root.put("backend", s.backend());
        root.put("seed", s.seed());
        root.put("countPerClass", s.countPerClass());
        root.put("generatedImages", r.generatedImages());
        ObjectNode cl = root.putObject("classifier");
        cl.put("source", c.source());
        cl.put("sha256", c.sha256());
        cl.put("dataset", c.dataset());
        cl.put("architecture", c.shape().toString());
        cl.put("testAccuracy", r.classifierTestAccuracy());
        cl.put("testImages", r.testImages());
        cl.put("referenceImages", r.referenceImages());
        number(root, "conditionalAccuracy", r.conditionalAccuracy());
        ObjectNode cs = root.putObject("classifierScore");
        number(cs, "generated", r.classifierScore());
        number(cs, "real", r.realClassifierScore());
        cs.put("max", r.classes());
        ObjectNode fid = root.putObject("fid");
        number(fid, "generated", r.fid());
        number(fid, "baseline", r.fidBaseline());
        fid.put("realImages", r.realImages());
        fid.put("referenceImages", r.referenceImages());
        ObjectNode div = root.putObject("diversity");
        number(div, "generated", r.diversity());
        number(div, "real", r.realDiversity());
        ObjectNode cb = root.putObject("checkerboard");
        number(cb, "ratio", r.checkerboard());
        number(cb, "periodicShare", r.periodicShare());
        number(cb, "realPeriodicShare", r.realPeriodicShare());
        ObjectNode real = root.putObject("real");
        real.put("images", r.realImages());
        number(real, "accuracy", r.realAccuracy());
        ArrayNode pc = root.putArray("perClass");
        for (EvaluationReport.ClassScores k : r.perClass()) {
            ObjectNode o = pc.addObject();
            o.put("class", k.label());
            o.put("name", k.name());
            o.put("generated", k.generated());
            number(o, "accuracy", k.accuracy());
            number(o, "share", k.share());
            number(o, "diversity", k.diversity());
            o.put("real", k.real());
            number(o, "realAccuracy", k.realAccuracy());
            number(o, "realDiversity", k.realDiversity());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    /** The report as a table. */
    public static void table(Subject s, Classifier c, EvaluationReport r, PrintWriter w) {
        w.printf(
                Locale.ROOT,
                "Checkpoint  %s: %s (%s), step %d, trained on %s; generated with %s%n",
                s.checkpoint(),
                s.model(),
                s.kind(),
                s.step(),
                s.dataset(),
                s.backend());
        w.printf(
                Locale.ROOT,
                "Classifier  %s (LeNet, sha256 %s): %s on the %s test split (%d images)%n",
                c.source(),
                c.sha256() == null ? "-" : c.sha256().substring(0, 12),
                percent(r.classifierTestAccuracy()),
                c.dataset(),
                r.testImages());
        w.printf(
                Locale.ROOT,
                "Images      %d generated (%s, seed %d); %d real test images (the first %d per "
                        + "class at most); FID reference: features of %d training images%n",
                r.generatedImages(),
                r.conditional() ? s.countPerClass() + " per class" : "unconditional",
                s.seed(),
                r.realImages(),
                s.countPerClass(),
                r.referenceImages());
        w.println();
        w.printf(Locale.ROOT, "  %-28s %12s %12s%n", "", "generated", "real");
        w.printf(
                Locale.ROOT,
                "  %-28s %12s %12s%n",
                "conditional accuracy",
                percent(r.conditionalAccuracy()),
                percent(r.realAccuracy()));
        w.printf(
                Locale.ROOT,
                "  %-28s %12s %12s%n",
                "classifier score (max " + r.classes() + ")",
                fixed(r.classifierScore(), 2),
                fixed(r.realClassifierScore(), 2));
        w.printf(
                Locale.ROOT,
                "  %-28s %12s %12s%n",
                "FID (real: test vs train)",
                fixed(r.fid(), 2),
                fixed(r.fidBaseline(), 2));
        w.printf(
                Locale.ROOT,
                "  %-28s %12s %12s%n",
                "diversity (mean per class)",
                fixed(r.diversity(), 3),
                fixed(r.realDiversity(), 3));
        w.printf(
                Locale.ROOT,
                "  %-28s %12s %12s%n",
                "grid-periodic energy share",
                fixed(r.periodicShare(), 4),
                fixed(r.realPeriodicShare(), 4));
        w.printf(
                Locale.ROOT,
                "  %-28s %12s %12s%n",
                "checkerboard (gen / real)",
                fixed(r.checkerboard(), 2),
                Double.isNaN(r.realPeriodicShare()) ? "n/a" : "1.00");
        w.println();
        int nameWidth = 4;
        for (EvaluationReport.ClassScores k : r.perClass()) {
            nameWidth = Math.max(nameWidth, k.name().length());
        }
        String fmt = "  %5s  %-" + nameWidth + "s %9s %8s %7s %10s %10s %10s%n";
        w.printf(Locale.ROOT, fmt, "class", "name", "accuracy", "share", "images", "diversity", "real acc", "real div");
        for (EvaluationReport.ClassScores k : r.perClass()) {
            w.printf(
                    Locale.ROOT,
                    fmt,
                    k.label(),
                    k.name(),
                    percent(k.accuracy()),
                    percent(k.share()),
                    k.generated(),
                    fixed(k.diversity(), 3),
                    percent(k.realAccuracy()),
                    fixed(k.realDiversity(), 3));
        }
        w.println();
        w.println("accuracy: share classified as the requested class; share: share of all generated images classified"
                + " as the class;");
        w.println("diversity: mean pairwise distance of classifier features (lower than real: less varied images);");
        w.println("checkerboard: share of pixel energy in patterns of period 2 or 4 locked to the pixel grid, generated"
                + " over real (above 1: more checkerboard texture than real images).");
        if (!r.conditional()) {
            w.println("An unconditional model has no requested classes: its images are grouped by the class the "
                    + "classifier gives them.");
        }
        w.flush();
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String fixed(double v, int digits) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
