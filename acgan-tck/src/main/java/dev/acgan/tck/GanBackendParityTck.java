package dev.acgan.tck;

import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.GanBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The numerical part of the TCK: the backend against the double-precision oracle, through
 * {@link ParityChecks} (tolerances in {@link ParityTolerances}). A backend's tests run the whole TCK
 * with two small classes, this one and {@link GanBackendTck} (the contracts):
 *
 * <pre>{@code
 * class MyBackendTckTest extends GanBackendTck {
 *     @Override protected GanBackend backend() { return new MyBackend(); }
 * }
 * class MyBackendParityTckTest extends GanBackendParityTck {
 *     @Override protected GanBackend backend() { return new MyBackend(); }
 * }
 * }</pre>
 *
 * Coverage: loss parity on the four custom specs of {@link TckFixtures#customSpecs()} at batch sizes 1, 7
 * and 100 in both {@link ParityChecks.Setting}s, and on the six presets of {@link TckFixtures#presets()} at batch sizes 1, 7 and 100
 * (standard setting, real MNIST digits); gradient parity and finite-difference spot checks on the custom
 * specs (skipped without {@link dev.acgan.api.spi.Capability#GRADIENTS}); update parity (two D+G steps)
 * on the custom specs at batch 7 and one step of each ACGAN preset at batch 2; inference parity of both
 * networks' outputs; checkpoint portability to the oracle. Classifiers ({@link ClassifierChecks}, skipped
 * without {@link dev.acgan.api.spi.Capability#CLASSIFIER}): loss parity at batch 1, 7 and 100, prediction
 * parity, gradient parity with finite-difference spot checks, update parity over two steps of different
 * learning rates, on {@link TckFixtures#tinyClassifier()} and LeNet on real MNIST digits. Each test prints
 * its {@link ParityReport} (the worst error/tolerance ratio) to standard output.
 */
public abstract class GanBackendParityTck {

    /** Seed of the weights and inputs of every parity test. */
    protected static final long SEED = 20240611L;

    /** The backend under test; may return a new instance per call. */
    protected abstract GanBackend backend();

    /**
     * The precision the backend is checked in: {@link Precision#FP32} (the default), or {@link Precision#BF16}
     * for the bf16 profile (a third class of a backend that offers bf16 overrides this; every test is then
     * skipped where the backend cannot compute in bf16, with its reason).
     */
    protected Precision precision() {
        return Precision.FP32;
    }

    /** The checks of {@link #backend()} in {@link #precision()}. */
    protected ParityChecks checks() {
        return new ParityChecks(backend(), precision());
    }

    /**
     * The classifier checks of {@link #backend()}; skipped in the bf16 profile, as classifiers compute in fp32
     * only ({@code GanBackend.createClassifier} takes no precision) and the fp32 class checks them.
     */
    protected ClassifierChecks classifierChecks() {
        Assumptions.assumeTrue(
                precision() == Precision.FP32, "classifiers compute in fp32 only; the fp32 profile " + "checks them");
        return new ClassifierChecks(backend());
    }

    /** Names of the classifier specs (parameter source). */
    public static Stream<String> classifierSpecNames() {
        return TckFixtures.classifierSpecs().stream().map(dev.acgan.api.spec.ClassifierSpec::name);
    }

    /** Names of the custom specs (parameter source). */
    public static Stream<String> customSpecNames() {
        return TckFixtures.customSpecs().stream().map(ModelSpec::name);
    }

    /** Names of the presets of {@link TckFixtures#presets()} (parameter source). */
    public static Stream<String> presetNames() {
        return TckFixtures.presets().stream().map(ModelSpec::name);
    }

    private static void print(ParityReport report) {
        System.out.println("[tck parity] " + report);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.acgan.tck.GanBackendParityTck#customSpecNames")
    @DisplayName("loss parity, custom specs, batch 1, 7 and 100, standard and varied targets and weights")
    void lossParityCustomSpecs(String spec) {
        print(checks().lossParity(TckFixtures.spec(spec), SEED, 1, 7, 100));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.acgan.tck.GanBackendParityTck#presetNames")
    @DisplayName("loss parity, presets on real MNIST digits, batch 1, 7 and 100, standard targets and weights")
    void lossParityPresets(String preset) {
        print(checks().lossParity(Presets.byName(preset), SEED, List.of(ParityChecks.Setting.STANDARD), 1, 7, 100));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.acgan.tck.GanBackendParityTck#customSpecNames")
    @DisplayName("gradient parity with the oracle's exact gradients, custom specs, batch 1 and 7")
    void gradientParity(String spec) {
        print(checks().gradientParity(TckFixtures.spec(spec), SEED, 1, 7));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.acgan.tck.GanBackendParityTck#customSpecNames")
    @DisplayName("gradients against central finite differences of the oracle's loss, custom specs, batch 3")
    void finiteDifferenceSpotCheck(String spec) {
        print(checks().finiteDifferenceSpotCheck(TckFixtures.spec(spec), SEED, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.acgan.tck.GanBackendParityTck#customSpecNames")
    @DisplayName("update parity, two D+G Adam steps, custom specs, batch 7")
    void updateParityCustomSpecs(String spec) {
        print(checks().updateParity(TckFixtures.spec(spec), SEED, 7, 2));
    }

    /**
     * Batch 2 in fp32; batch 1 in bf16: with more examples, training-mode BatchNorm couples them and magnifies
     * bf16 flips in acgan-mnist's generator gradient (measured on TensorFlow against the emulating oracle: the
     * largest element error 6e-4 of the gradient scale at batch 1, 1.5e-2 at batch 2, 2.2e-2 at batch 7), and
     * Adam turns a near-zero gradient element's flipped sign into a whole step of the other way.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Presets.ACGAN_MNIST, Presets.ACGAN_FAST, Presets.ACGAN_HQ, Presets.ACGAN_HQ_WIDE})
    @DisplayName("update parity, one D+G Adam step, ACGAN presets, batch 2 (1 in bf16)")
    void updateParityAcganPreset(String preset) {
        print(checks().updateParity(Presets.byName(preset), SEED, precision() == Precision.BF16 ? 1 : 2, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.acgan.tck.GanBackendParityTck#customSpecNames")
    @DisplayName("inference parity: generated images (both modes) and discriminator outputs, custom specs, batch 7")
    void inferenceParityCustomSpecs(String spec) {
        print(checks().inferenceParity(TckFixtures.spec(spec), SEED, 7));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.acgan.tck.GanBackendParityTck#presetNames")
    @DisplayName("inference parity: generated images (both modes) and discriminator outputs, presets, batch 3")
    void inferenceParityPresets(String preset) {
        print(checks().inferenceParity(Presets.byName(preset), SEED, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.acgan.tck.GanBackendParityTck#customSpecNames")
    @DisplayName("checkpoint portability: trained on the backend, loaded by the backend and the oracle")
    void checkpointPortability(String spec, @TempDir Path dir) {
        print(checks().checkpointPortability(TckFixtures.spec(spec), SEED, dir));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.acgan.tck.GanBackendParityTck#classifierSpecNames")
    @DisplayName("classifier loss parity, batch 1, 7 and 100")
    void classifierLossParity(String spec) {
        print(classifierChecks().lossParity(TckFixtures.classifierSpec(spec), SEED, 1, 7, 100));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.acgan.tck.GanBackendParityTck#classifierSpecNames")
    @DisplayName("classifier prediction parity: class probabilities and features, batch 7")
    void classifierPredictionParity(String spec) {
        print(classifierChecks().predictionParity(TckFixtures.classifierSpec(spec), SEED, 7));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.acgan.tck.GanBackendParityTck#classifierSpecNames")
    @DisplayName("classifier gradient parity and finite-difference spot checks, batch 1 and 7")
    void classifierGradientParity(String spec) {
        print(classifierChecks().gradientParity(TckFixtures.classifierSpec(spec), SEED, 1, 7));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.acgan.tck.GanBackendParityTck#classifierSpecNames")
    @DisplayName("classifier update parity, two Adam steps of different learning rates, batch 7")
    void classifierUpdateParity(String spec) {
        print(classifierChecks().updateParity(TckFixtures.classifierSpec(spec), SEED, 7, 2));
    }
}
