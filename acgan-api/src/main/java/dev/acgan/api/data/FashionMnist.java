package dev.acgan.api.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando Research): 70,000 28x28 greyscale images of clothing in ten classes, 60,000
 * for training and 10,000 for test, distributed as gzipped IDX files in the MNIST layout.
 *
 * <p>On Debian and Ubuntu the package {@code dataset-fashion-mnist} installs the files in
 * {@value #DEFAULT_DIR}; any directory holding {@code train-images-idx3-ubyte[.gz]},
 * {@code train-labels-idx1-ubyte[.gz]} and the {@code t10k-*} files works too. The training split
 * takes about 47 MB of memory, the test split about 8 MB.
 */
public final class FashionMnist {

    /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
    public static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";

    /** The ten class names, in label order. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /** The split from {@value #DEFAULT_DIR}. */
    public static IdxDataset load(Split split) {
        return load(Path.of(DEFAULT_DIR), split);
    }

    /** The split from {@code dir}; a missing directory fails with installation advice. */
    public static IdxDataset load(Path dir, Split split) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException("Fashion-MNIST not found: " + dir + " does not exist or is not a directory."
                    + " Install it with `apt-get install dataset-fashion-mnist` (Debian/Ubuntu; files go to "
                    + DEFAULT_DIR + "), or download the IDX files (train-images-idx3-ubyte.gz,"
                    + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) into a"
                    + " directory and pass fashion-mnist:DIR or idx:DIR");
        }
        IdxDirectory files = IdxDirectory.locate(dir, split);
        IdxImages images = IdxReader.readImages(files.images());
        IdxLabels labels = IdxReader.readLabels(files.labels());
        String name = "fashion-mnist (" + split.name().toLowerCase(java.util.Locale.ROOT) + ", " + images.count()
                + " images)";
        return IdxDataset.of(name, images, labels, CLASS_NAMES);
    }
}
