package dev.acgan.samples.cli;

import dev.acgan.api.spi.GanBackend;
import dev.acgan.eval.classifier.Classifier;
import dev.acgan.eval.classifier.ClassifierData;
import dev.acgan.eval.classifier.ClassifierRecipe;
import dev.acgan.eval.classifier.ClassifierTrainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code acgan train-classifier}: trains the LeNet classifier that {@code acgan evaluate} uses, on the
 * selected backend, reproducibly (the same settings on the same backend and machine give the same file,
 * byte for byte). The defaults are the recipe of the shipped classifiers, which were trained by the
 * plain-Java LeNet of earlier versions: a backend sums in another order and gives a classifier of about
 * the same accuracy, not the same bytes.
 */
@Command(
        name = "train-classifier",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Train the LeNet classifier that 'acgan evaluate' scores with.",
        description = {
            "Train a LeNet classifier (conv 5x5 6 + max-pool, conv 5x5 16 + max-pool, dense 120, 84, "
                    + "softmax) on real images with the selected backend and write it as one safetensors file with its "
                    + "test accuracy and the feature statistics 'acgan evaluate' needs for FID. Training is "
                    + "deterministic: the same settings write the same bytes on the same backend and machine. The "
                    + "defaults are the recipe of the shipped classifiers, which an earlier plain-Java engine trained: "
                    + "a backend gives one of about the same accuracy, not the same bytes (the SHA-256 printed at the "
                    + "end tells).",
            "",
            "mnist: the 10,000 embedded digits, first " + ClassifierData.MNIST_TRAIN + " for training, last "
                    + ClassifierData.MNIST_TEST + " for test. fashion-mnist, fashion-mnist:DIR, idx:DIR: the "
                    + "dataset's own training and test files.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  acgan train-classifier --dataset mnist --out mnist-lenet.safetensors",
            "  acgan train-classifier --dataset fashion-mnist --out fashion-mnist-lenet.safetensors",
            "  acgan evaluate --checkpoint runs/mine --classifier mnist-lenet.safetensors"
        })
final class TrainClassifierCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-d", "--dataset"},
            paramLabel = "SPEC",
            defaultValue = "mnist",
            description = "mnist | fashion-mnist | fashion-mnist:DIR | idx:DIR. Default: mnist.")
    String dataset;

    @Option(
            names = {"-o", "--out"},
            required = true,
            paramLabel = "FILE",
            description = "The classifier file to write (safetensors).")
    Path out;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "" + ClassifierRecipe.DEFAULT_SEED,
            description = "Seed of the initial weights, data order and shifts. Default: "
                    + ClassifierRecipe.DEFAULT_SEED + ".")
    long seed;

    @Option(
            names = {"-e", "--epochs"},
            paramLabel = "N",
            description = "Passes over the training images. Default: " + ClassifierRecipe.DEFAULT_EPOCHS_MNIST
                    + " for mnist, " + ClassifierRecipe.DEFAULT_EPOCHS_OTHER + " otherwise.")
    Integer epochs;

    @Option(
            names = {"-b", "--batch-size"},
            paramLabel = "N",
            defaultValue = "" + ClassifierRecipe.DEFAULT_BATCH_SIZE,
            description = "Images per step. Default: " + ClassifierRecipe.DEFAULT_BATCH_SIZE + ".")
    int batchSize;

    @Option(
            names = {"--learning-rate", "--lr"},
            paramLabel = "LR",
            defaultValue = "" + ClassifierRecipe.DEFAULT_LEARNING_RATE,
            description = "Adam's initial learning rate (cosine decay to 0). Default: "
                    + ClassifierRecipe.DEFAULT_LEARNING_RATE + ".")
    double learningRate;

    @Option(
            names = "--shift",
            paramLabel = "PIXELS",
            defaultValue = "" + ClassifierRecipe.DEFAULT_SHIFT,
            description = "Largest random shift of a training image (augmentation; 0: none). Default: "
                    + ClassifierRecipe.DEFAULT_SHIFT + ".")
    int shift;

    @Option(
            names = "--train-limit",
            paramLabel = "N",
            defaultValue = "0",
            description = "Use only the first N training images (0: all), for quick checks.")
    int trainLimit;

    @Option(names = "--backend", paramLabel = "NAME", description = "Backend to train on (see 'acgan backends').")
    String backend;

    @Override
    public Integer call() {
        String ds = dataset.strip();
        ClassifierRecipe recipe;
        try {
            recipe = new ClassifierRecipe(
                    ds,
                    seed,
                    epochs == null ? ClassifierRecipe.defaultEpochs(ds) : epochs,
                    batchSize,
                    learningRate,
                    shift,
                    trainLimit);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), AcganCli.EXIT_USAGE);
        }
        if (Files.isDirectory(out)) {
            throw new CliException("--out " + out + " is a directory; name the file to write");
        }
        GanBackend b = Wiring.injector(backend).getInstance(GanBackend.class);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "Training a LeNet classifier on %s: %s%n", b.name(), recipe.command());
        w.flush();
        ClassifierTrainer.Result result = ClassifierTrainer.train(recipe, b, e -> {
            w.printf(
                    Locale.ROOT,
                    "  epoch %d/%d  loss %.4f  test accuracy %.2f%%  %s%n",
                    e.epoch(),
                    recipe.epochs(),
                    e.loss(),
                    100 * e.testAccuracy(),
                    duration(e.seconds()));
            w.flush();
        });
        Classifier c = result.classifier();
        String sha = c.write(out);
        w.printf(
                Locale.ROOT,
                "Wrote %s (%d bytes): test accuracy %.2f%% on %d test images, trained on %d images in " + "%s%n",
                out,
                sizeOf(out),
                100 * c.testAccuracy(),
                c.testImages(),
                c.trainImages(),
                duration(result.seconds()));
        w.printf(Locale.ROOT, "  sha256 %s%n", sha);
        String builtIn = EvaluateCommand.builtInFor(ds);
        if (builtIn != null
                && ds.equals(builtIn)
                && Classifier.class.getResource(Classifier.resource(builtIn)) != null) {
            Classifier shipped = Classifier.builtIn(builtIn);
            w.printf(
                    Locale.ROOT,
                    "  %s the built-in %s classifier%n",
                    sha.equals(shipped.sha256()) ? "identical to" : "differs from",
                    builtIn);
        }
        w.flush();
        return AcganCli.EXIT_OK;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + "s" : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
