package dev.acgan.samples.cli;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointMetadata;
import dev.acgan.api.inject.GeneratorLoader;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.eval.classifier.Classifier;
import dev.acgan.eval.classifier.ClassifierData;
import dev.acgan.eval.classifier.ImageSet;
import dev.acgan.eval.metrics.EvaluationReport;
import dev.acgan.eval.metrics.Evaluator;
import dev.acgan.eval.metrics.GeneratedSamples;
import dev.acgan.eval.metrics.ReportFormat;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code acgan evaluate}: quality numbers of a trained generator, measured with a fixed LeNet classifier
 * trained on real images (shipped in acgan-eval for MNIST and Fashion-MNIST, see {@link Classifier}); the
 * generator and the classifier run on the selected backend.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Measure a generator: conditional accuracy, classifier score, FID, diversity, checkerboard.",
        description = {
            "Generate --count images of every class with a trained generator and score them with a "
                    + "fixed LeNet classifier trained on real images (shipped for mnist and fashion-mnist; "
                    + "'acgan train-classifier' makes others), next to the same numbers for real test images:",
            "",
            "  conditional accuracy  share of images classified as the class they were generated for",
            "  classifier score      exp(E KL(p(y|x) || p(y))), the inception score with this classifier; "
                    + "at most the number of classes",
            "  FID                   Frechet distance of the classifier's penultimate-layer features to those "
                    + "of the real training images; the real column is real test images against the same "
                    + "reference, the best a generator can expect",
            "  diversity             per class, the mean pairwise distance of those features",
            "  checkerboard          share of the pixels' energy in patterns of period 2 or 4 locked to the "
                    + "pixel grid (the artefact of stride-2 transposed convolutions), generated over real: "
                    + "1 like real images, above 1 more checkerboard texture",
            "",
            "The classifier's own accuracy on the real test split is printed first. The same --seed gives the "
                    + "same images and numbers.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  acgan evaluate --checkpoint runs/mnist",
            "  acgan evaluate --checkpoint runs/fashion/generator --count 200 --json > scores.json",
            "  acgan evaluate --checkpoint runs/mine --classifier my-classifier.safetensors"
        })
