package dev.acgan.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.acgan.api.spec.ImageShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    private static final Path DIR = Path.of(FashionMnist.DEFAULT_DIR);

    @Test
    void loadsInstalledTrainingSplit() {
        assumeTrue(Files.isDirectory(DIR), DIR + " not installed (apt-get install dataset-fashion-mnist)");
        IdxDataset train = Datasets.fashionMnist();
        assertEquals(60_000, train.size());
        assertEquals(ImageShape.mnist(), train.info().image());
        assertEquals(FashionMnist.CLASS_NAMES, train.info().classNames());
        int[] sixThousand = new int[10];
        Arrays.fill(sixThousand, 6000);
        assertArrayEquals(sixThousand, train.classCounts());
        // First labels of train-labels-idx1-ubyte: 9 0 0 3 0 2 7 2 5 5.
        assertArrayEquals(
                new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5},
                java.util.stream.IntStream.range(0, 10).map(train::label).toArray());
    }

    @Test
    void loadsInstalledTestSplit() {
        assumeTrue(Files.isDirectory(DIR), DIR + " not installed (apt-get install dataset-fashion-mnist)");
        IdxDataset test = Datasets.fashionMnist(DIR, Split.TEST);
        assertEquals(10_000, test.size());
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1000);
        assertArrayEquals(thousand, test.classCounts());
        float[] px = new float[784];
        for (int i = 0; i < test.size(); i += 97) {
            test.readImage(i, px, 0);
            for (float v : px) {
                assertTrue(v >= -1f && v <= 1f);
            }
        }
        assertEquals(test.size(), ((IdxDataset) Datasets.fromSpec("fashion-mnist", Split.TEST)).size());
    }

    @Test
    void missingDirectoryExplainsHowToInstall(@TempDir Path tmp) {
        Path absent = tmp.resolve("fashion");
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(absent, Split.TRAIN));
        String m = e.getMessage();
        assertTrue(m.contains(absent.toString()), m);
        assertTrue(m.contains("apt-get install dataset-fashion-mnist"), m);
        assertTrue(m.contains("idx:DIR"), m);
    }
}
