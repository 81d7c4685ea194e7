package dev.acgan.samples.run;

import dev.acgan.api.train.StepResult;
import dev.acgan.eval.render.LossPlot;
import java.util.Locale;

/**
 * One line of {@code metrics.csv}: the losses of one step and its speed.
 *
 * @param step            1-based step number
 * @param epoch           0-based epoch of the step
 * @param dTotal          total discriminator loss
 * @param dRealAdv        adversarial term on real images
 * @param dFakeAdv        adversarial term on fakes
 * @param dRealAux        class term on real images (ACGAN only, else 0)
 * @param dFakeAux        class term on fakes (ACGAN only, else 0)
 * @param gTotal          total generator loss
 * @param gAdv            adversarial term of the generator
 * @param gAux            class term of the generator (ACGAN only, else 0)
 * @param seconds         wall time of the step
 * @param imagesPerSecond real images of the step divided by its wall time
 */
public record MetricsRow(long step, int epoch, double dTotal, double dRealAdv, double dFakeAdv, double dRealAux,
                         double dFakeAux, double gTotal, double gAdv, double gAux, double seconds,
                         double imagesPerSecond) implements LossPlot.Row {

    /** The CSV header line. */
    public static final String HEADER = "step,epoch,d_total,d_real_adv,d_fake_adv,d_real_aux,d_fake_aux,"
            + "g_total,g_adv,g_aux,seconds,images_per_second";

    /** The row of a step result. */
    public static MetricsRow of(StepResult r) {
        double s = r.seconds();
        return new MetricsRow(r.step(), r.epoch(), r.discriminator().total(), r.discriminator().realAdversarial(),
                r.discriminator().fakeAdversarial(), r.discriminator().realAuxiliary(),
                r.discriminator().fakeAuxiliary(), r.generator().total(), r.generator().adversarial(),
                r.generator().auxiliary(), s, s > 0 ? r.realImages() / s : 0);
    }

    /** The CSV line (no line break). */
    public String toCsv() {
        return String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.4f,%.1f", step, epoch,
                dTotal, dRealAdv, dFakeAdv, dRealAux, dFakeAux, gTotal, gAdv, gAux, seconds, imagesPerSecond);
    }

    /** Parses a CSV line written by {@link #toCsv()}; throws {@link IllegalArgumentException} if malformed. */
    public static MetricsRow parse(String line) {
        String[] f = line.strip().split(",");
        if (f.length != 12) {
            throw new IllegalArgumentException("expected 12 fields, got " + f.length);
        }
        try {
            return new MetricsRow(Long.parseLong(f[0]), Integer.parseInt(f[1]), d(f[2]), d(f[3]), d(f[4]), d(f[5]),
                    d(f[6]), d(f[7]), d(f[8]), d(f[9]), d(f[10]), d(f[11]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }
}
