package dev.acgan.api.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated model: the spec with both networks' shapes and parameters resolved.
 *
 * @param spec          the model spec
 * @param generator     the generator, inferred
 * @param discriminator the discriminator, inferred
 */
public record InferredModel(ModelSpec spec, InferredNetwork generator, InferredNetwork discriminator) {

    /** Every parameter and statistic of both networks: generator first. */
    public List<ParameterSpec> parameters() {
        List<ParameterSpec> all = new ArrayList<>(generator.parameters());
        all.addAll(discriminator.parameters());
        return all;
    }
}
