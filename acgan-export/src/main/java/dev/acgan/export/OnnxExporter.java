package dev.acgan.export;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointMetadata;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.SpecException;
import dev.acgan.api.spec.SpecJson;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.export.onnx.OnnxModel.GraphProto;
import dev.acgan.export.onnx.OnnxModel.ModelProto;
import dev.acgan.export.onnx.OnnxModel.OperatorSetIdProto;
import dev.acgan.export.onnx.OnnxModel.StringStringEntryProto;
import dev.acgan.export.onnx.OnnxModel.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A generator, discriminator or image classifier as an ONNX model (opset {@value #OPSET}, IR version {@value #IR_VERSION}),
 * compiled from its spec with the checkpoint's weights as float32 initializers.
 *
 * <p>The generator's inputs are {@value #INPUT_NOISE}, float32 {@code [N, latentDim]} drawn from the model's prior
 * (uniform on [-1, 1] for the presets), and, for a conditional model (ACGAN, CGAN), {@value #INPUT_LABEL}, int64
 * {@code [N]} class labels in {@code [0, numClasses)}. Its output {@value #OUTPUT_IMAGE} is float32
 * {@code [N, height, width, channels]} (NHWC, as {@code Generator.generate} returns them) with values in [-1, 1].
 *
 * <p>The discriminator's inputs are {@value #INPUT_IMAGE}, float32 NHWC {@code [N, height, width, channels]} in
 * [-1, 1], and for a CGAN {@value #INPUT_LABEL}; its outputs are {@value #OUTPUT_VALIDITY}, float32
 * {@code [N, 1]}, the probability that an image is real, and for an ACGAN {@value #OUTPUT_CLASS}, float32
 * {@code [N, numClasses]} class probabilities (as {@code Discriminator.discriminate} returns them).
 *
 * <p>{@code N} is free. BatchNorm stays a BatchNormalization node in inference mode with the checkpoint's moving
 * statistics (not folded into the preceding weights, so the initializers are the checkpoint's tensors, transposed
 * where ONNX's layout differs); Dropout is the identity. Labels outside {@code [0, numClasses)} are not checked
 * by the graph: ONNX's Gather and OneHot read a negative label as counted from the end, and ONNX Runtime rejects
 * one that is too large.
 */
public final class OnnxExporter {

    /** The ONNX operator set the model imports. */
    public static final int OPSET = 17;
    /** The ONNX IR version the model declares (8: the first with opset 17). */
    public static final int IR_VERSION = 8;
    /** The generator's file name in an export directory. */
    public static final String MODEL_FILE = "generator.onnx";
    /** The discriminator's file name in an export directory. */
    public static final String DISCRIMINATOR_FILE = "discriminator.onnx";
    /** The classifier's file name in an export directory. */
    public static final String CLASSIFIER_FILE = "classifier.onnx";
    /** Generator input: the noise, float32 {@code [N, latentDim]}. */
    public static final String INPUT_NOISE = "noise";
    /** Input of conditional models: the class labels, int64 {@code [N]}. */
    public static final String INPUT_LABEL = "label";
    /** Discriminator input: images, float32 NHWC {@code [N, height, width, channels]} in [-1, 1]. */
    public static final String INPUT_IMAGE = "image";
    /** Generator output: the images, float32 NHWC {@code [N, height, width, channels]} in [-1, 1]. */
    public static final String OUTPUT_IMAGE = "image";
    /** Discriminator output: the probability that each image is real, float32 {@code [N, 1]}. */
    public static final String OUTPUT_VALIDITY = "validity";
    /** ACGAN discriminator output: class probabilities, float32 {@code [N, numClasses]}. */
    public static final String OUTPUT_CLASS = "class";
    /** Classifier output: the feature vector, float32 {@code [N, d]}. */
    public static final String OUTPUT_FEATURES = "features";
    /** The producer name written into the model. */
    public static final String PRODUCER = "acgan";

    private OnnxExporter() {}

    /** The ONNX model of the checkpoint's generator (a training checkpoint, with its generator EMA where it has one, or a generator export). */
    public static byte[] generator(Checkpoint checkpoint) {
        return generator(
                checkpoint.metadata().spec(), checkpoint.generatorWeights(), provenance(checkpoint.metadata()));
    }

    /** The ONNX model of a generator from its spec and weights (canonical names and layouts). */
    public static byte[] generator(ModelSpec spec, NamedTensors weights) {
        return generator(spec, weights, Map.of());
    }

    /**
     * The ONNX model of the checkpoint's discriminator; a generator export, which holds no discriminator, is
     * refused.
     */
    public static byte[] discriminator(Checkpoint checkpoint) {
        if (checkpoint.tensors().names().stream().noneMatch(n -> n.startsWith("discriminator/"))) {
            throw new ExportException("the checkpoint holds no discriminator (a "
                    + checkpoint.metadata().type()
                    + " checkpoint); export the discriminator from a training checkpoint");
        }
        return discriminator(checkpoint.metadata().spec(), checkpoint.tensors(), provenance(checkpoint.metadata()));
    }

    /** The ONNX model of a discriminator from its spec and weights (canonical names and layouts). */
    public static byte[] discriminator(ModelSpec spec, NamedTensors weights) {
        return discriminator(spec, weights, Map.of());
    }

    /**
     * The ONNX model of an image classifier ({@code ClassifierSpec}, e.g. the LeNet of {@code acgan evaluate})
     * from its weights ({@code classifier/<node>/<param>}): input {@value #INPUT_IMAGE}, float32 NHWC
     * {@code [N, height, width, channels]} in [-1, 1]; outputs {@value #OUTPUT_CLASS}, float32
     * {@code [N, numClasses]} class probabilities, and {@value #OUTPUT_FEATURES}, float32 {@code [N, d]}, the
     * feature vector (as {@code ClassifierModel.predict} returns them).
     */
    public static byte[] classifier(ClassifierSpec spec, NamedTensors weights) {
        InferredNetwork net;
        try {
            net = spec.validate();
        } catch (SpecException e) {
            throw new ExportException("invalid classifier spec: " + e.getMessage(), e);
        }
        ImageShape image = spec.image();
        int[] dims = {image.height(), image.width(), image.channels()};
        GraphProto.Builder graph = GraphProto.newBuilder().setName(safeName(spec.name()) + "_classifier");
        graph.addInput(OnnxCompiler.valueInfo(INPUT_IMAGE, TensorProto.DataType.FLOAT, dims));
        OnnxCompiler compiler = new OnnxCompiler(weights, graph);
        compiler.bindInput(NetworkSpec.IMAGE, compiler.fromNhwc(INPUT_IMAGE));
        compiler.compile(net);
        compiler.rename(compiler.output(net, NetworkSpec.OUT_CLASS), OUTPUT_CLASS);
        graph.addOutput(OnnxCompiler.valueInfo(OUTPUT_CLASS, TensorProto.DataType.FLOAT, spec.numClasses()));
        compiler.rename(compiler.output(net, ClassifierSpec.OUT_FEATURES), OUTPUT_FEATURES);
        int features =
                net.node(net.spec().outputs().get(ClassifierSpec.OUT_FEATURES)).outputShape()[0];
        graph.addOutput(OnnxCompiler.valueInfo(OUTPUT_FEATURES, TensorProto.DataType.FLOAT, features));
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName(PRODUCER)
                .setProducerVersion(version())
                .setDocString("Classifier " + spec.name() + ". Input: " + INPUT_IMAGE + " float32 [N, "
                        + image.height() + ", " + image.width() + ", " + image.channels()
                        + "] (NHWC) in [-1, 1]. Outputs: " + OUTPUT_CLASS + " float32 [N, " + spec.numClasses()
                        + "] (class probabilities), " + OUTPUT_FEATURES + " float32 [N, " + features + "].")
                .setGraph(graph);
        model.addMetadataProps(
                StringStringEntryProto.newBuilder().setKey("acgan.classifier").setValue(spec.name()));
        model.addMetadataProps(StringStringEntryProto.newBuilder()
                .setKey("acgan.classes")
                .setValue(Integer.toString(spec.numClasses())));
        model.addMetadataProps(
                StringStringEntryProto.newBuilder().setKey("acgan.layout").setValue("NHWC"));
        return model.build().toByteArray();
    }

    private static Map<String, String> provenance(CheckpointMetadata meta) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("acgan.step", Long.toString(meta.position().step()));
        if (meta.backend() != null) {
            extra.put("acgan.trained_with", meta.backend());
        }
        return extra;
    }

    private static byte[] generator(ModelSpec spec, NamedTensors weights, Map<String, String> extraMetadata) {
        InferredNetwork net = infer(spec).generator();
        boolean conditional = spec.kind().conditionalGenerator();
        GraphProto.Builder graph = GraphProto.newBuilder().setName(safeName(spec.name()) + "_generator");
        graph.addInput(OnnxCompiler.valueInfo(INPUT_NOISE, TensorProto.DataType.FLOAT, spec.latentDim()));
        OnnxCompiler compiler = new OnnxCompiler(weights, graph);
        compiler.bindInput(NetworkSpec.NOISE, INPUT_NOISE);
        if (conditional) {
            graph.addInput(OnnxCompiler.valueInfo(INPUT_LABEL, TensorProto.DataType.INT64));
            compiler.bindInput(NetworkSpec.LABEL, INPUT_LABEL);
        }
        compiler.compile(net);
        // Every image-shaped value is NCHW inside the graph; the output is NHWC, as the backends return it.
        compiler.toNhwc(compiler.output(net, NetworkSpec.OUT_IMAGE), OUTPUT_IMAGE);
        graph.addOutput(OnnxCompiler.valueInfo(OUTPUT_IMAGE, TensorProto.DataType.FLOAT, imageDims(spec)));
        String doc = "Generator of " + spec.name() + " (" + spec.kind() + "). Inputs: " + INPUT_NOISE
                + " float32 [N, " + spec.latentDim() + "] ("
                + spec.noise().name().toLowerCase(Locale.ROOT)
                + " prior)" + (conditional ? labelDoc(spec) : "") + ". Output: " + OUTPUT_IMAGE + " float32 "
                + imageDoc(spec) + ".";
        return model(spec, graph, doc, extraMetadata);
    }

    private static byte[] discriminator(ModelSpec spec, NamedTensors weights, Map<String, String> extraMetadata) {
        InferredNetwork net = infer(spec).discriminator();
        boolean conditional = spec.kind().conditionalDiscriminator();
        boolean auxiliary = spec.kind().auxiliaryClassifier();
        GraphProto.Builder graph = GraphProto.newBuilder().setName(safeName(spec.name()) + "_discriminator");
        graph.addInput(OnnxCompiler.valueInfo(INPUT_IMAGE, TensorProto.DataType.FLOAT, imageDims(spec)));
        OnnxCompiler compiler = new OnnxCompiler(weights, graph);
        compiler.bindInput(NetworkSpec.IMAGE, compiler.fromNhwc(INPUT_IMAGE));
        if (conditional) {
            graph.addInput(OnnxCompiler.valueInfo(INPUT_LABEL, TensorProto.DataType.INT64));
            compiler.bindInput(NetworkSpec.LABEL, INPUT_LABEL);
        }
        compiler.compile(net);
        compiler.rename(compiler.output(net, NetworkSpec.OUT_VALIDITY), OUTPUT_VALIDITY);
        graph.addOutput(OnnxCompiler.valueInfo(OUTPUT_VALIDITY, TensorProto.DataType.FLOAT, 1));
        if (auxiliary) {
            compiler.rename(compiler.output(net, NetworkSpec.OUT_CLASS), OUTPUT_CLASS);
            graph.addOutput(OnnxCompiler.valueInfo(OUTPUT_CLASS, TensorProto.DataType.FLOAT, spec.numClasses()));
        }
        String doc = "Discriminator of " + spec.name() + " (" + spec.kind() + "). Inputs: " + INPUT_IMAGE
                + " float32 " + imageDoc(spec) + (conditional ? labelDoc(spec) : "") + ". Outputs: "
                + OUTPUT_VALIDITY + " float32 [N, 1] (probability of real)"
                + (auxiliary
                        ? ", " + OUTPUT_CLASS + " float32 [N, " + spec.numClasses() + "] (class probabilities)"
                        : "")
                + ".";
        return model(spec, graph, doc, extraMetadata);
    }

    private static InferredModel infer(ModelSpec spec) {
        try {
            return spec.validate();
        } catch (SpecException e) {
            throw new ExportException("invalid spec: " + e.getMessage(), e);
        }
    }

    private static byte[] model(
            ModelSpec spec, GraphProto.Builder graph, String doc, Map<String, String> extraMetadata) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("acgan.preset", spec.name());
        metadata.put("acgan.kind", spec.kind().name());
        metadata.put("acgan.classes", Integer.toString(spec.numClasses()));
        metadata.put("acgan.latent_dim", Integer.toString(spec.latentDim()));
        metadata.put("acgan.noise", spec.noise().name().toLowerCase(Locale.ROOT));
        metadata.put("acgan.layout", "NHWC");
        metadata.putAll(extraMetadata);
        metadata.put("acgan.spec", SpecJson.toJson(spec));
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName(PRODUCER)
                .setProducerVersion(version())
                .setDocString(doc)
                .setGraph(graph);
        metadata.forEach((k, v) -> model.addMetadataProps(
                StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build().toByteArray();
    }

    private static int[] imageDims(ModelSpec spec) {
        return new int[] {
            spec.image().height(), spec.image().width(), spec.image().channels()
        };
    }

    private static String imageDoc(ModelSpec spec) {
        return "[N, " + spec.image().height() + ", " + spec.image().width() + ", "
                + spec.image().channels() + "] (NHWC) in [-1, 1]";
    }

    private static String labelDoc(ModelSpec spec) {
        return ", " + INPUT_LABEL + " int64 [N] in [0, " + spec.numClasses() + ")";
    }

    private static String safeName(String name) {
        return name.replaceAll("[^A-Za-z0-9_]", "_");
    }

    /** The acgan version this exporter belongs to (from the filtered {@code version.properties}). */
    static String version() {
        try (InputStream in = OnnxExporter.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through: the version is informative only
        }
        return "unknown";
    }
}
