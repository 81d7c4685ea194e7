package dev.acgan.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointException;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.SpecJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a checkpoint's generator in an {@link ExportFormat} into a directory: the model file
 * ({@value OnnxExporter#MODEL_FILE} for ONNX) and {@value #DESCRIPTION_FILE}, which names the inputs, the output,
 * the layout and the model the export came from.
 *
 * <p>Nothing is half-written: the files go to a hidden directory beside the target, which is renamed into place
 * once complete. A target that exists and is not empty is refused unless {@code force} is given, in which case it
 * is replaced as a whole (only once the new export is complete).
 */
public final class Exporter {

    /** The description's file name in an export directory. */
    public static final String DESCRIPTION_FILE = "export.json";

    private static final Logger LOG = LoggerFactory.getLogger(Exporter.class);

    private Exporter() {}

    /**
     * What an export wrote.
     *
     * @param directory  the export directory
     * @param model      the model file in it
     * @param modelBytes the model file's size
     * @param format     the format
     */
    public record Result(Path directory, Path model, long modelBytes, ExportFormat format) {}

    /** Reads and verifies the checkpoint directory, then exports its generator (see the class description). */
    public static Result export(Path checkpointDir, ExportFormat format, Path out, boolean force) {
        checkTarget(out, force);
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.read(checkpointDir);
        } catch (CheckpointException e) {
            throw new ExportException(e.getMessage(), e);
        }
        return export(checkpoint, format, out, force);
    }

    /** Exports the checkpoint's generator into {@code out} (see the class description). */
    public static Result export(Checkpoint checkpoint, ExportFormat format, Path out, boolean force) {
        checkTarget(out, force);
        byte[] model = switch (format) {
            case ONNX -> OnnxExporter.generator(checkpoint);
        };
        String modelFile = OnnxExporter.MODEL_FILE;
        byte[] description = description(checkpoint, format, modelFile);
        Path target = out.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createDirectory(parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID()));
            Files.write(tmp.resolve(modelFile), model);
            Files.write(tmp.resolve(DESCRIPTION_FILE), description);
            swapInto(tmp, target, force);
            tmp = null;
        } catch (IOException e) {
            throw new ExportException("cannot write " + out + ": " + e, e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
        LOG.info(
                "Exported the generator of {} to {} ({} bytes)",
                checkpoint.metadata().spec().name(),
                out,
                model.length);
        return new Result(out, out.resolve(modelFile), model.length, format);
    }

    /** Refuses a target that is not a directory, or that is a non-empty directory without {@code force}. */
    private static void checkTarget(Path out, boolean force) {
        if (!Files.exists(out)) {
            return;
        }
        if (!Files.isDirectory(out)) {
            throw new ExportException(out + " exists and is not a directory");
        }
        if (!force && !isEmpty(out)) {
            throw new ExportException(out + " exists and is not empty (use --force to replace it)");
        }
    }

    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        } catch (IOException e) {
            throw new ExportException("cannot read " + dir + ": " + e, e);
        }
    }

    private static void swapInto(Path tmp, Path target, boolean force) throws IOException {
        if (!Files.exists(target)) {
            move(tmp, target);
            return;
        }
        checkTarget(target, force);
        Path old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
        move(target, old);
        move(tmp, target);
        deleteQuietly(old);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("target appeared while writing: " + to, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    private static byte[] description(Checkpoint checkpoint, ExportFormat format, String modelFile) {
        ModelSpec spec = checkpoint.metadata().spec();
        boolean conditional = spec.kind().conditionalGenerator();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("format", format.id());
        d.put("opset", OnnxExporter.OPSET);
        d.put("model", modelFile);
        Map<String, Object> noise = new LinkedHashMap<>();
        noise.put("name", OnnxExporter.INPUT_NOISE);
        noise.put("type", "float32");
        noise.put("shape", List.of("N", spec.latentDim()));
        noise.put("distribution", spec.noise().name().toLowerCase(Locale.ROOT));
        List<Object> inputs = new java.util.ArrayList<>(List.of(noise));
        if (conditional) {
            Map<String, Object> label = new LinkedHashMap<>();
            label.put("name", OnnxExporter.INPUT_LABEL);
            label.put("type", "int64");
            label.put("shape", List.of("N"));
            label.put("range", List.of(0, spec.numClasses() - 1));
            inputs.add(label);
        }
        d.put("inputs", inputs);
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("name", OnnxExporter.OUTPUT_IMAGE);
        image.put("type", "float32");
        image.put(
                "shape",
                List.of(
                        "N",
                        spec.image().height(),
                        spec.image().width(),
                        spec.image().channels()));
        image.put("layout", "NHWC");
        image.put("range", List.of(-1, 1));
        d.put("outputs", List.of(image));
        d.put("batchNorm", "BatchNormalization (inference mode, the checkpoint's moving statistics)");
        d.put("preset", spec.name());
        d.put("kind", spec.kind().name());
        d.put("classes", spec.numClasses());
        d.put("step", checkpoint.metadata().position().step());
        d.put("trainedWith", checkpoint.metadata().backend());
        d.put("exportedBy", OnnxExporter.PRODUCER + " " + OnnxExporter.version());
        try {
            return (SpecJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(d) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
