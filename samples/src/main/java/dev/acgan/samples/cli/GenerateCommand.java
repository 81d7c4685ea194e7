package dev.acgan.samples.cli;

import com.google.inject.Injector;
import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointMetadata;
import dev.acgan.api.inject.GeneratorLoader;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.eval.render.ImageGrid;
import dev.acgan.eval.render.Images;
import dev.acgan.eval.render.SampleGrid;
import dev.acgan.samples.run.CheckpointStore;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code acgan generate}: images from a trained generator, as a PNG grid. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Generate images from a checkpoint as a PNG grid.",
        description = {
            "Generate images with a trained generator and save them as one PNG grid.",
            "",
            "--class all: one row per class, --count columns; every column shares one noise vector, so a column "
                    + "shows one style across the classes. --class N: --count images of class N, 10 per row. "
                    + "--interpolate A:B: a walk from the noise vector of seed A to that of seed B in --count steps, "
                    + "one row per class (one row for a vanilla GAN). The same --seed gives the same images.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  acgan generate --checkpoint runs/mnist --out digits.png",
            "  acgan generate --checkpoint runs/mnist/generator --class 3 --count 20 \\",
            "      --seed 7 --out threes.png",
            "  acgan generate --checkpoint runs/mnist --interpolate 1:2 --count 12 \\",
            "      --out walk.png"
        })
final class GenerateCommand implements Callable<Integer> {

    /** Default number of images per row or class. */
    static final int DEFAULT_COUNT = 10;
    /** Default seed. */
    static final long DEFAULT_SEED = 42;

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-k", "--checkpoint"},
            required = true,
            paramLabel = "DIR",
            description = "A training checkpoint, a generator export (OUTDIR/generator), or a run's output "
                    + "directory (its newest checkpoint).")
    Path checkpoint;

    @Option(
            names = "--class",
            paramLabel = "N|all",
            defaultValue = "all",
            description = "Class to generate, or all. Default: all.")
    String cls;

    @Option(
            names = {"-n", "--count"},
            paramLabel = "K",
            defaultValue = "" + DEFAULT_COUNT,
            description = "Images per class (or in all, for --class N and vanilla GANs); steps of an "
                    + "--interpolate walk. Default: " + DEFAULT_COUNT + ".")
    int count;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "" + DEFAULT_SEED,
            description = "Seed of the noise. Default: " + DEFAULT_SEED + ".")
    long seed;

    @Option(
            names = "--interpolate",
            paramLabel = "A:B",
            description = "Latent walk from the noise vector of seed A to that of seed B.")
    String interpolate;

    @Option(
            names = {"-o", "--out"},
            paramLabel = "FILE.png",
            defaultValue = "generated.png",
            description = "Output PNG. Default: generated.png.")
    Path out;

    @Option(
            names = "--scale",
            paramLabel = "F",
            defaultValue = "1",
            description = "Enlarge the picture F times (pixel repetition). Default: 1.")
    int scale;

    @Option(
            names = "--backend",
            paramLabel = "NAME",
            description = "Backend to run the generator on (see 'acgan backends').")
    String backend;

    @Mixin
    PrecisionOption precision;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new CliException("--count must be at least 1, got " + count, AcganCli.EXIT_USAGE);
        }
        if (scale < 1 || scale > 16) {
            throw new CliException("--scale must be between 1 and 16, got " + scale, AcganCli.EXIT_USAGE);
        }
        long[] walk = interpolate == null ? null : parseWalk(interpolate);
        if (walk != null && count < 2) {
            throw new CliException("--interpolate needs --count of at least 2, got " + count, AcganCli.EXIT_USAGE);
        }
        Path dir = resolveCheckpoint(checkpoint);
        Checkpoint ckpt = Checkpoint.read(dir);
        CheckpointMetadata meta = ckpt.metadata();
        ModelSpec model = meta.spec();
        Integer classIndex = parseClass(cls, model);
        SampleGrid grid;
        String what;
        boolean conditional = model.kind().conditionalGenerator();
        int[] classes = !conditional ? null : classIndex != null ? new int[] {classIndex} : range(model.numClasses());
        if (walk != null) {
            grid = SampleGrid.interpolation(model, classes, count, walk[0], walk[1]);
            what = "latent walk from seed " + walk[0] + " to seed " + walk[1] + " in " + count + " steps"
                    + (classes == null
                            ? ""
                            : classIndex != null
                                    ? ", class " + classIndex
                                    : ", one row per class (0-" + (model.numClasses() - 1) + ")");
        } else if (!conditional) {
            grid = SampleGrid.unconditional(model, count, DEFAULT_COUNT, new SplittableRandom(seed));
            what = count + " samples, seed " + seed;
        } else if (classIndex != null) {
            grid = SampleGrid.oneClass(model, classIndex, count, DEFAULT_COUNT, new SplittableRandom(seed));
            what = count + " samples of class " + classIndex + ", seed " + seed;
        } else {
            grid = SampleGrid.classes(model, classes, count, new SplittableRandom(seed));
            what = "one row per class (0-" + (model.numClasses() - 1) + "), " + count + " samples each, seed " + seed;
        }
        Injector injector = Wiring.injector(backend);
        GanBackend b = injector.getInstance(GanBackend.class);
        Precision p = precision.resolve(b);
        GeneratorLoader loader = injector.getInstance(GeneratorLoader.class);
        BufferedImage img;
        try (Generator g = loader.load(ckpt, p)) {
            img = ImageGrid.scale(grid.render(g), scale);
        }
        Images.writePng(img, out);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(
                Locale.ROOT,
                "Wrote %s: %dx%d grid of %s images (%s) from %s (%s, step %d)%n",
                out,
                grid.rows(),
                grid.cols(),
                model.image(),
                what,
                dir,
                model.name(),
                meta.position().step());
        precision.print(w, b, p);
        w.flush();
        return AcganCli.EXIT_OK;
    }

    /** The checkpoint directory {@code --checkpoint} names. */
    static Path resolveCheckpoint(Path p) {
        if (!Files.exists(p)) {
            throw new CliException("checkpoint " + p + " does not exist");
        }
        return CheckpointStore.resolve(p)
                .orElseThrow(() -> new CliException(p + " is neither a checkpoint directory (with "
                        + Checkpoint.METADATA_FILE + ") nor a run directory (with checkpoints/latest or generator/)"));
    }

    private static Integer parseClass(String s, ModelSpec model) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        if (v.equals("all")) {
            return null;
        }
        int c;
        try {
            c = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new CliException("--class must be a class number or 'all', got '" + s + "'", AcganCli.EXIT_USAGE);
        }
        if (!model.kind().conditionalGenerator()) {
            throw new CliException("--class " + c + ": model " + model.name() + " is an unconditional GAN; "
                    + "use --class all (the default)");
        }
        if (c < 0 || c >= model.numClasses()) {
            throw new CliException("--class " + c + " is out of range; model " + model.name() + " has classes 0-"
                    + (model.numClasses() - 1));
        }
        return c;
    }

    private static long[] parseWalk(String s) {
        String[] parts = s.split(":", -1);
        if (parts.length == 2) {
            try {
                return new long[] {Long.parseLong(parts[0].strip()), Long.parseLong(parts[1].strip())};
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new CliException("--interpolate must be two seeds A:B, e.g. 1:2, got '" + s + "'", AcganCli.EXIT_USAGE);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
