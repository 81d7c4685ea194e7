package dev.acgan.tck.oracle;

import dev.acgan.api.model.Discriminator;
import dev.acgan.api.model.DiscriminatorOutput;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.tensor.ImageBatch;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The reference discriminator in inference mode (no dropout, BatchNorm on moving statistics), a view
 * of a {@link ReferenceModel} sharing its weights. Thread-safe; closing the view does nothing.
 */
public final class ReferenceDiscriminator implements Discriminator {

    private final ModelSpec spec;
    private final GraphExecutor executor;
    private final Map<String, double[]> params;
    private final BooleanSupplier ownerClosed;

    ReferenceDiscriminator(
            ModelSpec spec,
            InferredModel inferred,
            Arithmetic arithmetic,
            Map<String, double[]> params,
            BooleanSupplier ownerClosed) {
        this.spec = spec;
        this.executor = new GraphExecutor(inferred.discriminator(), arithmetic);
        this.params = params;
        this.ownerClosed = ownerClosed;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public DiscriminatorOutput discriminate(ImageBatch images) {
        InputChecks.open(ownerClosed.getAsBoolean(), "reference discriminator");
        float[] px = InputChecks.nhwcPixels(spec, images, "images");
        int[] labels = null;
        if (spec.kind().conditionalDiscriminator()) {
            InputChecks.labels(images.labels(), images.count(), spec.numClasses(), "images");
            labels = images.labels();
        }
        DoubleTensor x = DoubleTensor.batch(
                images.count(),
                new int[] {
                    spec.image().height(), spec.image().width(), spec.image().channels()
                },
                DoubleTensor.toDoubles(px));
        GraphExecutor.ForwardPass pass = executor.forward(Map.of(NetworkSpec.IMAGE, x), labels, params, false, null);
        float[] validity =
                DoubleTensor.toFloats(pass.output(NetworkSpec.OUT_VALIDITY).data());
        float[] classes = spec.kind().auxiliaryClassifier()
                ? DoubleTensor.toFloats(pass.output(NetworkSpec.OUT_CLASS).data())
                : null;
        return new DiscriminatorOutput(validity, classes, spec.numClasses());
    }

    /** Does nothing: the view shares the model's weights and lives as long as the model. */
    @Override
    public void close() {}
}
