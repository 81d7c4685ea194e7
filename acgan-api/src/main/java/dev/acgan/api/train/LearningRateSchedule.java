package dev.acgan.api.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * A piecewise-constant learning-rate schedule: after {@code step} steps the Adam learning rates of both networks
 * become {@code factor} times the configured ones, until the next milestone (Keras' {@code PiecewiseConstantDecay}
 * with factors). Written as text, {@code "0.5@6000,0.25@9000"} (half the rate after 6,000 steps, a quarter after
 * 9,000); the empty text is the constant rate. Not {@code STEP:FACTOR}: YAML 1.1 reads {@code 6000:0.5} as a
 * base-60 number, so such a value in a settings file would need quotes.
 *
 * <p>The trainer applies a milestone by compiling the model again with the new rates and loading the whole state,
 * Adam moments and step counters included ({@link GanTrainer}), so a run with a schedule computes exactly what a
 * run stopped at the milestone and resumed with the lower rate computes.
 *
 * @param milestones the changes, by strictly increasing step
 */
public record LearningRateSchedule(List<Milestone> milestones) {

    /** The constant learning rate. */
    public static final LearningRateSchedule CONSTANT = new LearningRateSchedule(List.of());

    /** What the text form looks like, for error messages. */
    public static final String FORM = "FACTOR@STEP[,FACTOR@STEP...] with increasing steps, e.g. 0.5@6000";

    /**
     * One change of rate.
     *
     * @param step   the steps done before the new rate applies (at least 1)
     * @param factor the multiplier of the configured learning rates from then on (positive, finite)
     */
    public record Milestone(long step, double factor) {

        /** Validates the ranges. */
        public Milestone {
            if (step < 1) {
                throw new IllegalArgumentException("learning-rate milestone step must be at least 1, got " + step);
            }
            if (!(factor > 0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("learning-rate factor must be positive and finite, got " + factor);
            }
        }
    }

    /** Validates that the steps increase; copies the list. */
    public LearningRateSchedule {
        milestones = List.copyOf(milestones == null ? List.of() : milestones);
        for (int i = 1; i < milestones.size(); i++) {
            if (milestones.get(i).step() <= milestones.get(i - 1).step()) {
                throw new IllegalArgumentException("learning-rate milestones must have increasing steps, got "
                        + milestones.get(i - 1).step() + " before "
                        + milestones.get(i).step());
            }
        }
    }

    /**
     * Parses the text form.
     *
     * @param text {@code "FACTOR@STEP,..."}; {@code null} or blank is {@link #CONSTANT}
     * @throws IllegalArgumentException naming the part that is wrong and the expected form
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static LearningRateSchedule parse(String text) {
        if (text == null || text.isBlank()) {
            return CONSTANT;
        }
        List<Milestone> list = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String[] kv = part.trim().split("@", -1);
            try {
                if (kv.length != 2) {
                    throw new IllegalArgumentException("not FACTOR@STEP");
                }
                list.add(new Milestone(Long.parseLong(kv[1].trim()), Double.parseDouble(kv[0].trim())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "learning-rate schedule '" + text + "': '" + part.trim() + "' is wrong (" + e.getMessage()
                                + "); expected " + FORM,
                        e);
            }
        }
        return new LearningRateSchedule(list);
    }

    /** The factor of the update that follows {@code stepsDone} steps: 1 before the first milestone. */
    public double factorAt(long stepsDone) {
        double f = 1;
        for (Milestone m : milestones) {
            if (stepsDone >= m.step()) {
                f = m.factor();
            }
        }
        return f;
    }

    /** Whether the rate never changes. */
    public boolean isConstant() {
        return milestones.isEmpty();
    }

    /** The text form that {@link #parse} reads; empty for {@link #CONSTANT}. */
    @JsonValue
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Milestone m : milestones) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(m.factor()).append('@').append(m.step());
        }
        return b.toString();
    }
}
