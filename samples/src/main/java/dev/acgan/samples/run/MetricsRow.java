package dev.acgan.samples.run;

import dev.acgan.api.train.StepResult;
import dev.acgan.eval.metrics.GeneratedQuality;
import dev.acgan.eval.render.LossPlot;
import java.util.Locale;

/**
 * One line of {@code metrics.csv}: the losses of one step, its speed, and on the steps where the run
 * evaluated its generator ({@code --eval-every}) the quality numbers; the quality fields are empty in the
 * file (NaN here) on other steps.
 *
 * @param step             1-based step number
 * @param epoch            0-based epoch of the step
 * @param dTotal           total discriminator loss
 * @param dRealAdv         adversarial term on real images
 * @param dFakeAdv         adversarial term on fakes
 * @param dRealAux         class term on real images (ACGAN only, else 0)
 * @param dFakeAux         class term on fakes (ACGAN only, else 0)
 * @param gTotal           total generator loss
 * @param gAdv             adversarial term of the generator
 * @param gAux             class term of the generator (ACGAN only, else 0)
 * @param seconds          wall time of the step
 * @param imagesPerSecond  real images of the step divided by its wall time
 * @param evalAccuracy     conditional accuracy of the generated images after this step, or NaN
 * @param evalScore        their classifier score, or NaN
 * @param evalFid          their FID, or NaN
 * @param evalCheckerboard their checkerboard ratio ({@link dev.acgan.eval.metrics.Checkerboard}), or NaN
 * @param evalRawFid       with a generator EMA ({@code --eval-every} then measures the averaged generator): the
 *                         FID of the raw, non-averaged generator at the same step, or NaN
 * @param evalRawAccuracy  the same for the conditional accuracy, or NaN
 */
public record MetricsRow(
        long step,
        int epoch,
        double dTotal,
        double dRealAdv,
        double dFakeAdv,
        double dRealAux,
        double dFakeAux,
        double gTotal,
        double gAdv,
        double gAux,
        double seconds,
        double imagesPerSecond,
        double evalAccuracy,
        double evalScore,
        double evalFid,
        double evalCheckerboard,
        double evalRawFid,
        double evalRawAccuracy)
        implements LossPlot.Row {

    /** The CSV header line. */
    public static final String HEADER = "step,epoch,d_total,d_real_adv,d_fake_adv,d_real_aux,d_fake_aux,"
            + "g_total,g_adv,g_aux,seconds,images_per_second,eval_accuracy,eval_classifier_score,eval_fid,"
            + "eval_checkerboard,eval_raw_fid,eval_raw_accuracy";
    /** Fields of a line written before the quality columns existed; such lines are still read. */
    private static final int LOSS_FIELDS = 12;
    /** Fields of a line written before the checkerboard column existed; such lines are still read. */
    private static final int FID_FIELDS = 15;

    /** Fields of a line written before the raw-generator columns existed; such lines are still read. */
    private static final int CHECKERBOARD_FIELDS = 16;

    private static final int FIELDS = 18;

    /** The row of a step result, without quality numbers. */
    public static MetricsRow of(StepResult r) {
        double s = r.seconds();
        return new MetricsRow(
                r.step(),
                r.epoch(),
                r.discriminator().total(),
                r.discriminator().realAdversarial(),
                r.discriminator().fakeAdversarial(),
                r.discriminator().realAuxiliary(),
                r.discriminator().fakeAuxiliary(),
                r.generator().total(),
                r.generator().adversarial(),
                r.generator().auxiliary(),
                s,
                s > 0 ? r.realImages() / s : 0,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN);
    }

    /** This row with the quality numbers measured after its step. */
    public MetricsRow withQuality(GeneratedQuality q) {
        return new MetricsRow(
                step,
                epoch,
                dTotal,
                dRealAdv,
                dFakeAdv,
                dRealAux,
                dFakeAux,
                gTotal,
                gAdv,
                gAux,
                seconds,
                imagesPerSecond,
                q.conditionalAccuracy(),
                q.classifierScore(),
                q.fid(),
                q.checkerboard(),
                evalRawFid,
                evalRawAccuracy);
    }

    /**
     * This row with the FID and conditional accuracy of the raw generator, measured beside the averaged one when
     * the run keeps a generator EMA.
     */
    public MetricsRow withRawQuality(GeneratedQuality raw) {
        return new MetricsRow(
                step,
                epoch,
                dTotal,
                dRealAdv,
                dFakeAdv,
                dRealAux,
                dFakeAux,
                gTotal,
                gAdv,
                gAux,
                seconds,
                imagesPerSecond,
                evalAccuracy,
                evalScore,
                evalFid,
                evalCheckerboard,
                raw.fid(),
                raw.conditionalAccuracy());
    }

    /** Whether the run evaluated its generator after this step (a classifier score is always measured then). */
    public boolean evaluated() {
        return !Double.isNaN(evalScore);
    }

    /** The CSV line (no line break). */
    public String toCsv() {
        return String.format(
                Locale.ROOT,
                "%d,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.4f,%.1f,%s,%s,%s,%s,%s,%s",
                step,
                epoch,
                dTotal,
                dRealAdv,
                dFakeAdv,
                dRealAux,
                dFakeAux,
                gTotal,
                gAdv,
                gAux,
                seconds,
                imagesPerSecond,
                optional(evalAccuracy, "%.4f"),
                optional(evalScore, "%.4f"),
                optional(evalFid, "%.3f"),
                optional(evalCheckerboard, "%.4f"),
                optional(evalRawFid, "%.3f"),
                optional(evalRawAccuracy, "%.4f"));
    }

    /**
     * Parses a CSV line written by {@link #toCsv()} (or by a version without the quality columns, the
     * checkerboard column or the raw-generator columns: the missing numbers are NaN); throws
     * {@link IllegalArgumentException} if
     * malformed.
     */
    public static MetricsRow parse(String line) {
        String[] f = line.strip().split(",", -1);
        if (f.length != FIELDS
                && f.length != CHECKERBOARD_FIELDS
                && f.length != FID_FIELDS
                && f.length != LOSS_FIELDS) {
            throw new IllegalArgumentException("expected " + FIELDS + " fields, got " + f.length);
        }
        boolean quality = f.length >= FID_FIELDS;
        try {
            return new MetricsRow(
                    Long.parseLong(f[0]),
                    Integer.parseInt(f[1]),
                    d(f[2]),
                    d(f[3]),
                    d(f[4]),
                    d(f[5]),
                    d(f[6]),
                    d(f[7]),
                    d(f[8]),
                    d(f[9]),
                    d(f[10]),
                    d(f[11]),
                    quality ? opt(f[12]) : Double.NaN,
                    quality ? opt(f[13]) : Double.NaN,
                    quality ? opt(f[14]) : Double.NaN,
                    f.length >= CHECKERBOARD_FIELDS ? opt(f[15]) : Double.NaN,
                    f.length == FIELDS ? opt(f[16]) : Double.NaN,
                    f.length == FIELDS ? opt(f[17]) : Double.NaN);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String optional(double v, String format) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, format, v);
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }

    private static double opt(String s) {
        return s.isBlank() ? Double.NaN : Double.parseDouble(s);
    }
}
