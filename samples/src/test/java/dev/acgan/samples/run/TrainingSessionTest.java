package dev.acgan.samples.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.GeneratorLosses;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.StepResult;
import dev.acgan.api.train.Trainer;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.api.train.TrainingListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stop path Ctrl-C takes, a diverging run, and the progress bar. */
class TrainingSessionTest {

    @TempDir
    Path tmp;

    @Test
    void stopRequestFinishesTheStepAndWritesACheckpoint() throws Exception {
        var data = Datasets.embeddedMnist();
        var spec = Presets.byName("gan", ImageShape.mnist(), 10, 16);
        TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(8).withMaxSteps(50);
        RunLayout layout = new RunLayout(tmp.resolve("run")).prepare();
        StringWriter bar = new StringWriter();
        TrainingSession closeLater = null;
        try (GanTrainer trainer = GanTrainer.create(Backends.discover().select(), spec, cfg, data)) {
            TrainingSession session = new TrainingSession(
                    layout,
                    trainer,
                    new TrainingSession.Options(0, 3, 0, 10, ProgressReporter.Mode.BAR),
                    new PrintWriter(bar, true),
                    "test");
            closeLater = session;
            trainer.addListener(new TrainingListener() {
                @Override
                public void onStep(Trainer t, StepResult r) {
                    if (r.step() == 2) {
                        session.requestStop(); // what the Ctrl-C hook does, from another thread
                    }
                }
            });
            TrainingSession.Result r = session.run(null);
            assertTrue(r.interrupted());
            assertEquals(2, r.step());
            assertEquals(layout.checkpoint(2), r.checkpoint());
        } finally {
            if (closeLater != null) {
                closeLater.close();
            }
        }
        assertEquals(
                2, Checkpoint.read(layout.checkpoint(2)).metadata().position().step());
        assertEquals("step-000000002", Files.readString(layout.latestPointer()).strip());
        assertEquals(2, MetricsCsv.readKeeping(layout.metrics(), Long.MAX_VALUE).size());
        assertEquals(List.of(layout.grid(0), layout.grid(2)), TrainingSession.gridFiles(layout.samples()));
        assertTrue(bar.toString().contains("\rstep 2/50 ["), bar.toString());
        assertTrue(bar.toString().contains("ETA"), bar.toString());
    }

