package dev.acgan.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.acgan.tck.FaultyBackend.Fault;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The TCK's sensitivity self-tests: the parity TCK, run exactly as a backend runs it
 * ({@link GanBackendParityTck} through a nested JUnit launcher), must fail against every deliberately
 * broken oracle of {@link FaultyBackend}, in the expected check and quantity, by at least
 * {@link #MARGIN} times the tolerance (so that float32 noise in a real backend could not hide the
 * mistake); and it must pass, every test of it, against the unbroken wrapper (the control). Both in the
 * fp32 profile and in the bf16 profile ({@link FaultyBackendBf16ParityTck}: the faulty oracle computes with
 * bf16 roundings and float32 sums, the looser bf16 tolerances apply, and the finite-difference spot check,
 * which is fp32 only, is skipped).
 */
class SensitivityTest {

    /** A caught fault must exceed its tolerance at least this many times. */
    static final double MARGIN = 10;

    /** Tests of the parity TCK on the custom specs (cheap on the oracle), by method name and parameter types. */
    private static final Map<String, String> CUSTOM_SPEC_TESTS = new LinkedHashMap<>();

    static {
        CUSTOM_SPEC_TESTS.put("lossParityCustomSpecs", "java.lang.String");
        CUSTOM_SPEC_TESTS.put("gradientParity", "java.lang.String");
        CUSTOM_SPEC_TESTS.put("finiteDifferenceSpotCheck", "java.lang.String");
        CUSTOM_SPEC_TESTS.put("updateParityCustomSpecs", "java.lang.String");
        CUSTOM_SPEC_TESTS.put("inferenceParityCustomSpecs", "java.lang.String");
        CUSTOM_SPEC_TESTS.put("checkpointPortability", "java.lang.String, java.nio.file.Path");
        CUSTOM_SPEC_TESTS.put("classifierLossParity", "java.lang.String");
        CUSTOM_SPEC_TESTS.put("classifierPredictionParity", "java.lang.String");
        CUSTOM_SPEC_TESTS.put("classifierGradientParity", "java.lang.String");
        CUSTOM_SPEC_TESTS.put("classifierUpdateParity", "java.lang.String");
    }

    /** A catch the TCK must make: this test method, on this spec, flags a quantity containing this text. */
    record Catch(String method, String spec, String quantity) {}

