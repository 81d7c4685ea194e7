package dev.acgan.samples.cli;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointException;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.export.ExportException;
import dev.acgan.export.ExportFormat;
import dev.acgan.export.Exporter;
import dev.acgan.export.OnnxExporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code acgan export}: a checkpoint's generator in a format other runtimes read (ONNX). */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Export a checkpoint's generator for other runtimes (ONNX).",
        description = {
            "Export the generator of a checkpoint as an ONNX model (opset " + OnnxExporter.OPSET + ") that ONNX "
                    + "Runtime and other ONNX runtimes run without acgan or a JVM. DIR receives "
                    + OnnxExporter.MODEL_FILE + " and " + Exporter.DESCRIPTION_FILE + " (inputs, output, layout).",
            "",
            "Inputs: noise float32 [N, latent] (the model's prior, uniform on [-1, 1] for the presets) and, for a "
                    + "conditional model, label int64 [N]. Output: image float32 [N, height, width, channels] "
                    + "(NHWC) in [-1, 1]. See docs/export.md.",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  acgan export --checkpoint runs/mnist --out runs/mnist/onnx",
            "  acgan export --checkpoint runs/mnist/generator --format onnx --out web/model --force"
        })
final class ExportCommand implements Callable<Integer> {

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
            names = {"-f", "--format"},
            paramLabel = "FORMAT",
            defaultValue = "onnx",
            description = "Export format: onnx. Default: onnx.")
    String format;

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
        Path dir = GenerateCommand.resolveCheckpoint(checkpoint);
        Exporter.Result result;
        ModelSpec model;
        long step;
        try {
            Checkpoint ckpt = Checkpoint.read(dir);
            model = ckpt.metadata().spec();
            step = ckpt.metadata().position().step();
            result = Exporter.export(ckpt, f, out, force);
        } catch (ExportException | CheckpointException e) {
            throw new CliException(e.getMessage());
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(
                Locale.ROOT,
                "Wrote %s: %s generator of %s (%s, step %d), %,d bytes; inputs noise [N, %d]%s, output image [N, %d, "
                        + "%d, %d] NHWC in [-1, 1]%n",
                result.model(),
                f.id().toUpperCase(Locale.ROOT),
                dir,
                model.name(),
                step,
                result.modelBytes(),
                model.latentDim(),
                model.kind().conditionalGenerator() ? ", label [N] int64" : "",
                model.image().height(),
                model.image().width(),
                model.image().channels());
        w.flush();
        return AcganCli.EXIT_OK;
    }
}
