package dev.acgan.samples.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acgan.api.data.FashionMnist;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.samples.config.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The options of a training started from the Train page, checked: every field is optional, unknown
 * fields, wrong types and values out of range are a 400 naming the field. Only the built-in datasets
 * can be chosen (no paths from the browser).
 *
 * @param backend         backend name, {@code null}: the server's default
 * @param model           acgan | cgan | gan
 * @param preset          the preset of the model
 * @param dataset         mnist | fashion-mnist
 * @param epochs          passes over the data, or {@code null}
 * @param steps           step limit, or {@code null} (neither: {@value TrainSettings#QUICK_STEPS} steps)
 * @param batchSize       real images per step
 * @param learningRate    Adam learning rate of both networks
 * @param sampleEvery     steps between sample grids
 * @param checkpointEvery steps between checkpoints (0: epoch ends and the end only)
 * @param evalEvery       steps between quality measurements with the dataset's built-in classifier (0: none)
 * @param seed            the run's seed
 */
public record TrainRequest(
        String backend,
        String model,
        String preset,
        String dataset,
        Integer epochs,
        Long steps,
        int batchSize,
        double learningRate,
        long sampleEvery,
        long checkpointEvery,
        long evalEvery,
        long seed) {

    /** Models that can be trained: the three kinds, and the resize-then-convolve ACGANs and the seed's by preset name. */
    public static final List<String> MODELS =
            List.of("acgan", Presets.ACGAN_HQ, Presets.ACGAN_HQ_WIDE, Presets.ACGAN_MNIST, "cgan", "gan");
    /** Datasets that can be chosen. */
    public static final List<String> DATASETS = List.of("mnist", "fashion-mnist");
    /** Limits. */
    public static final int MAX_EPOCHS = 1000;
    /** Limits. */
    public static final long MAX_STEPS = 10_000_000L;
    /** Limits. */
    public static final int MAX_BATCH = 1024;
    /** Limits. */
    public static final double MAX_LEARNING_RATE = 1.0;
    /** Default grid interval of the page (more often than the CLI's, to watch). */
    public static final long DEFAULT_SAMPLE_EVERY = 20;

    static final Set<String> FIELDS = Set.of(
            "backend",
            "model",
            "dataset",
            "epochs",
            "steps",
            "batchSize",
            "learningRate",
            "sampleEvery",
            "checkpointEvery",
            "evalEvery",
            "seed");

    /** The preset of a model name. */
    static String presetOf(String model) {
        return switch (model) {
            case "acgan" -> Presets.ACGAN_FAST;
            case "cgan" -> Presets.CGAN_MNIST;
            case "gan" -> Presets.GAN_MLP;
            default -> Presets.names().contains(model) ? model : null;
        };
    }

    /** Whether a dataset can be used on this machine (fashion-mnist needs its Debian package). */
    static boolean available(String dataset) {
        return !dataset.equals("fashion-mnist") || Files.isDirectory(Path.of(FashionMnist.DEFAULT_DIR));
    }

    /** Parses and checks a request body. */
    static TrainRequest parse(JsonNode body, Backends backends) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw WebException.badRequest("unknown option '" + Query.shorten(f) + "'; known: "
                        + String.join(", ", new java.util.TreeSet<>(FIELDS)));
            }
        }
        String backend = text(body, "backend");
        if (backend != null) {
            String b = backend.toLowerCase(Locale.ROOT);
            backend = backends.find(b)
                    .map(GanBackend::name)
                    .orElseThrow(() -> WebException.badRequest("unknown backend '" + Query.shorten(b) + "'; available: "
                            + String.join(
                                    ", ",
                                    backends.all().stream()
                                            .map(GanBackend::name)
                                            .toList())));
        }
        String model = text(body, "model");
        model = model == null ? TrainSettings.DEFAULT_MODEL : model.toLowerCase(Locale.ROOT);
        String preset = presetOf(model);
        if (preset == null) {
            throw WebException.badRequest(
                    "model must be one of " + String.join(", ", MODELS) + ", got '" + Query.shorten(model) + "'");
        }
        String dataset = text(body, "dataset");
        dataset = dataset == null ? TrainSettings.DEFAULT_DATASET : dataset.toLowerCase(Locale.ROOT);
        if (!DATASETS.contains(dataset)) {
            throw WebException.badRequest(
                    "dataset must be one of " + String.join(", ", DATASETS) + ", got '" + Query.shorten(dataset) + "'");
        }
        if (!available(dataset)) {
            throw WebException.badRequest("dataset fashion-mnist is not installed on this machine (Debian package "
                    + "dataset-fashion-mnist, " + FashionMnist.DEFAULT_DIR + ")");
        }
        Long epochs = whole(body, "epochs", 1, MAX_EPOCHS);
        Long steps = whole(body, "steps", 1, MAX_STEPS);
        Long batch = whole(body, "batchSize", 1, MAX_BATCH);
        Double lr = number(body, "learningRate");
        if (lr != null && !(lr > 0 && lr <= MAX_LEARNING_RATE)) {
            throw WebException.badRequest(
                    "learningRate must be greater than 0 and at most " + MAX_LEARNING_RATE + ", got " + lr);
        }
        Long sampleEvery = whole(body, "sampleEvery", 1, MAX_STEPS);
        Long checkpointEvery = whole(body, "checkpointEvery", 0, MAX_STEPS);
        Long evalEvery = whole(body, "evalEvery", 0, MAX_STEPS);
        Long seed = whole(body, "seed", -Query.MAX_SEED, Query.MAX_SEED);
        return new TrainRequest(
                backend,
                model,
                preset,
                dataset,
                epochs == null ? null : epochs.intValue(),
                steps,
                batch == null ? TrainSettings.DEFAULT_BATCH_SIZE : batch.intValue(),
                lr == null ? TrainSettings.DEFAULT_LEARNING_RATE : lr,
                sampleEvery == null ? DEFAULT_SAMPLE_EVERY : sampleEvery,
                checkpointEvery == null ? TrainSettings.DEFAULT_CHECKPOINT_EVERY : checkpointEvery,
                evalEvery == null ? TrainSettings.DEFAULT_EVAL_EVERY : evalEvery,
                seed == null ? TrainSettings.DEFAULT_SEED : seed);
    }

    /** The options as shown on the page. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend);
        m.put("model", model);
        m.put("preset", preset);
        m.put("dataset", dataset);
        m.put("epochs", epochs);
        m.put("steps", steps);
        m.put("batchSize", batchSize);
        m.put("learningRate", learningRate);
        m.put("sampleEvery", sampleEvery);
        m.put("checkpointEvery", checkpointEvery);
        m.put("evalEvery", evalEvery);
        m.put("seed", seed);
        return m;
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw WebException.badRequest(field + " must be a string");
        }
        String s = n.asText().strip();
        return s.isEmpty() ? null : s;
    }

    private static Long whole(JsonNode body, String field, long min, long max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull() || (n.isTextual() && n.asText().isBlank())) {
            return null;
        }
        long v;
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            v = n.asLong();
        } else if (n.isTextual()) {
            v = Query.parseLong(field, n.asText().strip());
        } else {
            throw WebException.badRequest(field + " must be a whole number, got " + Query.shorten(n.toString()));
        }
        return Query.checkRange(field, v, min, max);
    }

    private static Double number(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull() || (n.isTextual() && n.asText().isBlank())) {
            return null;
        }
        if (n.isNumber()) {
            double d = n.asDouble();
            if (!Double.isFinite(d)) {
                throw WebException.badRequest(field + " must be a finite number");
            }
            return d;
        }
        if (n.isTextual()) {
            return Query.parseDouble(field, n.asText().strip(), -Double.MAX_VALUE, Double.MAX_VALUE);
        }
        throw WebException.badRequest(field + " must be a number, got " + Query.shorten(n.toString()));
    }
}
