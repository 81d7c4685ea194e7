package dev.acgan.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.GanKind;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.LayerSpec.Conv2D;
import dev.acgan.api.spec.LayerSpec.Conv2DTranspose;
import dev.acgan.api.spec.LayerSpec.Dense;
import dev.acgan.api.spec.LayerSpec.Flatten;
import dev.acgan.api.spec.LayerSpec.LeakyRelu;
import dev.acgan.api.spec.LayerSpec.Relu;
import dev.acgan.api.spec.LayerSpec.Reshape;
import dev.acgan.api.spec.LayerSpec.Sigmoid;
import dev.acgan.api.spec.LayerSpec.Tanh;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.NoiseDistribution;
import dev.acgan.api.spec.Padding;
import dev.acgan.api.spi.CpuFeatures;
import dev.acgan.tck.ParityChecks;
import dev.acgan.tck.ParityFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * bf16 convolutions with the channel counts that oneDNN 3.5's bfloat16 filter reorder mishandles on its
 * avx512_core_bf16 kernels (see {@link OneDnnIsa#bf16PadsOddChannels}): odd input channels (3 and 5) into
 * several filters, a 1x1 kernel over one channel, single filters, a transposed convolution from one channel
 * to three. The TCK's bf16 oracle judges them; the TCK's own specs cover only 3 or more odd input channels.
 */
class Bf16OddChannelsTest {

    private static final long SEED = 31;

    /**
     * Generator: Dense, 2x2x1, transposed convolution to 3 channels (stride 2), convolution 3 to 5 channels,
     * convolution 5 to 1 channel. Discriminator: 1x1 convolution 1 to 3 channels, convolution 3 to 1 channel
     * (stride 2), Dense head.
     */
    static ModelSpec oddChannels() {
        NetworkSpec g = NetworkSpec.builder()
                .add("dense", Dense.of(2 * 2), NetworkSpec.NOISE)
                .then("reshape", new Reshape(List.of(2, 2, 1)))
                .then("deconv", Conv2DTranspose.of(3, 3, 2, Padding.SAME))
                .then("relu1", new Relu())
                .then("conv1", Conv2D.of(5, 3, 1, Padding.SAME))
                .then("relu2", new Relu())
                .then("conv2", Conv2D.of(1, 3, 1, Padding.SAME))
                .then("tanh", new Tanh())
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = NetworkSpec.builder()
                .add("conv1", Conv2D.of(3, 1, 1, Padding.VALID), NetworkSpec.IMAGE)
                .then("lrelu", new LeakyRelu(0.2))
                .then("conv2", Conv2D.of(1, 3, 2, Padding.SAME))
                .then("flatten", new Flatten())
                .then("validity", Dense.of(1))
                .then("sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        ModelSpec spec = new ModelSpec(
                "tf-bf16-odd-channels", GanKind.GAN, new ImageShape(4, 4, 1), 2, 4, NoiseDistribution.UNIFORM, g, d);
        spec.validate();
        return spec;
    }

    private static void assumeBf16Here() {
        TensorFlowBackend here = new TensorFlowBackend();
        Assumptions.assumeTrue(
                here.precisionUnavailable(Precision.BF16).isEmpty(),
                () -> "bf16 unavailable here: "
                        + here.precisionUnavailable(Precision.BF16).orElse(""));
    }

    private static void checkAll(ParityChecks checks) {
        ModelSpec spec = oddChannels();
        checks.lossParity(spec, SEED, 1, 5);
        checks.gradientParity(spec, SEED, 1, 5);
        checks.inferenceParity(spec, SEED, 5);
    }

    @Test
    void oddChannelCountsMatchTheBf16Oracle() {
        assumeBf16Here();
        checkAll(new ParityChecks(new TensorFlowBackend(), Precision.BF16));
    }

    /**
     * Where the backend pads, the same graph without the padding is wrong: the check above catches the defect.
     * When this fails after a TensorFlow upgrade, the new oneDNN reorders correctly and the padding can go.
     */
    @Test
    void withoutThePaddingTheseKernelsComputeWrongly() {
        assumeBf16Here();
        Assumptions.assumeTrue(
                OneDnnIsa.current().bf16PadsOddChannels(), "oneDNN runs bf16 on AMX here, where nothing is padded");
        // The decision of an AMX CPU (no padding), computed on this CPU's avx512_core_bf16 kernels.
        CpuFeatures amx = CpuFeatures.of("avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile");
        TensorFlowBackend unpadded = new TensorFlowBackend(new OneDnnIsa(amx, Map.of()));
        assertThrows(ParityFailure.class, () -> checkAll(new ParityChecks(unpadded, Precision.BF16)));
    }
}
