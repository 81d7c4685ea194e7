package dev.acgan.api.model;

import dev.acgan.api.tensor.Tensor;
import java.util.Map;

/**
 * Everything one generator step sees. The generator runs in training mode (BatchNorm on batch
 * statistics) and its images are judged by the discriminator, whose weights stay fixed. Loss:
 * {@code mean BCE(p, target) + auxWeight * mean CE(q, labels)} (the class term for ACGAN only).
 *
 * @param noise                  {@code [n, latentDim]}
 * @param labels                 the classes asked for, or {@code null} for a vanilla GAN
 * @param target                 validity target (0.95 with label smoothing, else 1)
 * @param auxWeight              weight of the class term (ACGAN)
 * @param generatorMasks         keep masks for generator Dropout nodes, or {@code null} to disable
 * @param discriminatorMasks     keep masks for discriminator Dropout nodes, or {@code null} to disable
 */
public record GeneratorBatch(
        Tensor noise,
        int[] labels,
        float target,
        float auxWeight,
        Map<String, float[]> generatorMasks,
        Map<String, float[]> discriminatorMasks) {

    /** Number of images generated. */
    public int count() {
        return noise.shape()[0];
    }
}
