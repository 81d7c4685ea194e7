package dev.acgan.eval.classifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acgan.api.checkpoint.CheckpointException;
import dev.acgan.api.checkpoint.SafeTensors;
import dev.acgan.api.model.ClassifierModel;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.eval.render.Images;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A trained LeNet classifier ({@link LeNetShape}, a {@link ClassifierSpec} any backend runs) with what
 * evaluation needs besides its weights: the class names, the dataset it was trained on, its accuracy on
 * that dataset's test split, the Gaussian of its features on the training split (the reference of
 * {@link dev.acgan.eval.metrics.Fid}) and the recipe that trained it. It holds no native resources:
 * {@link #compile} runs it on a backend.
 *
 * <h2>File format</h2>
 * A safetensors file ({@link SafeTensors}, float32): the weights under their names in the network without
 * the {@code classifier/} prefix ({@code conv1/kernel} {@code [5, 5, in, out]}, {@code conv1/bias},
 * {@code conv2/...}, {@code dense1/...}, {@code dense2/...}, {@code logits/...}; dense kernels
 * {@code [in, out]}), {@code reference/mean} {@code [dense2]} and {@code reference/covariance}
 * {@code [dense2, dense2]}; the {@code __metadata__} strings {@code format} ({@value #FORMAT}),
 * {@code format_version}, the sizes ({@code input} {@code HxWxC}, {@code conv1}, {@code conv2},
 * {@code dense1}, {@code dense2}, {@code classes}), {@code class_names} (a JSON array), {@code dataset},
 * {@code train_images}, {@code test_images}, {@code test_accuracy}, {@code reference_images}, the recipe
 * ({@code seed}, {@code epochs}, {@code batch_size}, {@code learning_rate}, {@code shift},
 * {@code train_limit}), {@code command} and, for files written since the classifier runs on the
 * backends, {@code backend} (the name of the backend that trained it). Nothing time-dependent is stored,
 * so retraining with the same recipe on the same backend and machine reproduces the file byte for byte.
 *
 * <p>The module ships one file per built-in dataset ({@link #BUILT_IN}) under {@value #RESOURCE_DIR}; they
 * were trained by the plain-Java LeNet that preceded the backends (see the README there).
 */
public final class Classifier {

    /** The {@code format} metadata value. */
    public static final String FORMAT = "acgan-lenet-classifier";
    /** The {@code format_version} metadata value. */
    public static final int FORMAT_VERSION = 1;
    /** Names of the shipped classifiers, also the dataset specs they were trained on. */
    public static final List<String> BUILT_IN = List.of("mnist", "fashion-mnist");
    /** Classpath folder of the shipped classifiers. */
    public static final String RESOURCE_DIR = "/dev/acgan/eval/classifier/";
    /** Tensor name of the reference feature mean. */
    public static final String REFERENCE_MEAN = "reference/mean";
    /** Tensor name of the reference feature covariance. */
    public static final String REFERENCE_COVARIANCE = "reference/covariance";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = ClassifierSpec.ROLE + "/";

    private final LeNetShape shape;
    private final NamedTensors weights;
    private final String backend;
    private final List<String> classNames;
    private final String dataset;
    private final int trainImages;
    private final int testImages;
    private final double testAccuracy;
    private final FeatureStats reference;
    private final ClassifierRecipe recipe;
    private String source = "(in memory)";
    private String sha256;

    /**
     * @param shape        the network's sizes
     * @param weights      its parameters, by their names in {@link LeNetShape#spec()}
     *                     ({@code classifier/conv1/kernel} ...)
     * @param classNames   one name per class
     * @param recipe       how it was trained (its dataset is the one the classifier was trained on)
     * @param backend      the name of the backend that trained it, or {@code null} when unknown (the shipped files)
     * @param trainImages  number of training images
     * @param testImages   number of images of the test split
     * @param testAccuracy accuracy on the test split
     * @param reference    statistics of the features of the training images
     * @throws IllegalArgumentException when a weight is missing or misshapen, or the sizes disagree
     */
    public Classifier(
            LeNetShape shape,
            NamedTensors weights,
            List<String> classNames,
            ClassifierRecipe recipe,
            String backend,
            int trainImages,
            int testImages,
            double testAccuracy,
            FeatureStats reference) {
        this.shape = Objects.requireNonNull(shape, "shape");
        this.classNames = List.copyOf(classNames);
        this.recipe = Objects.requireNonNull(recipe, "recipe");
        this.backend = backend;
        this.dataset = recipe.dataset();
        this.trainImages = trainImages;
        this.testImages = testImages;
        this.testAccuracy = testAccuracy;
        this.reference = Objects.requireNonNull(reference, "reference");
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (ParameterSpec p : shape.spec().validate().parameters()) {
            if (!weights.contains(p.name())) {
                throw new IllegalArgumentException("classifier weights lack '" + p.name() + "'");
            }
            Tensor t = weights.get(p.name());
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new IllegalArgumentException("classifier weight '" + p.name() + "' has shape "
                        + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(p.shape()) + " for " + shape);
            }
            w.put(p.name(), t);
        }
        this.weights = new NamedTensors(w);
        if (this.classNames.size() != shape.classes()) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + shape.classes() + " classes");
        }
        if (reference.dim() != shape.dense2()) {
            throw new IllegalArgumentException(
                    "reference statistics of " + reference.dim() + " features for " + shape.dense2());
        }
    }

    /** The shipped classifier {@code name} (one of {@link #BUILT_IN}). */
    public static Classifier builtIn(String name) {
        if (!BUILT_IN.contains(name)) {
            throw new IllegalArgumentException("no built-in classifier '" + name + "'; there are " + BUILT_IN);
        }
        String resource = resource(name);
        try (InputStream in = Classifier.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + resource + " is missing");
            }
            Classifier c = decode(in.readAllBytes(), "built-in " + name + " classifier (" + resource + ")");
            c.source = "built-in " + name;
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    /** The classpath resource of a built-in classifier. */
    public static String resource(String name) {
        return RESOURCE_DIR + name + "-lenet.safetensors";
    }

    /** Reads a classifier file. */
    public static Classifier read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(
                    "classifier file " + file + (Files.exists(file) ? " is not a regular file" : " does not exist"));
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
        }
        Classifier c = decode(bytes, file.toString());
        c.source = file.toString();
        return c;
    }

    /** Decodes a classifier file's bytes; {@code source} names them in messages. */
    public static Classifier decode(byte[] bytes, String source) {
        SafeTensors.Contents contents = SafeTensors.decode(bytes, source);
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new CheckpointException(source + ": not a classifier file (its metadata 'format' is "
                    + (meta.get("format") == null ? "missing" : "'" + meta.get("format") + "'") + ", expected '"
                    + FORMAT + "')");
        }
        try {
            int version = Integer.parseInt(need(meta, "format_version", source));
            if (version != FORMAT_VERSION) {
                throw new CheckpointException(source + ": classifier format version " + version
                        + " is not supported (this build reads " + FORMAT_VERSION + ")");
            }
            String[] input = need(meta, "input", source).split("x");
            if (input.length != 3) {
                throw new CheckpointException(source + ": metadata 'input' must be HxWxC");
            }
            LeNetShape shape = new LeNetShape(
                    Integer.parseInt(input[0]),
                    Integer.parseInt(input[1]),
                    Integer.parseInt(input[2]),
                    integer(meta, "conv1", source),
                    integer(meta, "conv2", source),
                    integer(meta, "dense1", source),
                    integer(meta, "dense2", source),
                    integer(meta, "classes", source));
            List<String> names =
                    JSON.readValue(need(meta, "class_names", source), new TypeReference<List<String>>() {});
            NamedTensors t = contents.tensors();
            Map<String, Tensor> weights = new LinkedHashMap<>();
            for (String name : t.names()) {
                if (!name.startsWith("reference/")) {
                    weights.put(PREFIX + name, t.get(name));
                }
            }
            FeatureStats ref = reference(t, integer(meta, "reference_images", source), shape.dense2(), source);
            ClassifierRecipe recipe = new ClassifierRecipe(
                    need(meta, "dataset", source),
                    Long.parseLong(need(meta, "seed", source)),
                    integer(meta, "epochs", source),
                    integer(meta, "batch_size", source),
                    Double.parseDouble(need(meta, "learning_rate", source)),
                    integer(meta, "shift", source),
                    integer(meta, "train_limit", source));
            Classifier c = new Classifier(
                    shape,
                    new NamedTensors(weights),
                    names,
                    recipe,
                    meta.get("backend"),
                    integer(meta, "train_images", source),
                    integer(meta, "test_images", source),
                    Double.parseDouble(need(meta, "test_accuracy", source)),
                    ref);
            c.sha256 = sha256(bytes);
            return c;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            if (e instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException(source + ": invalid classifier file: " + e.getMessage(), e);
        }
    }

    private static FeatureStats reference(NamedTensors t, int count, int dim, String source) {
        if (!t.contains(REFERENCE_MEAN) || !t.contains(REFERENCE_COVARIANCE)) {
            throw new CheckpointException(
                    source + ": classifier file lacks " + REFERENCE_MEAN + " or " + REFERENCE_COVARIANCE);
        }
        Tensor m = t.get(REFERENCE_MEAN);
        Tensor c = t.get(REFERENCE_COVARIANCE);
        if (m.size() != dim || c.size() != dim * dim) {
            throw new CheckpointException(source + ": reference statistics do not have " + dim + " features");
        }
        double[] mean = new double[dim];
        double[][] cov = new double[dim][dim];
        for (int i = 0; i < dim; i++) {
            mean[i] = m.data()[i];
            for (int j = 0; j < dim; j++) {
                cov[i][j] = c.data()[i * dim + j];
            }
        }
        return new FeatureStats(count, mean, cov);
    }

    private static String need(Map<String, String> meta, String key, String source) {
        String v = meta.get(key);
        if (v == null) {
            throw new CheckpointException(source + ": classifier metadata lacks '" + key + "'");
        }
        return v;
    }

    private static int integer(Map<String, String> meta, String key, String source) {
        return Integer.parseInt(need(meta, key, source));
    }

    /** The file's bytes (see the class comment); equal classifiers give equal bytes. */
    public byte[] encode() {
        LeNetShape s = shape;
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", Integer.toString(FORMAT_VERSION));
        meta.put("architecture", s.toString());
        meta.put("input", s.height() + "x" + s.width() + "x" + s.channels());
        meta.put("input_range", "NHWC floats in [-1, 1]");
        meta.put("conv1", Integer.toString(s.conv1()));
        meta.put("conv2", Integer.toString(s.conv2()));
        meta.put("dense1", Integer.toString(s.dense1()));
        meta.put("dense2", Integer.toString(s.dense2()));
        meta.put("classes", Integer.toString(s.classes()));
        try {
            meta.put("class_names", JSON.writeValueAsString(classNames));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        meta.put("dataset", dataset);
        meta.put("train_images", Integer.toString(trainImages));
        meta.put("test_images", Integer.toString(testImages));
        meta.put("test_accuracy", String.format(Locale.ROOT, "%.6f", testAccuracy));
        meta.put("reference_images", Integer.toString(reference.count()));
        meta.put("seed", Long.toString(recipe.seed()));
        meta.put("epochs", Integer.toString(recipe.epochs()));
        meta.put("batch_size", Integer.toString(recipe.batchSize()));
        meta.put("learning_rate", Double.toString(recipe.learningRate()));
        meta.put("shift", Integer.toString(recipe.shift()));
        meta.put("train_limit", Integer.toString(recipe.trainLimit()));
        meta.put("command", recipe.command() + (backend == null ? "" : " --backend " + backend));
        if (backend != null) {
            meta.put("backend", backend);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        weights.asMap().forEach((name, t) -> tensors.put(name.substring(PREFIX.length()), t));
        int d = reference.dim();
        float[] mean = new float[d];
        float[] cov = new float[d * d];
        for (int i = 0; i < d; i++) {
            mean[i] = (float) reference.mean()[i];
            for (int j = 0; j < d; j++) {
                cov[i * d + j] = (float) reference.covariance()[i][j];
            }
        }
        tensors.put(REFERENCE_MEAN, new Tensor(new int[] {d}, mean));
        tensors.put(REFERENCE_COVARIANCE, new Tensor(new int[] {d, d}, cov));
        return SafeTensors.encode(new NamedTensors(tensors), meta);
    }

    /**
     * Writes the file (through the hidden sibling {@code .NAME.tmp}, then renamed into place); returns its
     * SHA-256.
     */
    public String write(Path file) {
        byte[] bytes = encode();
        Images.writeAtomically(file, tmp -> Files.write(tmp, bytes));
        source = file.toString();
        sha256 = sha256(bytes);
        return sha256;
    }

    /** Hex SHA-256 of bytes. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The network, in the spec language the backends compile. */
    public ClassifierSpec spec() {
        return shape.spec();
    }

    /** The network's sizes. */
    public LeNetShape shape() {
        return shape;
    }

    /** The parameters by their names in {@link #spec()} ({@code classifier/conv1/kernel} ...). */
    public NamedTensors weights() {
        return weights;
    }

    /**
     * Compiles the classifier on a backend for prediction (release it with {@link CompiledClassifier#close()}).
     *
     * @throws UnsupportedOperationException when the backend does not run classifiers
     */
    public CompiledClassifier compile(GanBackend backend) {
        ClassifierModel model = backend.createClassifier(spec(), ClassifierTrainer.ADAM, weights);
        return new CompiledClassifier(this, model);
    }

    /** The name of the backend that trained it, or {@code null} when unknown (the shipped files). */
    public String backend() {
        return backend;
    }

    /** The class names. */
    public List<String> classNames() {
        return classNames;
    }

    /** The dataset spec it was trained on. */
    public String dataset() {
        return dataset;
    }

    /** How it was trained. */
    public ClassifierRecipe recipe() {
        return recipe;
    }

    /** Number of training images. */
    public int trainImages() {
        return trainImages;
    }

    /** Number of test images its accuracy was measured on. */
    public int testImages() {
        return testImages;
    }

    /** Accuracy on the test split, as measured after training. */
    public double testAccuracy() {
        return testAccuracy;
    }

    /** Feature statistics of the training images. */
    public FeatureStats reference() {
        return reference;
    }

    /** Where it was read from: {@code built-in NAME}, a path, or {@code (in memory)}. */
    public String source() {
        return source;
    }

    /** SHA-256 of its file, or null when never read or written. */
    public String sha256() {
        return sha256;
    }

    @Override
    public String toString() {
        return "Classifier[" + source + ", " + dataset + ", " + shape + "]";
    }
}