final class EvaluateCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluateCommand.class);

    /** Default images per class. */
    static final int DEFAULT_COUNT = GeneratedSamples.DEFAULT_COUNT_PER_CLASS;
    /** Largest number of images per class. */
    static final int MAX_COUNT = 10_000;

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
            names = "--classifier",
            paramLabel = "mnist|fashion-mnist|FILE",
            description = "The classifier: a built-in one or a file written by 'acgan train-classifier'. "
                    + "Default: the built-in one of the dataset the checkpoint was trained on.")
    String classifier;

    @Option(
            names = {"-n", "--count"},
            paramLabel = "N",
            defaultValue = "" + DEFAULT_COUNT,
            description = "Images generated per class (for an unconditional model N times the number of "
                    + "classes in all). Default: " + DEFAULT_COUNT + ".")
    int count;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "" + GeneratedSamples.DEFAULT_SEED,
            description = "Seed of the noise. Default: " + GeneratedSamples.DEFAULT_SEED + ".")
    long seed;

    @Option(
            names = "--real-data",
            paramLabel = "SPEC",
            description = "Dataset whose test split gives the real images (e.g. fashion-mnist:DIR). Default: "
                    + "the classifier's dataset.")
    String realData;

    @Option(
            names = "--backend",
            paramLabel = "NAME",
            description = "Backend to run the generator and the classifier on (see 'acgan backends').")
    String backend;

    @Option(names = "--json", description = "Print the numbers as JSON instead of a table.")
    boolean json;

    @Mixin
    PrecisionOption precision;

    @Override
    public Integer call() {
        if (count < 2 || count > MAX_COUNT) {
            throw new CliException(
                    "--count must be between 2 and " + MAX_COUNT + ", got " + count, AcganCli.EXIT_USAGE);
        }
        Path dir = GenerateCommand.resolveCheckpoint(checkpoint);
        Checkpoint ckpt = Checkpoint.read(dir);
        CheckpointMetadata meta = ckpt.metadata();
        ModelSpec model = meta.spec();
        Classifier c = chooseClassifier("--classifier", classifier, meta.dataset());
        checkFits(c, model);
        if (classifier == null) {
            LOG.debug("{} was trained on '{}': using the {} classifier", dir, meta.dataset(), c.source());
        } else if (!sameFamily(c.dataset(), meta.dataset())) {
            LOG.warn(
                    "{} was trained on '{}' but the classifier on '{}'; its numbers measure how much the images "
                            + "look like the classifier's dataset",
                    dir,
                    meta.dataset(),
                    c.dataset());
        }
        ImageSet test = ClassifierData.test(realData == null ? c.dataset() : realData);

        GanBackend b = Wiring.injector(backend).getInstance(GanBackend.class);
        Precision p = precision.resolve(b);
        GeneratorLoader loader = new GeneratorLoader(b);
        ImageBatch generated;
        try (Generator g = loader.load(ckpt, p)) {
            generated = GeneratedSamples.generate(g, count, seed);
        }
        EvaluationReport report = Evaluator.evaluate(b, c, test, generated, count);
        ReportFormat.Subject subject = new ReportFormat.Subject(
                dir.toString(),
                model.name(),
                model.kind().name(),
                meta.position().step(),
                meta.dataset(),
                b.name(),
                seed,
                count);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(ReportFormat.json(subject, c, report));
            out.flush();
        } else {
            ReportFormat.table(subject, c, report, out);
            precision.print(out, b, p);
            out.flush();
        }
        return AcganCli.EXIT_OK;
    }

    /**
     * The classifier an option ({@code optionName}, e.g. {@code --classifier}) names, or the built-in one of
     * the dataset the model is trained on.
     */
    static Classifier chooseClassifier(String optionName, String option, String trainedOn) {
        if (option == null || option.isBlank()) {
            String name = builtInFor(trainedOn);
            if (name == null) {
                throw new CliException("cannot tell which classifier fits a model trained on '" + trainedOn
                        + "'; pass " + optionName + " " + String.join("|", Classifier.BUILT_IN) + "|FILE (a file from "
                        + "'acgan train-classifier --dataset SPEC --out FILE')");
            }
            return Classifier.builtIn(name);
        }
        String v = option.strip();
        if (Classifier.BUILT_IN.contains(v.toLowerCase(Locale.ROOT))) {
            return Classifier.builtIn(v.toLowerCase(Locale.ROOT));
        }
        Path file = Path.of(v);
        if (!Files.exists(file)) {
            throw new CliException(optionName + " must be " + String.join(", ", Classifier.BUILT_IN)
                    + " or an existing classifier file; " + file + " does not exist");
        }
        return Classifier.read(file);
    }

    /** The built-in classifier of a dataset as checkpoints name it, or null. */
    static String builtInFor(String dataset) {
        if (dataset == null) {
            return null;
        }
        String d = dataset.strip().toLowerCase(Locale.ROOT);
        if (d.startsWith("fashion-mnist")) {
            return "fashion-mnist";
        }
        if (d.startsWith("mnist")) {
            return "mnist";
        }
        return null;
    }

    private static boolean sameFamily(String classifierDataset, String trainedOn) {
        String a = builtInFor(classifierDataset);
        return a != null && a.equals(builtInFor(trainedOn));
    }

    /** Fails unless the classifier takes the model's images and knows its classes. */
    static void checkFits(Classifier c, ModelSpec model) {
        var input = c.shape().input();
        if (!model.image().equals(input)) {
            throw new CliException("the classifier (" + c.source() + ") takes " + input + " images but model "
                    + model.name() + " makes " + model.image());
        }
        int k = c.shape().classes();
        if (model.kind().conditionalGenerator() && model.numClasses() != k) {
            throw new CliException("the classifier (" + c.source() + ") knows " + k + " classes but model "
                    + model.name() + " has " + model.numClasses());
        }
    }
}
