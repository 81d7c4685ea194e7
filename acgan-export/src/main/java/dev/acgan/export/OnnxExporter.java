package dev.acgan.export;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointMetadata;
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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A generator as an ONNX model (opset {@value #OPSET}, IR version {@value #IR_VERSION}), compiled from its spec
 * with the checkpoint's weights as float32 initializers.
 *
 * <p>The model's inputs are {@value #INPUT_NOISE}, float32 {@code [N, latentDim]} drawn from the model's prior
 * (uniform on [-1, 1] for the presets), and, for a conditional model (ACGAN, CGAN), {@value #INPUT_LABEL}, int64
 * {@code [N]} class labels in {@code [0, numClasses)}. Its output {@value #OUTPUT_IMAGE} is float32
 * {@code [N, height, width, channels]} (NHWC, as {@code Generator.generate} returns them) with values in [-1, 1].
 * {@code N} is free. BatchNorm stays a BatchNormalization node in inference mode with the checkpoint's moving
 * statistics (not folded into the preceding weights, so the initializers are the checkpoint's tensors, transposed
 * where ONNX's layout differs); Dropout is the identity.
 *
 * <p>Labels outside {@code [0, numClasses)} are not checked by the graph: ONNX's Gather and OneHot read a
 * negative label as counted from the end, and ONNX Runtime rejects one that is too large.
 */
public final class OnnxExporter {

    /** The ONNX operator set the model imports. */
    public static final int OPSET = 17;
    /** The ONNX IR version the model declares (8: the first with opset 17). */
    public static final int IR_VERSION = 8;
    /** The model's file name in an export directory. */
    public static final String MODEL_FILE = "generator.onnx";
    /** Input: the noise, float32 {@code [N, latentDim]}. */
    public static final String INPUT_NOISE = "noise";
    /** Input of conditional models: the class labels, int64 {@code [N]}. */
    public static final String INPUT_LABEL = "label";
    /** Output: the images, float32 NHWC {@code [N, height, width, channels]} in [-1, 1]. */
    public static final String OUTPUT_IMAGE = "image";
    /** The producer name written into the model. */
    public static final String PRODUCER = "acgan";

    private OnnxExporter() {}

    /** The ONNX model of the checkpoint's generator (a training checkpoint or a generator export). */
    public static byte[] generator(Checkpoint checkpoint) {
        CheckpointMetadata meta = checkpoint.metadata();
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("acgan.step", Long.toString(meta.position().step()));
        if (meta.backend() != null) {
            extra.put("acgan.trained_with", meta.backend());
        }
        return generator(meta.spec(), checkpoint.tensors(), extra);
    }

    /** The ONNX model of a generator from its spec and weights (canonical names and layouts). */
    public static byte[] generator(ModelSpec spec, NamedTensors weights) {
        return generator(spec, weights, Map.of());
    }

    private static byte[] generator(ModelSpec spec, NamedTensors weights, Map<String, String> extraMetadata) {
        InferredNetwork net;
        try {
            net = spec.validate().generator();
        } catch (SpecException e) {
            throw new ExportException("invalid spec: " + e.getMessage(), e);
        }
        boolean conditional = spec.kind().conditionalGenerator();
        GraphProto.Builder graph = GraphProto.newBuilder().setName(safeName(spec.name()) + "_generator");
        graph.addInput(OnnxCompiler.valueInfo(INPUT_NOISE, TensorProto.DataType.FLOAT, spec.latentDim()));
        OnnxCompiler compiler = new OnnxCompiler(weights, graph);
        compiler.bindInput(NetworkSpec.NOISE, INPUT_NOISE);
        if (conditional) {
            graph.addInput(OnnxCompiler.valueInfo(INPUT_LABEL, TensorProto.DataType.INT64));
            compiler.bindInput(NetworkSpec.LABEL, INPUT_LABEL);
        }
        String image = compiler.compile(net, NetworkSpec.OUT_IMAGE);
        // Every image-shaped value is NCHW inside the graph; the output is NHWC, as the backends return it.
        compiler.toNhwc(image, OUTPUT_IMAGE);
        graph.addOutput(OnnxCompiler.valueInfo(
                OUTPUT_IMAGE,
                TensorProto.DataType.FLOAT,
                spec.image().height(),
                spec.image().width(),
                spec.image().channels()));

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
                .setDocString(docString(spec, conditional))
                .setGraph(graph);
        metadata.forEach((k, v) -> model.addMetadataProps(
                StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build().toByteArray();
    }

    private static String docString(ModelSpec spec, boolean conditional) {
        return "Generator of " + spec.name() + " (" + spec.kind() + "). Inputs: " + INPUT_NOISE + " float32 [N, "
                + spec.latentDim() + "] (" + spec.noise().name().toLowerCase(Locale.ROOT) + " prior)"
                + (conditional ? ", " + INPUT_LABEL + " int64 [N] in [0, " + spec.numClasses() + ")" : "")
                + ". Output: " + OUTPUT_IMAGE + " float32 [N, " + spec.image().height() + ", "
                + spec.image().width() + ", " + spec.image().channels() + "] (NHWC) in [-1, 1].";
    }

    private static String safeName(String name) {
        return name.replaceAll("[^A-Za-z0-9_]", "_");
    }

    /** The acgan version, from the jar manifest; {@code dev} when run from classes. */
    static String version() {
        String v = OnnxExporter.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
