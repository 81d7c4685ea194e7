package dev.acgan.samples.cli;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointException;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.eval.classifier.Classifier;
import dev.acgan.export.ExportException;
import dev.acgan.export.ExportFormat;
import dev.acgan.export.Exporter;
import dev.acgan.export.OnnxExporter;
import dev.acgan.export.TfjsExporter;
import dev.acgan.export.WebPage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code acgan export}: a checkpoint's generator in a format other runtimes read (ONNX, TensorFlow.js). */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Export a checkpoint's generator (or discriminator) for other runtimes (ONNX, TensorFlow.js).",
        description = {
            "Export the generator of a checkpoint as an ONNX model (opset " + OnnxExporter.OPSET + ") that ONNX "
                    + "Runtime and other ONNX runtimes run without acgan or a JVM. DIR receives "
                    + OnnxExporter.MODEL_FILE + " and " + Exporter.DESCRIPTION_FILE + " (inputs, output, layout).",
            "",
            "--format tfjs writes the generator as a TensorFlow.js layers model instead: " + TfjsExporter.MODEL_FILE
                    + " and its weight shards (group1-shard1of1.bin, ...), for tf.loadLayersModel of "
                    + "@tensorflow/tfjs 4.x in a browser or Node.js. Its label input is the class index as float32 "
                    + "[N, 1], as the TF.js ACGAN example feeds it.",
            "",
            "--network discriminator exports the discriminator of a training checkpoint instead, as "
                    + OnnxExporter.DISCRIMINATOR_FILE + "; --classifier exports the LeNet classifier of 'acgan "
                    + "evaluate' (image in; class probabilities and features out), as "
                    + OnnxExporter.CLASSIFIER_FILE + ".",
            "",
            "--format web writes a static page that generates in the browser (class picker, count, seed, latent "
                    + "sliders, interpolation) with " + OnnxExporter.MODEL_FILE + " on onnxruntime-web (WebAssembly, "
                    + "no server round trip): serve DIR with any static file server and open " + WebPage.INDEX + ".",
            "",
            "Generator inputs: noise float32 [N, latent] (the model's prior, uniform on [-1, 1] for the presets) and, for a "
                    + "conditional model, label int64 [N]. Output: image float32 [N, height, width, channels] "
                    + "(NHWC) in [-1, 1]. See docs/export.md.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  acgan export --checkpoint runs/mnist --out runs/mnist/onnx",
            "  acgan export --checkpoint runs/mnist/generator --format onnx --out web/model --force",
            "  acgan export --checkpoint runs/mnist --format tfjs --out runs/mnist/tfjs",
            "  acgan export --checkpoint runs/mnist --format web --out runs/mnist/web",
            "  acgan export --checkpoint runs/mnist --network discriminator --out runs/mnist/onnx-d",
            "  acgan export --classifier mnist --out lenet-onnx"
        })
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-k", "--checkpoint"},
            paramLabel = "DIR",
            description = "A training checkpoint, a generator export (OUTDIR/generator), or a run's output "
                    + "directory (its newest checkpoint). This or --classifier is required.")
    Path checkpoint;

    @Option(
            names = "--classifier",
            paramLabel = "mnist|fashion-mnist|FILE",
            description = "Export this classifier (the LeNet of 'acgan evaluate': built-in, or a file written by "
                    + "'acgan train-classifier') instead of a checkpoint's network, as "
                    + OnnxExporter.CLASSIFIER_FILE + ".")
    String classifier;

    @Option(
            names = {"-f", "--format"},
            paramLabel = "FORMAT",
            defaultValue = "onnx",
            description = "Export format: onnx, tfjs (TensorFlow.js layers model; generator only), or web (a browser "
                    + "page with the ONNX model). Default: onnx.")
    String format;

    @Option(
            names = "--network",
            paramLabel = "NET",
            defaultValue = "generator",
            description = "generator, or discriminator (of a training checkpoint). Default: generator.")
    String network;

    @Option(
            names = {"-o", "--out"},
            required = true,
            paramLabel = "DIR",
            description = "Output directory; it must not exist or be empty, unless --force.")
    Path out;

    @Option(names = "--force", description = "Replace the output directory if it exists and is not empty.")
    boolean force;

    @Override
    public Integer call() {
        ExportFormat f;
        try {
            f = ExportFormat.parse(format);
        } catch (ExportException e) {
            throw new CliException("--format: " + e.getMessage());
        }
        Exporter.Network net;
        try {
            net = Exporter.Network.parse(network);
        } catch (ExportException e) {
            throw new CliException("--network: " + e.getMessage());
        }
        if ((checkpoint == null) == (classifier == null)) {
            throw new CliException("give either --checkpoint DIR or --classifier NAME|FILE", AcganCli.EXIT_USAGE);
        }
        if (classifier != null) {
            if (net != Exporter.Network.GENERATOR) {
                throw new CliException("--network " + net.id() + " is for a checkpoint, not for --classifier");
            }
            return exportClassifier(f);
        }
        Path dir = GenerateCommand.resolveCheckpoint(checkpoint);
        Exporter.Result result;
        ModelSpec model;
        long step;
        try {
            Checkpoint ckpt = Checkpoint.read(dir);
            model = ckpt.metadata().spec();
            step = ckpt.metadata().position().step();
            result = Exporter.export(ckpt, f, net, out, force);
        } catch (ExportException | CheckpointException e) {
            throw new CliException(e.getMessage());
        }
        PrintWriter w = spec.commandLine().getOut();
        ImageShape image = model.image();
        String shape = "[N, " + image.height() + ", " + image.width() + ", " + image.channels() + "] NHWC in [-1, 1]";
        String io;
        if (net == Exporter.Network.GENERATOR) {
            String label = f == ExportFormat.TFJS ? ", label [N, 1] float32 (class index)" : ", label [N] int64";
            io = "inputs noise [N, " + model.latentDim() + "]" + (model.kind().conditionalGenerator() ? label : "")
                    + "; output image " + shape;
        } else {
            io = "inputs image " + shape + (model.kind().conditionalDiscriminator() ? ", label [N] int64" : "")
                    + "; outputs validity [N, 1]"
                    + (model.kind().auxiliaryClassifier() ? ", class [N, " + model.numClasses() + "]" : "");
        }
        w.printf(
                Locale.ROOT,
                "Wrote %s: %s %s of %s (%s, step %d), %,d bytes%s; %s%n",
                result.model(),
                f.id().toUpperCase(Locale.ROOT),
                net.id(),
                dir,
                model.name(),
                step,
                result.modelBytes(),
                f == ExportFormat.TFJS ? " with its weight shards" : "",
                io);
        if (f == ExportFormat.WEB) {
            w.printf(
                    Locale.ROOT,
                    "Page %s (%,d bytes in all, onnxruntime-web %s inside): serve %s with any static file server, "
                            + "e.g. 'python3 -m http.server -d %s 8000', and open http://localhost:8000/%n",
                    out.resolve(WebPage.INDEX),
                    size(out),
                    WebPage.runtimeVersion(),
                    out,
                    out);
        }
        w.flush();
        return AcganCli.EXIT_OK;
    }

    /** Bytes of the files in a directory tree. */
    private static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        } catch (IOException e) {
            return -1;
        }
    }

    private int exportClassifier(ExportFormat f) {
        Classifier c = EvaluateCommand.chooseClassifier("--classifier", classifier, null);
        Exporter.Result result;
        try {
            result = Exporter.exportClassifier(c.spec(), c.weights(), c.source(), f, out, force);
        } catch (ExportException e) {
            throw new CliException(e.getMessage());
        }
        ImageShape image = c.spec().image();
        PrintWriter w = spec.commandLine().getOut();
        w.printf(
                Locale.ROOT,
                "Wrote %s: %s classifier %s (%s), %,d bytes; input image [N, %d, %d, %d] NHWC in [-1, 1]; outputs "
                        + "class [N, %d], features%n",
                result.model(),
                f.id().toUpperCase(Locale.ROOT),
                c.spec().name(),
                c.source(),
                result.modelBytes(),
                image.height(),
                image.width(),
                image.channels(),
                c.spec().numClasses());
        w.flush();
        return AcganCli.EXIT_OK;
    }
}
