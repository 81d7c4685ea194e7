package dev.acgan.api.spec;

import java.util.List;

/**
 * Very small, valid specs for tests that need a model but not the cost of the presets (other test
 * packages use them too).
 */
public final class TinySpecs {

    private TinySpecs() {}

    /**
     * An unconditional GAN on 2x2x1 images with latent size 3. Parameters:
     * generator/dense/kernel [3,4], generator/dense/bias [4], discriminator/dense/kernel [4,1],
     * discriminator/dense/bias [1].
     */
    public static ModelSpec gan() {
        return new ModelSpec(
                "tiny-gan",
                GanKind.GAN,
                new ImageShape(2, 2, 1),
                1,
                3,
                NoiseDistribution.UNIFORM,
                generator(),
                discriminator());
    }

    /** noise[3] -> dense 4 -> tanh -> reshape [2,2,1]. */
    public static NetworkSpec generator() {
        return NetworkSpec.builder()
                .add("dense", LayerSpec.Dense.of(4), NetworkSpec.NOISE)
                .then("tanh", new LayerSpec.Tanh())
                .then("reshape", new LayerSpec.Reshape(List.of(2, 2, 1)))
                .output(NetworkSpec.OUT_IMAGE)
                .build();
    }

    /** image[2,2,1] -> flatten -> dense 1 -> sigmoid. */
    public static NetworkSpec discriminator() {
        return NetworkSpec.builder()
                .add("flatten", new LayerSpec.Flatten(), NetworkSpec.IMAGE)
                .then("dense", LayerSpec.Dense.of(1))
                .then("sigmoid", new LayerSpec.Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
    }
}
