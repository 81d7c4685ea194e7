package dev.acgan.api.model;

import dev.acgan.api.tensor.ImageBatch;
import java.util.Map;

/**
 * Everything one discriminator step sees. Real and fake images are judged together as one batch
 * (real first, then fake). With {@code N = real.count() + fake.count()}, the loss is
 * <pre>
 *   (1/N) * sum_real BCE(p, realTarget) + (1/N) * sum_fake BCE(p, fakeTarget)
 * + (auxWeightReal/N) * sum_real CE(q, label) + (auxWeightFake/N) * sum_fake CE(q, label)
 * </pre>
 * where p is the validity, q the class probabilities (ACGAN only), and both cross-entropies clip
 * probabilities to [1e-7, 1-1e-7] as Keras does. The four terms are reported separately.
 *
 * @param real          real images, labelled for ACGAN and CGAN
 * @param fake          generated images, labelled with the classes they were generated for
 * @param realTarget    validity target of real images (0.95 with one-sided label smoothing)
 * @param fakeTarget    validity target of fakes (usually 0)
 * @param auxWeightReal weight of the class loss on real images (ACGAN)
 * @param auxWeightFake weight of the class loss on fakes (ACGAN)
 * @param dropoutMasks  per discriminator Dropout node, a keep mask of {@code N * nodeSize} values
 *                      (0 or 1/(1-rate)), NHWC per example; {@code null} disables dropout
 */
public record DiscriminatorBatch(
        ImageBatch real,
        ImageBatch fake,
        float realTarget,
        float fakeTarget,
        float auxWeightReal,
        float auxWeightFake,
        Map<String, float[]> dropoutMasks) {

    /** Total number of images judged. */
    public int count() {
        return real.count() + fake.count();
    }
}
