package dev.acgan.eval.classifier;

import java.util.Locale;

/**
 * How a classifier is trained: everything that decides its weights. Training is deterministic, so one
 * recipe always gives the same bytes ({@code acgan train-classifier} with these settings).
 *
 * @param dataset      the dataset spec ({@code mnist}, {@code fashion-mnist}, {@code fashion-mnist:DIR},
 *                     {@code idx:DIR}), split as {@link ClassifierData} says
 * @param seed         seed of the initial weights, the data order and the augmentation
 * @param epochs       passes over the training images
 * @param batchSize    images per step
 * @param learningRate Adam's learning rate at the start; it decays to 0 along a cosine over the run
 * @param shift        largest random translation of a training image, in pixels (0: no augmentation)
 * @param trainLimit   train on the first this many training images only (0: all), for quick checks
 */
public record ClassifierRecipe(
        String dataset, long seed, int epochs, int batchSize, double learningRate, int shift, int trainLimit) {

    /** Default seed. */
    public static final long DEFAULT_SEED = 1;
    /** Default batch size. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** Default initial learning rate. */
    public static final double DEFAULT_LEARNING_RATE = 2e-3;
    /** Default augmentation shift. */
    public static final int DEFAULT_SHIFT = 2;
    /** Default epochs for the embedded MNIST (8,000 training digits). */
    public static final int DEFAULT_EPOCHS_MNIST = 20;
    /** Default epochs for other datasets (Fashion-MNIST: 60,000 training images). */
    public static final int DEFAULT_EPOCHS_OTHER = 3;

    /** Checks the values. */
    public ClassifierRecipe {
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("a classifier recipe needs a dataset");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (shift < 0 || shift > 8) {
            throw new IllegalArgumentException("shift must be between 0 and 8 pixels, got " + shift);
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("train limit must not be negative, got " + trainLimit);
        }
    }

    /** The defaults for a dataset (the recipe of the shipped classifier of that dataset). */
    public static ClassifierRecipe defaults(String dataset) {
        return new ClassifierRecipe(
                dataset,
                DEFAULT_SEED,
                defaultEpochs(dataset),
                DEFAULT_BATCH_SIZE,
                DEFAULT_LEARNING_RATE,
                DEFAULT_SHIFT,
                0);
    }

    /** The default number of epochs for a dataset. */
    public static int defaultEpochs(String dataset) {
        return dataset.strip().equals("mnist") ? DEFAULT_EPOCHS_MNIST : DEFAULT_EPOCHS_OTHER;
    }

    /** The command line that trains this recipe. */
    public String command() {
        return String.format(
                Locale.ROOT,
                "acgan train-classifier --dataset %s --seed %d --epochs %d --batch-size %d "
                        + "--learning-rate %s --shift %d%s",
                dataset,
                seed,
                epochs,
                batchSize,
                learningRate,
                shift,
                trainLimit == 0 ? "" : " --train-limit " + trainLimit);
    }
}
