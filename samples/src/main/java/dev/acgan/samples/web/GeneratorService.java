package dev.acgan.samples.web;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointException;
import dev.acgan.api.checkpoint.CheckpointMetadata;
import dev.acgan.api.inject.GeneratorLoader;
import dev.acgan.api.model.Generator;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NoiseDistribution;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.NoiseSampler;
import dev.acgan.eval.render.ImageGrid;
import dev.acgan.eval.render.SampleGrid;
import dev.acgan.export.ExportFormat;
import dev.acgan.export.Exporter;
import dev.acgan.export.OnnxExporter;
import dev.acgan.export.WebPage;
import dev.acgan.samples.run.CheckpointStore;
import dev.acgan.samples.run.RunLayout;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates pictures for the Generate page from one of two sources: the checkpoint given to
 * {@code acgan serve --checkpoint} (a run directory is looked up again at each request, so a training
 * elsewhere can be followed) or the newest checkpoint of the training running in the server. The
 * loaded generator is kept until its source points to another checkpoint. Requests are served one at a
 * time, which keeps the CPU for the training and makes replacing a generator safe.
 */
@Singleton
public final class GeneratorService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GeneratorService.class);

    /** Images in one picture at most. */
    public static final int MAX_IMAGES = 400;
    /** Largest pixel repetition. */
    public static final int MAX_SCALE = 8;
    /** Latent dimensions the sliders may set at most. */
    public static final int MAX_SLIDERS = 8;
    /** Steps of an interpolation strip at most. */
    public static final int MAX_WALK_STEPS = 40;
    /** Largest magnitude of a slider value. */
    public static final double MAX_Z = 5;
    /** Images per row of a one-class or unconditional picture. */
    static final int ROW = 10;
    /** Class rows at most (as the training grids). */
    static final int MAX_ROWS = SampleGrid.MAX_CLASS_ROWS;

    /** Where a generator comes from. */
    public enum Source {
        /** {@code acgan serve --checkpoint}. */
        CHECKPOINT,
        /** The newest checkpoint of the server's training. */
        TRAINING;

        /** The parameter value. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A picture made for a request. */
    record Picture(
            byte[] png, int width, int height, int images, long millis, long loadMillis, String what, Loaded from) {}

    /** A loaded generator and where it came from. */
    record Loaded(Path dir, FileTime stamp, CheckpointMetadata meta, Generator generator) {}

    private final ServeOptions options;
    private final Provider<GeneratorLoader> loader;
    private final Provider<GanBackend> backend;
    private final TrainingManager training;
    private final Map<Source, Loaded> cache = new EnumMap<>(Source.class);
    private final Map<Source, BrowserModel> browser = new EnumMap<>(Source.class);
    private long lastLoadMillis;

    @Inject
    GeneratorService(
            ServeOptions options,
            Provider<GeneratorLoader> loader,
            Provider<GanBackend> backend,
            TrainingManager training) {
        this.options = options;
        this.loader = loader;
        this.backend = backend;
        this.training = training;
    }

    /** The sources this server has; the first is the default. */
    public Set<String> sources() {
        Set<String> s = new LinkedHashSet<>();
        if (options.checkpoint() != null) {
            s.add(Source.CHECKPOINT.id());
        }
        s.add(Source.TRAINING.id());
        return s;
    }

    /** The {@code source} parameter. */
    Source source(Query q) {
        Set<String> all = Set.of(Source.CHECKPOINT.id(), Source.TRAINING.id());
        String v = q.choice("source", sources().iterator().next(), all);
        if (v.equals(Source.CHECKPOINT.id()) && options.checkpoint() == null) {
            throw WebException.notFound("no checkpoint was given to 'acgan serve' (--checkpoint DIR); use "
                    + "source=training, the newest checkpoint of the training started on the Train page");
        }
        return Source.valueOf(v.toUpperCase(Locale.ROOT));
    }

    /** The name of the backend generators run on (selects it on first use). */
    public String backendName() {
        return backend.get().name();
    }

    // ---------------------------------------------------------------------------------------------
    // Requests

    /** What the source holds: model, classes, latent size and prior, step, checkpoint, backend. */
    public synchronized Map<String, Object> describe(Source source) {
        Loaded l = load(source);
        ModelSpec m = l.meta().spec();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", source.id());
        out.put("model", m.name());
        out.put("kind", m.kind().name());
        out.put("conditional", m.kind().conditionalGenerator());
        out.put("classes", m.numClasses());
        out.put("rows", Math.min(m.numClasses(), MAX_ROWS));
        out.put("latentDim", m.latentDim());
        out.put("noise", m.noise().name().toLowerCase(Locale.ROOT));
        double[] range = sliderRange(m);
        out.put("sliderMin", range[0]);
        out.put("sliderMax", range[1]);
        out.put(
                "image",
                Map.of(
                        "width",
                        m.image().width(),
                        "height",
                        m.image().height(),
                        "channels",
                        m.image().channels()));
        out.put("step", l.meta().position().step());
        out.put("checkpoint", l.dir().toString());
        out.put("dataset", l.meta().dataset());
        out.put("backend", backendName());
        return out;
    }

    /** {@code count} images of one class (10 per row), or {@code count} per class (one row each). */
    public synchronized Picture samples(Source source, String cls, int count, long seed, int scale) {
        Loaded l = load(source);
        long loadMs = lastLoadMillis;
        ModelSpec m = l.meta().spec();
        Integer c = parseClass(cls, m);
        SampleGrid grid;
        String what;
        SplittableRandom rnd = new SplittableRandom(seed);
        if (!m.kind().conditionalGenerator()) {
            limit(count, "count");
            grid = SampleGrid.unconditional(m, count, ROW, rnd);
            what = plural(count, "image") + ", seed " + seed;
        } else if (c != null) {
            limit(count, "count");
            grid = SampleGrid.oneClass(m, c, count, ROW, rnd);
            what = plural(count, "image") + " of class " + c + ", seed " + seed;
        } else {
            int[] classes = classRows(m);
            limit((long) count * classes.length, "count x " + classes.length + " classes");
            grid = SampleGrid.classes(m, classes, count, rnd);
            what = plural(count, "image") + " of each class 0-" + (classes.length - 1) + ", seed " + seed;
        }
        return render(l, grid, scale, what, loadMs);
    }

    /** One noise vector (of {@code seed}) with its first {@code z.length} values replaced: per class or one. */
    public synchronized Picture latent(Source source, String cls, long seed, double[] z, int scale) {
        Loaded l = load(source);
        long loadMs = lastLoadMillis;
        ModelSpec m = l.meta().spec();
        Integer c = parseClass(cls, m);
        if (z.length > Math.min(MAX_SLIDERS, m.latentDim())) {
            throw WebException.badRequest("z sets " + z.length + " latent values; this model takes at most "
                    + Math.min(MAX_SLIDERS, m.latentDim()));
        }
        float[] base = NoiseSampler.sample(m, 1, new SplittableRandom(seed)).data();
        for (int i = 0; i < z.length; i++) {
            base[i] = (float) z[i];
        }
        int dim = m.latentDim();
        int[] labels;
        if (!m.kind().conditionalGenerator()) {
            labels = null;
        } else if (c != null) {
            labels = new int[] {c};
        } else {
            labels = classRows(m);
        }
        int n = labels == null ? 1 : labels.length;
        float[] noise = new float[n * dim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(base, 0, noise, i * dim, dim);
        }
        SampleGrid grid = new SampleGrid(1, n, new Tensor(new int[] {n, dim}, noise), labels);
        String what = (n == 1 ? "1 image" : "class 0-" + (n - 1)) + ", seed " + seed + ", z[0.." + (z.length - 1)
                + "] = " + Arrays.toString(z);
        return render(l, grid, scale, what, loadMs);
    }

    /** A straight walk from the noise of seed {@code from} to that of {@code to}; one row per class or one. */
    public synchronized Picture walk(Source source, String cls, long from, long to, int steps, int scale) {
        Loaded l = load(source);
        long loadMs = lastLoadMillis;
        ModelSpec m = l.meta().spec();
        Integer c = parseClass(cls, m);
        int[] classes = !m.kind().conditionalGenerator() ? null : c != null ? new int[] {c} : classRows(m);
        limit((long) steps * (classes == null ? 1 : classes.length), "steps x rows");
        SampleGrid grid = SampleGrid.interpolation(m, classes, steps, from, to);
        String what = "walk from seed " + from + " to seed " + to + " in " + steps + " steps"
                + (classes == null ? "" : c != null ? ", class " + c : ", one row per class");
        return render(l, grid, scale, what, loadMs);
    }

    /** The first {@code dims} values of the noise vector of {@code seed} and the slider range. */
    public synchronized Map<String, Object> noise(Source source, long seed, int dims) {
        Loaded l = load(source);
        ModelSpec m = l.meta().spec();
        int k = Math.min(dims, Math.min(MAX_SLIDERS, m.latentDim()));
        float[] z = NoiseSampler.sample(m, 1, new SplittableRandom(seed)).data();
        double[] values = new double[k];
        for (int i = 0; i < k; i++) {
            values[i] = Math.round(z[i] * 1000) / 1000.0;
        }
        double[] range = sliderRange(m);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seed", seed);
        out.put("values", values);
        out.put("min", range[0]);
        out.put("max", range[1]);
        out.put("latentDim", m.latentDim());
        return out;
    }

    /** The ONNX model and {@code export.json} of a checkpoint, for the page that generates in the browser. */
    record BrowserModel(Path dir, byte[] onnx, byte[] description) {}

    /**
     * The source's current checkpoint as {@code acgan export --format web} writes it: {@code generator.onnx} and
     * {@code export.json}. Kept until the source points to another checkpoint.
     */
    public synchronized BrowserModel browserModel(Source source) {
        Path dir = resolve(source);
        BrowserModel cur = browser.get(source);
        if (cur != null && cur.dir().equals(dir)) {
            return cur;
        }
        Checkpoint c = Checkpoint.read(dir);
        if (!WebPage.runtimeBundled()) {
            throw WebException.notFound(
                    "this build has no onnxruntime-web for the in-browser page (it is copied in from npm at build time)");
        }
        BrowserModel m =
                new BrowserModel(dir, OnnxExporter.generator(c), Exporter.generatorDescription(c, ExportFormat.WEB));
        browser.put(source, m);
        return m;
    }

    /** Closes the loaded generators. */
    @Override
    public synchronized void close() {
        cache.values().forEach(l -> l.generator().close());
        cache.clear();
    }

    // ---------------------------------------------------------------------------------------------

    private static double[] sliderRange(ModelSpec m) {
        return m.noise() == NoiseDistribution.UNIFORM ? new double[] {-1, 1} : new double[] {-3, 3};
    }

    private static int[] classRows(ModelSpec m) {
        int n = Math.min(m.numClasses(), MAX_ROWS);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static void limit(long images, String what) {
        if (images > MAX_IMAGES) {
            throw WebException.badRequest(what + " makes " + images + " images; at most " + MAX_IMAGES + " at a time");
        }
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    /** {@code all} (null) or a class number of the model. */
    static Integer parseClass(String cls, ModelSpec m) {
        if (cls == null || cls.equalsIgnoreCase("all")) {
            return null;
        }
        long c = Query.parseLong("class", cls);
        if (!m.kind().conditionalGenerator()) {
            throw WebException.badRequest("model " + m.name() + " is an unconditional GAN; class must be 'all'");
        }
        if (c < 0 || c >= m.numClasses()) {
            throw WebException.badRequest("class must be 'all' or between 0 and " + (m.numClasses() - 1) + " (model "
                    + m.name() + " has " + m.numClasses() + " classes), got " + c);
        }
        return (int) c;
    }

    private Picture render(Loaded l, SampleGrid grid, int scale, String what, long loadMs) {
        long t0 = System.nanoTime();
        BufferedImage img = grid.render(l.generator());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        img = ImageGrid.scale(img, scale);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the PNG: " + e.getMessage(), e);
        }
        return new Picture(
                out.toByteArray(), img.getWidth(), img.getHeight(), grid.noise().shape()[0], ms, loadMs, what, l);
    }

    /** The generator of the source's current checkpoint, loading it when the source has moved on. */
    private Loaded load(Source source) {
        lastLoadMillis = 0;
        try {
            return loadOnce(source);
        } catch (CheckpointException | UncheckedIOException e) {
            // A training (here or elsewhere) may have replaced or pruned the checkpoint while it was read.
            LOG.debug("reading the checkpoint failed ({}); looking for the newest again", e.toString());
            return loadOnce(source);
        }
    }

    private Loaded loadOnce(Source source) {
        Path dir = resolve(source);
        FileTime stamp;
        try {
            stamp = Files.getLastModifiedTime(dir.resolve(Checkpoint.METADATA_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        Loaded cur = cache.get(source);
        if (cur != null && cur.dir().equals(dir) && cur.stamp().equals(stamp)) {
            return cur;
        }
        long t0 = System.nanoTime();
        Checkpoint c = Checkpoint.read(dir);
        Generator g = loader.get().load(c, options.precision());
        lastLoadMillis = (System.nanoTime() - t0) / 1_000_000;
        Loaded l = new Loaded(dir, stamp, c.metadata(), g);
        if (cur != null) {
            cur.generator().close();
        }
        cache.put(source, l);
        LOG.info(
                "loaded the generator of {} ({}, step {}) on {} in {} ms",
                dir,
                c.metadata().spec().name(),
                c.metadata().position().step(),
                backendName(),
                lastLoadMillis);
        return l;
    }

    private Path resolve(Source source) {
        if (source == Source.CHECKPOINT) {
            return resolveDir(options.checkpoint());
        }
        Optional<Path> run = training.runDir();
        if (run.isEmpty()) {
            throw WebException.notFound("no training has been started in this server yet; start one on the Train "
                    + "page, or give 'acgan serve' a --checkpoint");
        }
        return CheckpointStore.latest(new RunLayout(run.get()))
                .orElseThrow(() -> WebException.notFound(
                        "the training has not written a checkpoint yet (it writes one every 'checkpoint every' steps, at "
                                + "each epoch end and when it stops)"));
    }

    /** The checkpoint a run directory, checkpoint or generator export names (as {@code acgan generate}). */
    static Path resolveDir(Path p) {
        return CheckpointStore.resolve(p)
                .orElseThrow(() -> WebException.notFound(p + " holds no checkpoint (yet): " + "neither "
                        + Checkpoint.METADATA_FILE + " nor checkpoints/latest nor generator/"));
    }
}
