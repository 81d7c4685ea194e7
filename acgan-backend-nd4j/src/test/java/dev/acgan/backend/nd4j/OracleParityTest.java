package dev.acgan.backend.nd4j;

import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.ParameterInitializer;
import dev.acgan.api.spec.Presets;
import dev.acgan.tck.TckFixtures;
import dev.acgan.tck.oracle.ReferenceBackend;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ND4J backend against the TCK's double-precision oracle on the small specs, with the same calls and
 * tolerances as {@link TensorFlowParityTest}. Unlike the TensorFlow backend, the oracle updates the
 * discriminator's BatchNorm moving statistics in the discriminator step and keeps the biased variance
 * when a channel saw a single value, so those state entries are compared here too.
 */
class OracleParityTest {

    @AfterAll
    static void printSummary() {
        System.out.println(Parity.summary());
    }

    static Stream<Arguments> tinyCases() {
        return TensorFlowParityTest.tinyCases();
    }

    @Test
    void acganMnistMatchesOracle() {
        ModelSpec spec = Presets.byName("acgan-mnist");
        TensorFlowParityTest.compare(
                new ReferenceBackend(),
                true,
                spec,
                ParameterInitializer.initialize(spec.validate(), 42),
                4,
                21,
                stateName -> false);
    }

    @ParameterizedTest(name = "{0}, batch {2}")
    @MethodSource("tinyCases")
    void tinySpecMatchesOracle(String name, ModelSpec spec, int n) {
        TensorFlowParityTest.compare(
                new ReferenceBackend(), true, spec, TckFixtures.weights(spec, 5 + n), n, 200 + n, stateName -> false);
    }
}
