package dev.acgan.tck;

import java.util.Locale;

/**
 * The outcome of a passed parity check: how many values were compared and how close the worst came to
 * its tolerance ({@code worstRatio} = error / tolerance, at most 1 when the check passed). Printed by
 * {@link GanBackendParityTck} so a run shows the margins, not just green.
 *
 * @param check         the check, e.g. {@code loss parity}
 * @param spec          the spec's name
 * @param comparisons   number of compared quantities (scalars, tensors or elements, per check)
 * @param worstRatio    largest error / tolerance seen
 * @param worstQuantity where it was seen
 */
public record ParityReport(String check, String spec, int comparisons, double worstRatio, String worstQuantity) {

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%s, %s: %d comparisons, worst error/tolerance %.3g at %s",
                check,
                spec,
                comparisons,
                worstRatio,
                worstQuantity);
    }
}
