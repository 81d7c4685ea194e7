package dev.acgan.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointException;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.SpecJson;
import dev.acgan.api.tensor.NamedTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
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
 * Writes a checkpoint's generator (or discriminator) in an {@link ExportFormat} into a directory: the model file
 * ({@value OnnxExporter#MODEL_FILE} or {@value OnnxExporter#DISCRIMINATOR_FILE} for ONNX; for TensorFlow.js
 * {@value TfjsExporter#MODEL_FILE} and its weight shards, generator only) and {@value #DESCRIPTION_FILE}, which
 * names the inputs, the outputs, the layout and the model the export came from; for {@link ExportFormat#WEB} also
 * the page that generates in the browser and its runtime ({@link WebPage#files()}).
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
     * @param model      the model file in it ({@value TfjsExporter#MODEL_FILE} for TensorFlow.js)
     * @param modelBytes the model's size: the model file's, for TensorFlow.js {@value TfjsExporter#MODEL_FILE}'s
     *                   and its weight shards' together
     * @param format     the format
     */
    public record Result(Path directory, Path model, long modelBytes, ExportFormat format) {}

    /** Which network of a GAN to export. */
    public enum Network {
        /** The generator: noise (and labels) in, images out. */
        GENERATOR,
        /** The discriminator (of a training checkpoint): images (and labels) in, validity (and classes) out. */
        DISCRIMINATOR;

        /** The network of that name (any case), or an error listing the choices. */
        public static Network parse(String name) {
            for (Network n : values()) {
                if (n.name().equalsIgnoreCase(name.strip())) {
                    return n;
                }
            }
            throw new ExportException("unknown network '" + name + "'; choose generator or discriminator");
        }

        /** The lower-case name used on the command line. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Reads and verifies the checkpoint directory, then exports its generator (see the class description). */
    public static Result export(Path checkpointDir, ExportFormat format, Path out, boolean force) {
        return export(checkpointDir, format, Network.GENERATOR, out, force);
    }

    /** Reads and verifies the checkpoint directory, then exports one of its networks (see the class description). */
    public static Result export(Path checkpointDir, ExportFormat format, Network network, Path out, boolean force) {
        checkTarget(out, force);
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.read(checkpointDir);
        } catch (CheckpointException e) {
            throw new ExportException(e.getMessage(), e);
        }
        return export(checkpoint, format, network, out, force);
    }

    /** Exports the checkpoint's generator into {@code out} (see the class description). */
    public static Result export(Checkpoint checkpoint, ExportFormat format, Path out, boolean force) {
        return export(checkpoint, format, Network.GENERATOR, out, force);
    }

    /** Exports one network of the checkpoint into {@code out} (see the class description). */
    public static Result export(Checkpoint checkpoint, ExportFormat format, Network network, Path out, boolean force) {
        checkTarget(out, force);
        Map<String, byte[]> page = new LinkedHashMap<>();
        if (format == ExportFormat.WEB) {
            if (network != Network.GENERATOR) {
                throw new ExportException("format web exports the generator (a page that generates images), not the "
                        + network.id() + "; use --format onnx for it");
            }
            for (String f : WebPage.files()) {
                page.put(f, WebPage.read(f));
            }
        }
        Map<String, byte[]> model = switch (format) {
            case ONNX, WEB ->
                network == Network.GENERATOR
                        ? Map.of(OnnxExporter.MODEL_FILE, OnnxExporter.generator(checkpoint))
                        : Map.of(OnnxExporter.DISCRIMINATOR_FILE, OnnxExporter.discriminator(checkpoint));
            case TFJS -> {
                if (network != Network.GENERATOR) {
                    throw new ExportException(
                            "--format tfjs exports the generator only; export the " + network.id() + " as onnx");
                }
                yield TfjsExporter.generator(checkpoint);
            }
        };
        String modelFile = model.keySet().iterator().next();
        long modelBytes = model.values().stream().mapToLong(b -> b.length).sum();
        Map<String, byte[]> files = new LinkedHashMap<>(model);
        files.put(DESCRIPTION_FILE, description(checkpoint, format, network, model.keySet()));
        files.putAll(page);
        write(out, force, files);
        LOG.debug(
                "Exported the {} of {} to {} ({} bytes)",
                network.id(),
                checkpoint.metadata().spec().name(),
                out,
                modelBytes);
        return new Result(out, out.resolve(modelFile), modelBytes, format);
    }

    /**
     * Exports an image classifier (e.g. the LeNet of {@code acgan evaluate}, {@code dev.acgan.eval.classifier}) into
     * {@code out}: {@value OnnxExporter#CLASSIFIER_FILE} and {@value #DESCRIPTION_FILE}.
     *
     * @param spec    the classifier's spec
     * @param weights its parameters ({@code classifier/<node>/<param>})
     * @param source  where the classifier came from, for the description (a built-in name or a file)
     * @param format  the format
     * @param out     the export directory
     * @param force   replace a non-empty {@code out}
     */
    public static Result exportClassifier(
            ClassifierSpec spec, NamedTensors weights, String source, ExportFormat format, Path out, boolean force) {
        checkTarget(out, force);
        byte[] model = switch (format) {
            case ONNX -> OnnxExporter.classifier(spec, weights);
            case TFJS ->
                throw new ExportException("--format tfjs exports generators only; export the classifier as " + "onnx");
            case WEB ->
                throw new ExportException(
                        "format web exports a generator (a page that generates images), not a classifier; use --format "
                                + "onnx");
        };
        String modelFile = OnnxExporter.CLASSIFIER_FILE;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("format", format.id());
        d.put("opset", OnnxExporter.OPSET);
        d.put("network", "classifier");
        d.put("model", modelFile);
        List<Object> imageShape = List.of(
                "N", spec.image().height(), spec.image().width(), spec.image().channels());
        d.put(
                "inputs",
                List.of(value(OnnxExporter.INPUT_IMAGE, imageShape, "layout", "NHWC", "range", List.of(-1, 1))));
        int features = spec.validate()
                .node(spec.network().outputs().get(ClassifierSpec.OUT_FEATURES))
                .outputShape()[0];
        d.put(
                "outputs",
                List.of(
                        value(OnnxExporter.OUTPUT_CLASS, List.of("N", spec.numClasses()), "range", List.of(0, 1)),
                        value(OnnxExporter.OUTPUT_FEATURES, List.of("N", features))));
        d.put("classifier", spec.name());
        d.put("classes", spec.numClasses());
        d.put("source", source);
        d.put("exportedBy", OnnxExporter.PRODUCER + " " + OnnxExporter.version());
        write(out, force, Map.of(modelFile, model, DESCRIPTION_FILE, json(d)));
        return new Result(out, out.resolve(modelFile), model.length, format);
    }

    /**
     * The {@value #DESCRIPTION_FILE} of a generator export in {@code format}: what the page of {@link ExportFormat#WEB}
     * reads beside the model ({@code acgan serve} serves it for its own page).
     */
    public static byte[] generatorDescription(Checkpoint checkpoint, ExportFormat format) {
        return description(checkpoint, format, Network.GENERATOR, List.of(OnnxExporter.MODEL_FILE));
    }

    /** Writes the files (names may hold folders) into a hidden directory beside {@code out}, then renames it. */
    private static void write(Path out, boolean force, Map<String, byte[]> files) {
        Path target = out.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null) {
            throw new ExportException("cannot export into " + out + ": choose a directory below it");
        }
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createDirectory(parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID()));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path p = tmp.resolve(f.getKey());
                Path dir = p.getParent();
                if (dir != null) {
                    Files.createDirectories(dir);
                }
                Files.write(p, f.getValue());
            }
            swapInto(tmp, target, force);
            tmp = null;
        } catch (IOException e) {
            throw new ExportException("cannot write " + out + ": " + e, e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
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

    private static byte[] description(
            Checkpoint checkpoint, ExportFormat format, Network network, Collection<String> modelFiles) {
        ModelSpec spec = checkpoint.metadata().spec();
        boolean tfjs = format == ExportFormat.TFJS;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("format", format.id());
        if (tfjs) {
            d.put("tfjs", TfjsExporter.FORMAT + " for tf.loadLayersModel (@tensorflow/tfjs 4.x)");
        } else {
            d.put("opset", OnnxExporter.OPSET);
        }
        d.put("network", network.id());
        List<String> files = List.copyOf(modelFiles);
        d.put("model", files.get(0));
        if (tfjs) {
            d.put("weights", files.subList(1, files.size()));
        }
        List<Object> inputs = new ArrayList<>();
        List<Object> outputs = new ArrayList<>();
        List<Object> imageShape = List.of(
                "N", spec.image().height(), spec.image().width(), spec.image().channels());
        boolean conditional;
        if (network == Network.GENERATOR) {
            inputs.add(value(
                    OnnxExporter.INPUT_NOISE,
                    List.of("N", spec.latentDim()),
                    "distribution",
                    spec.noise().name().toLowerCase(Locale.ROOT)));
            outputs.add(value(OnnxExporter.OUTPUT_IMAGE, imageShape, "layout", "NHWC", "range", List.of(-1, 1)));
            conditional = spec.kind().conditionalGenerator();
        } else {
            inputs.add(value(OnnxExporter.INPUT_IMAGE, imageShape, "layout", "NHWC", "range", List.of(-1, 1)));
            outputs.add(value(OnnxExporter.OUTPUT_VALIDITY, List.of("N", 1), "range", List.of(0, 1)));
            if (spec.kind().auxiliaryClassifier()) {
                outputs.add(value(OnnxExporter.OUTPUT_CLASS, List.of("N", spec.numClasses()), "range", List.of(0, 1)));
            }
            conditional = spec.kind().conditionalDiscriminator();
        }
        if (conditional && tfjs) {
            // The TF.js ACGAN example's convention: the class index as a float32 [N, 1] tensor.
            inputs.add(value(TfjsExporter.INPUT_LABEL, List.of("N", 1), "range", List.of(0, spec.numClasses() - 1)));
        } else if (conditional) {
            Map<String, Object> label =
                    value(OnnxExporter.INPUT_LABEL, List.of("N"), "range", List.of(0, spec.numClasses() - 1));
            label.put("type", "int64");
            inputs.add(label);
        }
        d.put("inputs", inputs);
        d.put("outputs", outputs);
        d.put(
                "batchNorm",
                tfjs
                        ? "BatchNormalization layers (predict: the checkpoint's moving statistics)"
                        : "BatchNormalization (inference mode, the checkpoint's moving statistics)");
        d.put("preset", spec.name());
        d.put("kind", spec.kind().name());
        d.put("classes", spec.numClasses());
        d.put("step", checkpoint.metadata().position().step());
        d.put("trainedWith", checkpoint.metadata().backend());
        d.put("exportedBy", OnnxExporter.PRODUCER + " " + OnnxExporter.version());
        if (format == ExportFormat.WEB) {
            d.put("page", WebPage.INDEX);
            d.put("runtime", "onnxruntime-web " + WebPage.runtimeVersion() + " (WebAssembly, 1 thread)");
        }
        return json(d);
    }

    private static byte[] json(Map<String, Object> d) {
        try {
            return (SpecJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(d) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A float32 input or output of the description, with extra key-value pairs. */
    private static Map<String, Object> value(String name, List<Object> shape, Object... extra) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", name);
        v.put("type", "float32");
        v.put("shape", shape);
        for (int i = 0; i < extra.length; i += 2) {
            v.put((String) extra[i], extra[i + 1]);
        }
        return v;
    }
}
