package dev.acgan.api.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.acgan.api.reliability.ReaderContract;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of {@link IdxReader} (docs/RELIABILITY.md). Seeds: the first images and labels
 * of the embedded MNIST, plain and gzip ({@code IdxReaderFuzzTestInputs/}). In {@code mvn verify} only the
 * seeds and the inputs of past findings run; {@code JAZZER_FUZZ=1} fuzzes one method at a time.
 */
class IdxReaderFuzzTest {

    private static final Path DIR = ReaderContract.scratch("idx");

    /** The bytes as an images file (plain or gzip, detected from the content), read from disk. */
    @FuzzTest(maxDuration = "5m")
    void images(byte[] input) {
        Path file = DIR.resolve("images-idx3-ubyte");
        ReaderContract.write(file, input);
        ReaderContract.refusesCleanly(DatasetException.class, file.toString(), () -> check(IdxReader.readImages(file)));
    }

    /** The bytes as a labels file (plain or gzip), read from disk. */
    @FuzzTest(maxDuration = "5m")
    void labels(byte[] input) {
        Path file = DIR.resolve("labels-idx1-ubyte");
        ReaderContract.write(file, input);
        ReaderContract.refusesCleanly(DatasetException.class, file.toString(), () -> IdxReader.readLabels(file));
    }

    /**
     * The bytes gzip-compressed, then read as an images file: mutations reach the IDX parser behind the
     * decompressor, which they rarely get through when they change compressed bytes.
     */
    @FuzzTest(maxDuration = "5m")
    void gzipImages(byte[] input) {
        String source = "fuzz-images.gz";
        ReaderContract.refusesCleanly(
                DatasetException.class,
                source,
                () -> check(IdxReader.readImages(source, new ByteArrayInputStream(IdxTestFiles.gzip(input)))));
    }

    /** An images and a labels file in one input (a 2-byte big-endian length of the first), as a dataset. */
    @FuzzTest(maxDuration = "5m")
    void dataset(byte[] input) {
        int n = input.length < 2 ? 0 : Math.min(((input[0] & 0xff) << 8) | (input[1] & 0xff), input.length - 2);
        int start = Math.min(2, input.length);
        byte[] images = java.util.Arrays.copyOfRange(input, start, start + n);
        byte[] labels = java.util.Arrays.copyOfRange(input, start + n, input.length);
        Path imagesFile = DIR.resolve("pair-images-idx3-ubyte");
        Path labelsFile = DIR.resolve("pair-labels-idx1-ubyte");
        ReaderContract.write(imagesFile, images);
        ReaderContract.write(labelsFile, labels);
        ReaderContract.refusesCleanly(DatasetException.class, "pair-", () -> {
            IdxDataset d = IdxDataset.fromFiles(imagesFile, labelsFile, null);
            float[] last = new float[d.info().image().size()];
            d.readImage(d.size() - 1, last, 0);
        });
    }

    /** What a caller does with a file it read: every pixel addressable. */
    private static void check(IdxImages images) {
        long per = (long) images.rows() * images.cols() * images.channels();
        if (per * images.count() != images.pixels().length) {
            throw new AssertionError(
                    "IdxImages of " + images.count() + " x " + per + " bytes holds " + images.pixels().length);
        }
    }
}