    /**
     * What each fault must trip in the fp32 profile (it may trip more; the run prints all it trips); none for
     * {@link Fault#SILENT_FP32}, which is a mistake only when bf16 was asked for.
     */
    static List<Catch> expected(Fault fault) {
        String acgan = "tck-tiny-acgan";
        String cgan = "tck-tiny-cgan";
        String gan = "tck-tiny-gan";
        String dcgan = "tck-tiny-dcgan";
        String loss = "lossParityCustomSpecs";
        String tinyClassifier = "tck-tiny-classifier";
        String lenet = "lenet";
        return switch (fault) {
            case NONE, SILENT_FP32 -> List.of();
            case D_REAL_ADVERSARIAL_OFF_1PCT ->
                List.of(
                        new Catch(loss, acgan, "discriminator loss realAdversarial"),
                        new Catch(loss, gan, "discriminator loss realAdversarial"));
            case D_FAKE_ADVERSARIAL_OFF_1PCT ->
                List.of(
                        new Catch(loss, acgan, "discriminator loss fakeAdversarial"),
                        new Catch(loss, cgan, "discriminator loss fakeAdversarial"));
            case D_REAL_AUXILIARY_OFF_1PCT ->
                List.of(
                        new Catch(loss, acgan, "discriminator loss realAuxiliary"),
                        new Catch(loss, dcgan, "discriminator loss realAuxiliary"));
            case D_FAKE_AUXILIARY_OFF_1PCT ->
                List.of(
                        new Catch(loss, acgan, "discriminator loss fakeAuxiliary"),
                        new Catch(loss, dcgan, "discriminator loss fakeAuxiliary"));
            case G_ADVERSARIAL_OFF_1PCT ->
                List.of(
                        new Catch(loss, acgan, "generator loss adversarial"),
                        new Catch(loss, gan, "generator loss adversarial"));
            case G_AUXILIARY_OFF_1PCT ->
                List.of(
                        new Catch(loss, acgan, "generator loss auxiliary"),
                        new Catch(loss, dcgan, "generator loss auxiliary"));
            case LABEL_SMOOTHING_IGNORED ->
                List.of(
                        new Catch(loss, acgan, "discriminator loss realAdversarial"),
                        new Catch(loss, gan, "generator loss adversarial"),
                        new Catch("gradientParity", cgan, "gradient discriminator/"),
                        new Catch("updateParityCustomSpecs", acgan, "state discriminator/"));
            case LEAKY_RELU_SLOPE ->
                List.of(
                        new Catch(loss, acgan, "discriminator loss"),
                        new Catch(loss, gan, "generator loss"),
                        new Catch("inferenceParityCustomSpecs", gan, "generated image"));
            case BATCH_NORM_EPSILON ->
                List.of(
                        new Catch(loss, acgan, "generator loss"),
                        new Catch(loss, cgan, "generator loss"),
                        new Catch(loss, dcgan, "discriminator loss"),
                        new Catch("inferenceParityCustomSpecs", acgan, "generated image"));
            case BATCH_NORM_MOMENTUM ->
                List.of(
                        new Catch("updateParityCustomSpecs", acgan, "generator/bn1/moving_mean"),
                        new Catch("updateParityCustomSpecs", cgan, "generator/bn0/moving_variance"),
                        new Catch("updateParityCustomSpecs", dcgan, "discriminator/bn1/moving_mean"));
            case NCHW_FLATTEN ->
                List.of(
                        new Catch(loss, acgan, "discriminator loss"),
                        new Catch(loss, cgan, "generator loss"),
                        new Catch("inferenceParityCustomSpecs", dcgan, "discriminator class probabilities"),
                        new Catch("lossParityPresets", "acgan-mnist", "discriminator loss"));
            case CLASS_EMBEDDING_IGNORED ->
                List.of(
                        new Catch(loss, acgan, "generator loss"),
                        new Catch("inferenceParityCustomSpecs", acgan, "generated image"),
                        new Catch("checkpointPortability", acgan, "backend loading the checkpoint"));
            case TRANSPOSED_CONV_KERNEL_FLIPPED ->
                List.of(
                        new Catch(loss, acgan, "generator loss"),
                        new Catch("inferenceParityCustomSpecs", dcgan, "generated image"),
                        new Catch("checkpointPortability", acgan, "backend loading the checkpoint"));
            case DROPOUT_MASKS_IGNORED ->
                List.of(
                        new Catch(loss, acgan, "discriminator loss"),
                        new Catch(loss, gan, "discriminator loss"),
                        new Catch("inferenceParityCustomSpecs", dcgan, "training mode"));
            case DISCRIMINATOR_STATISTICS_FROZEN ->
                List.of(
                        new Catch("updateParityCustomSpecs", dcgan, "discriminator/bn1/moving_mean"),
                        new Catch("updateParityCustomSpecs", dcgan, "discriminator/bn1/moving_variance"));
            case GENERATOR_STEP_MOVES_DISCRIMINATOR ->
                List.of(
                        new Catch("updateParityCustomSpecs", gan, "must not change"),
                        new Catch("updateParityCustomSpecs", acgan, "must not change"));
            case UPSAMPLING_ROWS_TILED ->
                List.of(
                        new Catch(loss, dcgan, "generator loss"),
                        new Catch("gradientParity", dcgan, "gradient generator/"),
                        new Catch("inferenceParityCustomSpecs", dcgan, "generated image"));
            case POOL_SIZE_FROM_STRIDES ->
                List.of(
                        new Catch("classifierLossParity", tinyClassifier, "classifier loss"),
                        new Catch("classifierPredictionParity", tinyClassifier, "class probabilities"),
                        new Catch("classifierPredictionParity", tinyClassifier, "features"),
                        new Catch("classifierGradientParity", tinyClassifier, "gradient classifier/conv1/kernel"),
                        new Catch("classifierUpdateParity", tinyClassifier, "state classifier/"));
            case CLASSIFIER_LOSS_SUMMED ->
                List.of(
                        new Catch("classifierLossParity", tinyClassifier, "classifier loss"),
                        new Catch("classifierLossParity", lenet, "classifier loss"),
                        new Catch("classifierGradientParity", lenet, "gradient classifier/"),
                        new Catch("classifierUpdateParity", lenet, "returned classifier loss"));
            case CLASSIFIER_FEATURES_BEFORE_RELU ->
                List.of(
                        new Catch("classifierPredictionParity", tinyClassifier, "features"),
                        new Catch("classifierPredictionParity", lenet, "features"));
        };
    }

    /**
     * What each fault must trip in the bf16 profile: as in fp32, except where bf16's flip allowance at small
     * batches leaves a catch under {@link #MARGIN} (BatchNorm's epsilon in tiny-dcgan's discriminator loss:
     * 5.4x; gradient parity catches it there instead), plus the silent fp32 run, which gradient and update
     * parity catch (its losses and outputs on the small custom specs stay within a few times bf16's
     * allowances).
     */
    static List<Catch> expectedInBf16(Fault fault) {
        String acgan = "tck-tiny-acgan";
        String dcgan = "tck-tiny-dcgan";
        return switch (fault) {
            case BATCH_NORM_EPSILON ->
                List.of(
                        new Catch("lossParityCustomSpecs", acgan, "generator loss"),
                        new Catch("lossParityCustomSpecs", "tck-tiny-cgan", "generator loss"),
                        new Catch("gradientParity", dcgan, "gradient generator/"),
                        new Catch("inferenceParityCustomSpecs", acgan, "generated image"));
            case SILENT_FP32 ->
                List.of(
                        new Catch("gradientParity", acgan, "gradient generator/"),
                        new Catch("updateParityCustomSpecs", acgan, "state generator/"));
            default -> classifierOnly(fault) ? List.of() : expected(fault);
        };
    }

