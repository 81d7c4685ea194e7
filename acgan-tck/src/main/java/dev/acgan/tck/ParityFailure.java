package dev.acgan.tck;

import java.util.List;
import java.util.Locale;

/**
 * A failed parity check: every value of the backend that lay outside its tolerance around the oracle's
 * value, each with the check, spec, batch, quantity, both values and the tolerance. It is an
 * {@link AssertionError}, so JUnit reports it as a test failure with the full list in the message.
 */
public final class ParityFailure extends AssertionError {

    private static final long serialVersionUID = 1L;
    /** Mismatches listed in the message; the rest are counted. */
    private static final int LISTED = 25;

    /**
     * One value outside its tolerance.
     *
     * @param check     the parity check, e.g. {@code loss parity}
     * @param spec      the spec's name
     * @param context   the batch and situation, e.g. {@code 7 real + 7 fake, standard targets}
     * @param quantity  what was compared, e.g. {@code discriminator loss realAdversarial} or a tensor name
     *                  with the element index
     * @param backend   the backend's value (or a summary such as a norm)
     * @param oracle    the oracle's value
     * @param error     the measured error (absolute difference, or norm of the difference); NaN when
     *                  the values could not be compared (a missing tensor, a wrong shape)
     * @param limit     the tolerance it exceeded
     * @param tolerance the tolerance as text, with its formula
     */
    public record Mismatch(
            String check,
            String spec,
            String context,
            String quantity,
            String backend,
            String oracle,
            double error,
            double limit,
            String tolerance) {

        /** How many tolerances the error is (infinite when not comparable). */
        public double ratio() {
            double r = error / limit;
            return Double.isNaN(r) ? Double.POSITIVE_INFINITY : r;
        }

        /** One line: check, spec, context, quantity, both values, error and tolerance. */
        public String describe() {
            return String.format(
                    Locale.ROOT,
                    "[%s] spec %s, %s: %s: backend %s, oracle %s, error %.3e > tolerance %s",
                    check,
                    spec,
                    context,
                    quantity,
                    backend,
                    oracle,
                    error,
                    tolerance);
        }
    }

    private final String backendName;
    private final transient List<Mismatch> mismatches;

    /** A failure of the named backend with at least one mismatch. */
    public ParityFailure(String backendName, List<Mismatch> mismatches) {
        super(message(backendName, mismatches));
        if (mismatches.isEmpty()) {
            throw new IllegalArgumentException("a parity failure needs at least one mismatch");
        }
        this.backendName = backendName;
        this.mismatches = List.copyOf(mismatches);
    }

    /** The backend that failed. */
    public String backendName() {
        return backendName;
    }

    /** Every mismatch, in the order found. */
    public List<Mismatch> mismatches() {
        return mismatches;
    }

    /** The largest {@link Mismatch#ratio()} among the mismatches whose quantity contains the text (0 if none). */
    public double worstRatio(String quantityText) {
        return mismatches.stream()
                .filter(m -> m.quantity().contains(quantityText))
                .mapToDouble(Mismatch::ratio)
                .max()
                .orElse(0);
    }

    /** Whether some mismatch's quantity contains the text (e.g. {@code realAdversarial}, {@code moving_mean}). */
    public boolean concerns(String quantityText) {
        return mismatches.stream().anyMatch(m -> m.quantity().contains(quantityText));
    }

    private static String message(String backendName, List<Mismatch> mismatches) {
        StringBuilder sb = new StringBuilder();
        sb.append("backend '")
                .append(backendName)
                .append("' differs from the oracle in ")
                .append(mismatches.size())
                .append(mismatches.size() == 1 ? " value" : " values")
                .append(':');
        for (int i = 0; i < Math.min(LISTED, mismatches.size()); i++) {
            sb.append("\n  ").append(mismatches.get(i).describe());
        }
        if (mismatches.size() > LISTED) {
            sb.append("\n  ... and ").append(mismatches.size() - LISTED).append(" more");
        }
        return sb.toString();
    }
}
