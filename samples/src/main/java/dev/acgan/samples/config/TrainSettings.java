package dev.acgan.samples.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.acgan.api.model.Precision;
import dev.acgan.api.train.LearningRateSchedule;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every setting of {@code acgan train}, as one layer of configuration: a field is {@code null} when the
 * layer does not set it. The YAML keys are the long option names without the dashes
 * ({@code batch-size: 16}). Layers are combined with {@link #overlay}, so precedence is explicit:
 *
 * <pre>{@code
 * effective = defaults().overlay(configFile).overlay(commandLine)     // the command line wins
 * }</pre>
 *
 * and, when resuming, the run's own {@code config.yaml} sits between the defaults and the config file.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "backend",
    "model",
    "dataset",
    "epochs",
    "steps",
    "batch-size",
    "latent-dim",
    "learning-rate",
    "beta1",
    "label-smoothing",
    "aux-weights",
    "ema",
    "lr-schedule",
    "seed",
    "outdir",
    "checkpoint-every",
    "keep",
    "sample-every",
    "log-every",
    "eval-every",
    "eval-classifier",
    "precision",
    "tensorboard"
})
public final class TrainSettings {

    /** Steps of the quick default run (neither {@code --epochs} nor {@code --steps} given). */
    public static final long QUICK_STEPS = 1000;
    /** Default model. */
    public static final String DEFAULT_MODEL = "acgan";
    /** Default dataset. */
    public static final String DEFAULT_DATASET = "mnist";
    /** Default batch size. */
    public static final int DEFAULT_BATCH_SIZE = 64;
    /** Default latent size. */
    public static final int DEFAULT_LATENT_DIM = 100;
    /** Default Adam learning rate (both networks). */
    public static final double DEFAULT_LEARNING_RATE = 2e-4;
    /** Default Adam beta1 (both networks). */
    public static final double DEFAULT_BETA1 = 0.5;
    /** Default real-image target (one-sided label smoothing). */
    public static final double DEFAULT_LABEL_SMOOTHING = 0.95;
    /** Default seed. */
    public static final long DEFAULT_SEED = 42;
    /** Default checkpoint interval in steps. */
    public static final long DEFAULT_CHECKPOINT_EVERY = 500;
    /** Default number of training checkpoints kept. */
    public static final int DEFAULT_KEEP = 3;
    /** Default sample-grid interval in steps. */
    public static final long DEFAULT_SAMPLE_EVERY = 50;
    /** Default interval of plain progress log lines, in steps. */
    public static final long DEFAULT_LOG_EVERY = 10;
    /**
     * Default quality-measurement interval in steps, used where a classifier fits the dataset (the built-in
     * ones for mnist and fashion-mnist, or {@code eval-classifier}); elsewhere the default is 0 (none).
     */
    public static final long DEFAULT_EVAL_EVERY = 500;

    /** Backend name; null selects by -Dacgan.backend, ACGAN_BACKEND, then priority. */
    @JsonProperty("backend")
    public String backend;
    /** acgan | cgan | gan or a preset name. */
    @JsonProperty("model")
    public String model;
    /** Dataset spec. */
    @JsonProperty("dataset")
    public String dataset;
    /** Passes over the dataset. */
    @JsonProperty("epochs")
    public Integer epochs;
    /** Total step limit. */
    @JsonProperty("steps")
    public Long steps;
    /** Real images per step. */
    @JsonProperty("batch-size")
    public Integer batchSize;
    /** Noise length. */
    @JsonProperty("latent-dim")
    public Integer latentDim;
    /** Adam learning rate. */
    @JsonProperty("learning-rate")
    public Double learningRate;
    /** Adam beta1. */
    @JsonProperty("beta1")
    public Double beta1;
    /** Target of real images. */
    @JsonProperty("label-smoothing")
    public Double labelSmoothing;
    /**
     * Class-loss weights {@code REAL,FAKE,GENERATOR} of an ACGAN (on real images and on fakes in the
     * discriminator step, and in the generator step); null: the model's recipe
     * ({@link dev.acgan.api.train.TrainingConfig#forPreset}).
     */
    @JsonProperty("aux-weights")
    public String auxWeights;
    /**
     * Decay of the exponential moving average of the generator's weights, in [0, 1) (0: off); null: off for a
     * new run, the run's own when resuming.
     */
    @JsonProperty("ema")
    public Double ema;
    /**
     * Learning-rate milestones {@code FACTOR@STEP,...} ({@link dev.acgan.api.train.LearningRateSchedule}); null: the
     * constant rate for a new run, the run's own when resuming.
     */
    @JsonProperty("lr-schedule")
    public String lrSchedule;
    /** The seed. */
    @JsonProperty("seed")
    public Long seed;
    /** Output directory. */
    @JsonProperty("outdir")
    public String outdir;
    /** Checkpoint interval in steps (0: epoch ends and the end only). */
    @JsonProperty("checkpoint-every")
    public Long checkpointEvery;
    /** Training checkpoints kept. */
    @JsonProperty("keep")
    public Integer keep;
    /** Grid interval in steps (0: epoch ends and the end only). */
    @JsonProperty("sample-every")
    public Long sampleEvery;
    /** Progress log interval in steps (when not on a terminal). */
    @JsonProperty("log-every")
    public Long logEvery;
    /** Quality-measurement interval in steps (0: none); null: {@link #DEFAULT_EVAL_EVERY} where a classifier fits. */
    @JsonProperty("eval-every")
    public Long evalEvery;
    /** Classifier of the quality measurements: mnist, fashion-mnist or a file; null: the dataset's built-in one. */
    @JsonProperty("eval-classifier")
    public String evalClassifier;
    /**
     * fp32, bf16 or auto; null: fp32 for a new run, the checkpoint's precision when resuming one without a
     * {@code config.yaml}.
     */
    @JsonProperty("precision")
    public String precision;
    /** Directory of the run's TensorBoard event files; null: none. */
    @JsonProperty("tensorboard")
    public String tensorboard;

