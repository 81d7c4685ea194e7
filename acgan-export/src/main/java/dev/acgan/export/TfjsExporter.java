package dev.acgan.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointMetadata;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.SpecException;
import dev.acgan.api.spec.SpecJson;
import dev.acgan.api.tensor.NamedTensors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A generator as a TensorFlow.js layers model: {@value #MODEL_FILE} (format {@value #FORMAT}: the Keras
 * functional-model JSON as {@code modelTopology} and a {@code weightsManifest}) and its weights in shards of at most
 * {@value #SHARD_BYTES} bytes ({@code group1-shard1of1.bin}, ...; little-endian float32, as the TF.js converter
 * writes them), compiled from the spec with the checkpoint's float32 weights. {@code tf.loadLayersModel} of
 * {@code @tensorflow/tfjs} 4.x loads it, in a browser or in Node.js.
 *
 * <p>Inputs, in this order: {@value #INPUT_NOISE}, float32 {@code [N, latentDim]} from the model's prior (uniform
 * on [-1, 1] for the presets), and, for a conditional model (ACGAN, CGAN), {@value #INPUT_LABEL}, float32
 * {@code [N, 1]} holding the class index (0, 1, ...), which is how the TF.js ACGAN example's generator and its
 * generation page take the label. Output: the images, float32 {@code [N, height, width, channels]} (NHWC) in [-1,
 * 1]. BatchNorm is a BatchNormalization layer, which {@code predict} runs on the checkpoint's moving statistics.
 * {@code model.json}'s {@code userDefinedMetadata.acgan} holds the preset, kind, classes, latent size, prior, the
 * step and backend of the checkpoint, and the spec.
 */
public final class TfjsExporter {

    /** The model's file name in an export directory. */
    public static final String MODEL_FILE = "model.json";
    /** The {@code format} of {@value #MODEL_FILE}, which {@code tf.loadLayersModel} expects. */
    public static final String FORMAT = "layers-model";
    /** The largest weight shard, in bytes: 4 MiB, the TF.js converter's default. */
    public static final int SHARD_BYTES = 4 * 1024 * 1024;
    /** Input: the noise, float32 {@code [N, latentDim]}. */
    public static final String INPUT_NOISE = "noise";
    /** Input of conditional models: the class index, float32 {@code [N, 1]}. */
    public static final String INPUT_LABEL = "label";
    /** The TF.js layers version whose serialisation the topology follows (and that the build loads it with). */
    public static final String TFJS_LAYERS_VERSION = "4.22.0";

    private TfjsExporter() {}

    /**
     * The files of the checkpoint's generator (a training checkpoint, with its generator EMA where it has one, or a generator export), by name:
     * {@value #MODEL_FILE} first, then the weight shards.
     */
    public static Map<String, byte[]> generator(Checkpoint checkpoint) {
        return generator(
                checkpoint.metadata().spec(), checkpoint.generatorWeights(), provenance(checkpoint.metadata()));
    }

    /** The files of a generator from its spec and weights (canonical names and layouts), by name. */
    public static Map<String, byte[]> generator(ModelSpec spec, NamedTensors weights) {
        return generator(spec, weights, Map.of());
    }

    /** The names of the weight shards that {@code bytes} bytes of weights take: {@code group1-shard<i>of<n>.bin}. */
    public static List<String> shardNames(long bytes) {
        int n = (int) Math.max(1, (bytes + SHARD_BYTES - 1) / SHARD_BYTES);
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            names.add("group1-shard" + i + "of" + n + ".bin");
        }
        return names;
    }

    private static Map<String, byte[]> generator(ModelSpec spec, NamedTensors weights, Map<String, Object> extra) {
        InferredNetwork net;
        try {
            net = spec.validate().generator();
        } catch (SpecException e) {
            throw new ExportException("invalid spec: " + e.getMessage(), e);
        }
        TfjsCompiler compiler = new TfjsCompiler(weights);
        compiler.input(NetworkSpec.NOISE, new int[] {spec.latentDim()});
        if (spec.kind().conditionalGenerator()) {
            compiler.input(NetworkSpec.LABEL, new int[0]);
        }
        compiler.compile(net);
        String name = spec.name().replaceAll("[^A-Za-z0-9_]", "_") + "_generator";
        Map<String, Object> topology = compiler.topology(
                name, List.of(net.spec().outputs().get(NetworkSpec.OUT_IMAGE)), "tfjs-layers " + TFJS_LAYERS_VERSION);

        byte[] data = compiler.weightData();
        List<String> shards = shardNames(data.length);
        List<Map<String, Object>> specs = new ArrayList<>();
        for (TfjsCompiler.Weight w : compiler.weights()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", w.name());
            s.put("shape", w.shape());
            s.put("dtype", "float32");
            specs.add(s);
        }
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("paths", shards);
        group.put("weights", specs);

        Map<String, Object> acgan = new LinkedHashMap<>();
        acgan.put("preset", spec.name());
        acgan.put("kind", spec.kind().name());
        acgan.put("classes", spec.numClasses());
        acgan.put("latentDim", spec.latentDim());
        acgan.put("noise", spec.noise().name().toLowerCase(Locale.ROOT));
        acgan.put("layout", "NHWC");
        acgan.put("range", List.of(-1, 1));
        acgan.putAll(extra);
        try {
            acgan.put("spec", SpecJson.mapper().readTree(SpecJson.toJson(spec)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }

        Map<String, Object> model = new LinkedHashMap<>();
        model.put("format", FORMAT);
        model.put("generatedBy", OnnxExporter.PRODUCER + " " + OnnxExporter.version());
        model.put("convertedBy", null);
        model.put("modelTopology", topology);
        model.put("weightsManifest", List.of(group));
        model.put("userDefinedMetadata", Map.of("acgan", acgan));

        Map<String, byte[]> files = new LinkedHashMap<>();
        try {
            files.put(
                    MODEL_FILE,
                    SpecJson.mapper()
                            .writer()
                            .without(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(model)
                            .getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < shards.size(); i++) {
            int from = i * SHARD_BYTES;
            files.put(shards.get(i), Arrays.copyOfRange(data, from, Math.min(data.length, from + SHARD_BYTES)));
        }
        return Collections.unmodifiableMap(files);
    }

    private static Map<String, Object> provenance(CheckpointMetadata meta) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("step", meta.position().step());
        if (meta.backend() != null) {
            extra.put("trainedWith", meta.backend());
        }
        return extra;
    }
}