    /**
     * A step whose generator loss is NaN (injected after three good steps) ends the run: the result names
     * the diverged step and the last good checkpoint, which stays the latest, and no checkpoint, grid or
     * metrics row of the diverged state is written.
     */
    @Test
    void divergenceKeepsTheLastGoodCheckpoint() throws Exception {
        RunLayout layout = new RunLayout(tmp.resolve("run")).prepare();
        TrainingSession.Result r = runWithModels(layout, 50, 1, model -> nanAfter(model, 3));
        assertNotNull(r.diverged());
        assertEquals(4, r.diverged().step());
        assertTrue(
                r.diverged().getMessage().contains("training diverged at step 4: generator loss NaN"),
                r.diverged().getMessage());
        assertFalse(r.interrupted());
        assertEquals(layout.checkpoint(2), r.checkpoint(), "step 3 has no checkpoint (every 2 steps)");
        assertEquals("step-000000002", Files.readString(layout.latestPointer()).strip());
        try (var s = Files.list(layout.checkpoints())) {
            assertEquals(
                    List.of("latest", "step-000000002"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(
                2, Checkpoint.read(layout.generator()).metadata().position().step());
        assertEquals(
                List.of(1L, 2L, 3L),
                MetricsCsv.readKeeping(layout.metrics(), Long.MAX_VALUE).stream()
                        .map(MetricsRow::step)
                        .toList());
        assertEquals(
                List.of(layout.grid(0), layout.grid(1), layout.grid(2), layout.grid(3)),
                TrainingSession.gridFiles(layout.samples()));
    }

    /** The same state once the last step left a NaN weight: the checkpoint is refused, the earlier one stays. */
    @Test
    void nonFiniteWeightsAreNeverCheckpointed() throws Exception {
        RunLayout layout = new RunLayout(tmp.resolve("run2")).prepare();
        TrainingSession.Result r = runWithModels(layout, 4, 0, model -> nanStateAfter(model, 3));
        assertNotNull(r.diverged());
        assertEquals(4, r.diverged().step(), r.diverged().getMessage());
        assertTrue(
                r.diverged().getMessage().contains("is not finite"),
                r.diverged().getMessage());
        assertEquals(layout.checkpoint(2), r.checkpoint());
        assertEquals("step-000000002", Files.readString(layout.latestPointer()).strip());
    }

    /**
     * Trains the {@code gan} preset on the embedded MNIST (batch 8, checkpoints every 2 steps, progress every
     * 3) through a session whose backend hands out its models wrapped by {@code wrap}.
     */
    private static TrainingSession.Result runWithModels(
            RunLayout layout, int maxSteps, int sampleEvery, UnaryOperator<GanModel> wrap) throws Exception {
        var data = Datasets.embeddedMnist();
        var spec = Presets.byName("gan", ImageShape.mnist(), 10, 16);
        TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(8).withMaxSteps(maxSteps);
        GanBackend real = Backends.discover().select();
        GanBackend wrapping = new DelegatingBackend(real) {
            @Override
            public GanModel createModel(ModelSpec s, AdamConfig g, AdamConfig d, NamedTensors state) {
                return wrap.apply(real.createModel(s, g, d, state));
            }
        };
        try (GanTrainer trainer = GanTrainer.create(wrapping, spec, cfg, data);
                TrainingSession session = new TrainingSession(
                        layout,
                        trainer,
                        new TrainingSession.Options(2, 3, sampleEvery, 10, ProgressReporter.Mode.LOG),
                        new PrintWriter(new StringWriter(), true),
                        "test")) {
            return session.run(null);
        }
    }

    /** The model with its generator loss NaN from the {@code good+1}-th generator step on. */
    private static GanModel nanAfter(GanModel model, int good) {
        int[] steps = {0};
        return proxy(model, (m, args) -> {
            if (m.getName().equals("trainGenerator") && ++steps[0] > good) {
                m.invoke(model, args);
                return new GeneratorLosses(Double.NaN, Double.NaN, 0);
            }
            return m.invoke(model, args);
        });
    }

    /** The model whose state holds a NaN once {@code good} generator steps have run. */
    private static GanModel nanStateAfter(GanModel model, int good) {
        int[] steps = {0};
        return proxy(model, (m, args) -> {
            if (m.getName().equals("trainGenerator")) {
                steps[0]++;
            }
            Object out = m.invoke(model, args);
            if (m.getName().equals("state") && steps[0] > good) {
                NamedTensors state = (NamedTensors) out;
                java.util.Map<String, Tensor> copy = new java.util.LinkedHashMap<>(state.asMap());
                String first = copy.keySet().iterator().next();
                Tensor t = copy.get(first).copy();
                t.data()[0] = Float.NaN;
                copy.put(first, t);
                return new NamedTensors(copy);
            }
            return out;
        });
    }

    private interface Call {
        Object invoke(java.lang.reflect.Method m, Object[] args) throws Exception;
    }

    private static GanModel proxy(GanModel model, Call call) {
        return (GanModel) java.lang.reflect.Proxy.newProxyInstance(
                GanModel.class.getClassLoader(), new Class<?>[] {GanModel.class}, (p, m, args) -> {
                    try {
                        return call.invoke(m, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A backend that forwards everything to another one. */
    private static class DelegatingBackend implements GanBackend {
        private final GanBackend real;

        DelegatingBackend(GanBackend real) {
            this.real = real;
        }

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public String version() {
            return real.version();
        }

        @Override
        public int priority() {
            return real.priority();
        }

        @Override
        public java.util.Set<dev.acgan.api.spi.Capability> capabilities() {
            return real.capabilities();
        }

        @Override
        public GanModel createModel(ModelSpec s, AdamConfig g, AdamConfig d, NamedTensors state) {
            return real.createModel(s, g, d, state);
        }

        @Override
        public dev.acgan.api.model.Generator loadGenerator(ModelSpec s, NamedTensors weights) {
            return real.loadGenerator(s, weights);
        }
    }

    @Test
    void gifFrameSelectionKeepsFirstAndLast() {
        List<Integer> all = java.util.stream.IntStream.range(0, 1000).boxed().toList();
        List<Integer> sel = TrainingSession.select(all, 150);
        assertEquals(150, sel.size());
        assertEquals(0, sel.get(0));
        assertEquals(999, sel.get(149));
        assertEquals(List.of(1, 2), TrainingSession.select(List.of(1, 2), 150));
    }

    @Test
    void durations() {
        assertEquals("12s", ProgressReporter.duration(12.3));
        assertEquals("3m05s", ProgressReporter.duration(185));
        assertEquals("1h02m", ProgressReporter.duration(3725));
    }
}