    /** The built-in defaults. {@code backend}, {@code epochs}, {@code steps} and {@code outdir} stay unset. */
    public static TrainSettings defaults() {
        TrainSettings s = new TrainSettings();
        s.model = DEFAULT_MODEL;
        s.dataset = DEFAULT_DATASET;
        s.batchSize = DEFAULT_BATCH_SIZE;
        s.latentDim = DEFAULT_LATENT_DIM;
        s.learningRate = DEFAULT_LEARNING_RATE;
        s.beta1 = DEFAULT_BETA1;
        s.labelSmoothing = DEFAULT_LABEL_SMOOTHING;
        s.seed = DEFAULT_SEED;
        s.checkpointEvery = DEFAULT_CHECKPOINT_EVERY;
        s.keep = DEFAULT_KEEP;
        s.sampleEvery = DEFAULT_SAMPLE_EVERY;
        s.logEvery = DEFAULT_LOG_EVERY;
        return s;
    }

    /** A new layer: this one with every setting that {@code top} sets replaced by top's value. */
    public TrainSettings overlay(TrainSettings top) {
        TrainSettings out = copy();
        if (top == null) {
            return out;
        }
        for (Field f : fields()) {
            try {
                Object v = f.get(top);
                if (v != null) {
                    f.set(out, v);
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** A copy of this layer. */
    public TrainSettings copy() {
        TrainSettings out = new TrainSettings();
        for (Field f : fields()) {
            try {
                f.set(out, f.get(this));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** The YAML keys, in order. */
    public static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (Field f : fields()) {
            keys.add(f.getAnnotation(JsonProperty.class).value());
        }
        return keys;
    }

    /**
     * Checks ranges of the values that are set; the message names the setting as on the command line.
     *
     * @throws IllegalArgumentException for the first value out of range
     */
    public TrainSettings validate() {
        atLeast("epochs", epochs, 1);
        atLeast("steps", steps, 1);
        atLeast("batch-size", batchSize, 1);
        atLeast("latent-dim", latentDim, 1);
        atLeast("checkpoint-every", checkpointEvery, 0);
        atLeast("keep", keep, 1);
        atLeast("sample-every", sampleEvery, 0);
        atLeast("log-every", logEvery, 1);
        atLeast("eval-every", evalEvery, 0);
        if (auxWeights != null) {
            auxWeights(auxWeights);
        }
        if (learningRate != null && !(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("--learning-rate must be positive, got " + learningRate);
        }
        if (beta1 != null && !(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("--beta1 must be in [0, 1), got " + beta1);
        }
        if (ema != null && !(ema >= 0 && ema < 1)) {
            throw new IllegalArgumentException(
                    "--ema (the generator EMA decay) must be in [0, 1), 0 for off, e.g. 0.999; got " + ema);
        }
        if (lrSchedule != null) {
            try {
                LearningRateSchedule.parse(lrSchedule);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--lr-schedule: " + e.getMessage(), e);
            }
        }
        if (precision != null) {
            Precision.parse(precision, "--precision");
        }
        if (labelSmoothing != null && !(labelSmoothing > 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException(
                    "--label-smoothing (the target of real images) must be in (0, 1], got " + labelSmoothing);
        }
        return this;
    }

    /**
     * Parses {@code REAL,FAKE,GENERATOR} (three finite, non-negative numbers).
     *
     * @throws IllegalArgumentException naming the option when it does not parse
     */
    public static float[] auxWeights(String text) {
        String[] parts = text.strip().split("\\s*,\\s*");
        float[] w = new float[3];
        boolean ok = parts.length == 3;
        for (int i = 0; ok && i < 3; i++) {
            try {
                w[i] = Float.parseFloat(parts[i]);
                ok = w[i] >= 0 && Float.isFinite(w[i]);
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("--aux-weights must be three non-negative numbers REAL,FAKE,GENERATOR "
                    + "(the class-loss weights on real images, on fakes in the discriminator step, and in the "
                    + "generator step), e.g. 1,1,1; got '" + text + "'");
        }
        return w;
    }

    /** {@code REAL,FAKE,GENERATOR} of a configuration, as {@link #auxWeights(String)} reads it. */
    public static String auxWeights(dev.acgan.api.train.TrainingConfig c) {
        return number(c.auxWeightReal()) + "," + number(c.auxWeightFake()) + "," + number(c.auxWeightGenerator());
    }

    private static String number(float v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : Float.toString(v);
    }

    private static void atLeast(String name, Number value, long min) {
        if (value != null && value.longValue() < min) {
            throw new IllegalArgumentException("--" + name + " must be at least " + min + ", got " + value);
        }
    }

    private static List<Field> fields() {
        List<Field> out = new ArrayList<>();
        for (Field f : TrainSettings.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && f.isAnnotationPresent(JsonProperty.class)) {
                out.add(f);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TrainSettings other)) {
            return false;
        }
        for (Field f : fields()) {
            try {
                if (!Objects.equals(f.get(this), f.get(other))) {
                    return false;
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        List<Object> values = new ArrayList<>();
        for (Field f : fields()) {
            try {
                values.add(f.get(this));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return values.hashCode();
    }

    @Override
    public String toString() {
        return ConfigFiles.toYaml(this);
    }
}