    /** The faults of classifiers, which the bf16 profile does not check (they compute in fp32 only). */
    static boolean classifierOnly(Fault fault) {
        return fault == Fault.POOL_SIZE_FROM_STRIDES
                || fault == Fault.CLASSIFIER_LOSS_SUMMED
                || fault == Fault.CLASSIFIER_FEATURES_BEFORE_RELU;
    }

    /** The result of one test of the nested run: its method, display name (the spec) and outcome. */
    record Outcome(String method, String spec, TestExecutionResult result) {
        Throwable failure() {
            return result.getThrowable().orElse(null);
        }
    }

    private static List<Outcome> run(Fault fault, List<DiscoverySelector> selectors) {
        FaultyBackendParityTck.fault = fault;
        List<Outcome> outcomes = new ArrayList<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest() || result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    String method = id.getSource()
                            .filter(MethodSource.class::isInstance)
                            .map(s -> ((MethodSource) s).getMethodName())
                            .orElse(id.getDisplayName());
                    outcomes.add(new Outcome(method, id.getDisplayName(), result));
                }
            }
        };
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(selectors)
                                .build(),
                        listener);
        return outcomes;
    }

    @AfterEach
    void reset() {
        FaultyBackendParityTck.fault = Fault.NONE;
    }

    @Test
    void controlPassesTheWholeParityTck() {
        control(FaultyBackendParityTck.class);
    }

    @Test
    void controlPassesTheWholeParityTckInBf16() {
        control(FaultyBackendBf16ParityTck.class);
    }

    private static void control(Class<? extends GanBackendParityTck> tck) {
        List<Outcome> outcomes = run(Fault.NONE, List.of(selectClass(tck)));
        boolean bf16 = tck == FaultyBackendBf16ParityTck.class;
        List<String> bad = new ArrayList<>();
        for (Outcome o : outcomes) {
            boolean fpOnlySkipped = bf16
                    && (o.method().equals("finiteDifferenceSpotCheck")
                            || o.method().startsWith("classifier"))
                    && o.result().getStatus() == TestExecutionResult.Status.ABORTED;
            if (o.result().getStatus() != TestExecutionResult.Status.SUCCESSFUL && !fpOnlySkipped) {
                bad.add(o.method() + " " + o.spec() + ": " + o.result());
            }
        }
        assertTrue(bad.isEmpty(), "the unbroken oracle must pass every parity test:\n" + String.join("\n", bad));
        assertTrue(outcomes.size() >= 30, "ran only " + outcomes.size() + " parity tests");
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            mode = EnumSource.Mode.EXCLUDE,
            names = {"NONE", "SILENT_FP32"})
    void faultIsCaught(Fault fault) {
        caught(fault, FaultyBackendParityTck.class);
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            mode = EnumSource.Mode.EXCLUDE,
            names = {"NONE", "POOL_SIZE_FROM_STRIDES", "CLASSIFIER_LOSS_SUMMED", "CLASSIFIER_FEATURES_BEFORE_RELU"})
    void faultIsCaughtInBf16(Fault fault) {
        caught(fault, FaultyBackendBf16ParityTck.class);
    }

    private static void caught(Fault fault, Class<? extends GanBackendParityTck> tck) {
        List<Catch> expected = tck == FaultyBackendParityTck.class ? expected(fault) : expectedInBf16(fault);
        List<DiscoverySelector> selectors = new ArrayList<>();
        CUSTOM_SPEC_TESTS.forEach((method, params) -> selectors.add(selectMethod(tck, method, params)));
        if (expected.stream().anyMatch(c -> c.method().equals("lossParityPresets"))) {
            selectors.add(selectMethod(tck, "lossParityPresets", "java.lang.String"));
        }
        List<Outcome> outcomes = run(fault, selectors);

        StringBuilder matrix = new StringBuilder("[sensitivity] " + fault
                + (tck == FaultyBackendParityTck.class ? "" : " (bf16 profile)") + " tripped:");
        for (Outcome o : outcomes) {
            if (o.failure() instanceof ParityFailure pf) {
                double worst = pf.mismatches().stream()
                        .mapToDouble(ParityFailure.Mismatch::ratio)
                        .max()
                        .orElse(0);
                matrix.append(String.format(
                        Locale.ROOT,
                        "%n    %s[%s]: %d values, worst %.3g x tolerance, e.g. %s",
                        o.method(),
                        o.spec(),
                        pf.mismatches().size(),
                        worst,
                        pf.mismatches().get(0).quantity()));
            } else if (o.failure() != null) {
                matrix.append("\n    ")
                        .append(o.method())
                        .append('[')
                        .append(o.spec())
                        .append("]: ")
                        .append(o.failure());
            }
        }
        System.out.println(matrix);

        for (Catch c : expected) {
            Outcome o = outcomes.stream()
                    .filter(x -> x.method().equals(c.method()) && x.spec().equals(c.spec()))
                    .findFirst()
                    .orElse(null);
            if (o == null) {
                fail(c + " did not run");
            }
            if (!(o.failure() instanceof ParityFailure pf)) {
                fail(fault + " was not caught by " + c.method() + "[" + c.spec() + "]: " + o.result() + "\n" + matrix);
                return;
            }
            assertTrue(
                    pf.concerns(c.quantity()),
                    fault + ": " + c.method() + "[" + c.spec() + "] failed but flagged no quantity containing '"
                            + c.quantity() + "':\n" + pf.getMessage());
            double ratio = pf.worstRatio(c.quantity());
            assertTrue(
                    ratio >= MARGIN,
                    String.format(
                            Locale.ROOT,
                            "%s: %s[%s] caught '%s' only %.3g times beyond the tolerance (want >= %.0f)",
                            fault,
                            c.method(),
                            c.spec(),
                            c.quantity(),
                            ratio,
                            MARGIN));
        }
        for (Outcome o : outcomes) {
            if (o.failure() != null
                    && !(o.failure() instanceof ParityFailure)
                    && !(o.failure() instanceof org.opentest4j.TestAbortedException)) {
                fail(fault + ": " + o.method() + "[" + o.spec() + "] failed with something other than a parity "
                        + "failure (a broken check?): " + o.failure());
            }
        }
    }

    @Test
    void theOracleAgainstItselfIsExactOrWithinRounding() {
        ParityChecks oracle = new ParityChecks(new dev.acgan.tck.oracle.ReferenceBackend());
        for (dev.acgan.api.spec.ModelSpec spec : TckFixtures.customSpecs()) {
            assertEquals(0.0, oracle.lossParity(spec, 3, 1, 7).worstRatio(), spec.name());
            assertEquals(0.0, oracle.inferenceParity(spec, 3, 7).worstRatio(), spec.name());
            // States go through float32 (the API's tensors): rounding only, far inside the tolerances.
            assertTrue(oracle.updateParity(spec, 3, 7, 2).worstRatio() < 0.05, spec.name());
            assertTrue(oracle.gradientParity(spec, 3, 7).worstRatio() < 1e-3, spec.name());
        }
        ClassifierChecks classifiers = new ClassifierChecks(new dev.acgan.tck.oracle.ReferenceBackend());
        for (dev.acgan.api.spec.ClassifierSpec spec : TckFixtures.classifierSpecs()) {
            assertEquals(0.0, classifiers.lossParity(spec, 3, 1, 7).worstRatio(), spec.name());
            assertEquals(0.0, classifiers.predictionParity(spec, 3, 7).worstRatio(), spec.name());
            assertTrue(classifiers.updateParity(spec, 3, 7, 2).worstRatio() < 0.05, spec.name());
            assertTrue(classifiers.gradientParity(spec, 3, 7).worstRatio() < 1e-3, spec.name());
        }
        ParityChecks bf16 =
                new ParityChecks(new dev.acgan.tck.oracle.ReferenceBackend(), dev.acgan.api.model.Precision.BF16);
        for (dev.acgan.api.spec.ModelSpec spec : TckFixtures.customSpecs()) {
            assertEquals(0.0, bf16.lossParity(spec, 3, 1, 7).worstRatio(), spec.name());
            assertEquals(0.0, bf16.inferenceParity(spec, 3, 7).worstRatio(), spec.name());
            assertTrue(bf16.gradientParity(spec, 3, 7).worstRatio() < 1e-3, spec.name());
        }
    }

    @Test
    void everyFaultHasExpectations() {
        for (Fault f : Fault.values()) {
            assertEquals(f == Fault.NONE || f == Fault.SILENT_FP32, expected(f).isEmpty(), f.toString());
            assertEquals(f == Fault.NONE || classifierOnly(f), expectedInBf16(f).isEmpty(), f.toString());
        }
    }

    @Test
    void customSpecsCoverEveryLayerType() {
        assertEquals(TckFixtures.allLayerTypes(), TckFixtures.coveredLayerTypes());
    }
}
