package dev.acgan.api.spi;

import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.ModelInputs;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A backend that computes nothing: it records what it was asked to load, and its generators return
 * black images. Public with public nested subclasses so that {@link java.util.ServiceLoader} can
 * instantiate them (other test packages use it too).
 */
public class FakeBackend implements GanBackend {

    private final String name;
    private final int priority;
    /** What {@link #loadGenerator} received, in order. */
    public final List<NamedTensors> loadedWeights = new CopyOnWriteArrayList<>();

    /** A fake with that name and priority. */
    public FakeBackend(String name, int priority) {
        this.name = name;
        this.priority = priority;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String version() {
        return "fake 0";
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.CPU);
    }

    @Override
    public GanModel createModel(
            ModelSpec spec, AdamConfig generatorOptimizer, AdamConfig discriminatorOptimizer, NamedTensors state) {
        throw new UnsupportedOperationException("fake backend " + name + " cannot train");
    }

    @Override
    public Generator loadGenerator(ModelSpec spec, NamedTensors weights) {
        loadedWeights.add(weights);
        return new Generator() {
            @Override
            public ModelSpec spec() {
                return spec;
            }

            @Override
            public ImageBatch generate(Tensor noise, int[] labels) {
                int n = ModelInputs.checkNoise(spec, noise);
                ModelInputs.checkLabels(spec, labels, n, spec.kind().conditionalGenerator());
                float[] px = new float[n * spec.image().size()];
                java.util.Arrays.fill(px, -1f);
                return ImageBatch.nhwc(
                        n,
                        spec.image().height(),
                        spec.image().width(),
                        spec.image().channels(),
                        px,
                        labels);
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public String toString() {
        return "FakeBackend[" + name + "]";
    }

    /** "alpha", priority 10. */
    public static class Alpha extends FakeBackend {
        /** For ServiceLoader. */
        public Alpha() {
            super("alpha", 10);
        }
    }

    /** "beta", priority 50. */
    public static class Beta extends FakeBackend {
        /** For ServiceLoader. */
        public Beta() {
            super("beta", 50);
        }
    }

    /** Another class also named "alpha" (priority 99), to test duplicates. */
    public static class AlphaTwin extends FakeBackend {
        /** For ServiceLoader. */
        public AlphaTwin() {
            super("alpha", 99);
        }
    }
}
