package dev.acgan.api.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.acgan.api.reliability.ReaderContract;
import dev.acgan.api.spec.ImageShape;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of image folders ({@link ImageFolderDataset}, decoding through
 * {@link ImageDecoder}): the input is one PNG in a class folder next to a valid one. Seeds: MNIST digits
 * as greyscale, RGB and palette PNGs ({@code ImageFolderFuzzTestInputs/}).
 */
class ImageFolderFuzzTest {

    private static final Path DIR = ReaderContract.scratch("images");
    private static final ImageShape DIGIT = new ImageShape(28, 28, 1);

    static {
        // A valid class folder before the fuzzed one: the first digit of the embedded MNIST.
        IdxDataset mnist = Datasets.embeddedMnist();
        java.awt.image.BufferedImage digit =
                new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 28 * 28; i++) {
            digit.getRaster().setSample(i % 28, i / 28, 0, mnist.rawByte(0, i));
        }
        try {
            java.nio.file.Files.createDirectories(DIR.resolve("a"));
            javax.imageio.ImageIO.write(
                    digit, "png", DIR.resolve("a").resolve("0.png").toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The bytes as {@code DIR/b/fuzz.png}, loaded at the shape of the first image (no resizing). */
    @FuzzTest(maxDuration = "5m")
    void png(byte[] input) {
        Path file = DIR.resolve("b").resolve("fuzz.png");
        ReaderContract.write(file, input);
        ReaderContract.refusesCleanly(
                DatasetException.class, file.toString(), () -> ImageFolderDataset.load(DIR, DIGIT, false));
    }

    /** The same, first image of the folder, loaded at a fixed shape with resizing (any size is stretched). */
    @FuzzTest(maxDuration = "5m")
    void pngResized(byte[] input) {
        Path root = DIR.resolve("resized");
        Path file = root.resolve("a").resolve("fuzz.png");
        ReaderContract.write(file, input);
        ReaderContract.refusesCleanly(DatasetException.class, file.toString(), () -> {
            ImageShape inferred = ImageFolderDataset.inferShape(root);
            ImageFolderDataset.load(root, DIGIT, true);
            ImageFolderDataset.load(root, new ImageShape(8, 8, inferred.channels() == 1 ? 1 : 3), true);
        });
    }
}
