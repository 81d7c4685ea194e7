package dev.acgan.api.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageBatchTest {

    // 2 images of 3x4 pixels with 5 channels; each value encodes its coordinates: n*1000 + y*100 + x*10 + c
    private static final int N = 2;
    private static final int H = 3;
    private static final int W = 4;
    private static final int C = 5;

    private static float code(int n, int y, int x, int c) {
        return n * 1000 + y * 100 + x * 10 + c;
    }

    private static ImageBatch nhwcBatch() {
        float[] px = new float[N * H * W * C];
        for (int n = 0; n < N; n++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    for (int c = 0; c < C; c++) {
                        px[((n * H + y) * W + x) * C + c] = code(n, y, x, c);
                    }
                }
            }
        }
        return ImageBatch.nhwc(N, H, W, C, px, new int[] {3, 7});
    }

    @Test
    void nhwcToNchwFollowsTheIndexMappingAndRoundTrips() {
        ImageBatch nhwc = nhwcBatch();
        ImageBatch nchw = nhwc.toLayout(Layout.NCHW);
        assertEquals(Layout.NCHW, nchw.layout());
        assertArrayEquals(new int[] {3, 7}, nchw.labels());
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < C; c++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        assertEquals(
                                code(n, y, x, c),
                                nchw.pixels()[((n * C + c) * H + y) * W + x],
                                "n=" + n + " c=" + c + " y=" + y + " x=" + x);
                    }
                }
            }
        }
        // spot checks written out: NCHW index 1 is (n0, c0, y0, x1) = 10; index 12 is (n0, c1, y0, x0) = 1;
        // index 60 is (n1, c0, y0, x0) = 1000; the last one is (n1, c4, y2, x3) = 1234
        assertEquals(10f, nchw.pixels()[1]);
        assertEquals(1f, nchw.pixels()[12]);
        assertEquals(1000f, nchw.pixels()[60]);
        assertEquals(1234f, nchw.pixels()[119]);
        assertArrayEquals(new int[] {2, 5, 3, 4}, nchw.asTensor().shape());
        assertArrayEquals(new int[] {2, 3, 4, 5}, nhwc.asTensor().shape());

        ImageBatch back = nchw.toLayout(Layout.NHWC);
        assertEquals(nhwc, back);
        assertArrayEquals(nhwc.pixels(), back.pixels());
        assertSame(nhwc, nhwc.toLayout(Layout.NHWC));
    }

    @Test
    void sliceCopiesImagesAndLabels() {
        ImageBatch b = nhwcBatch();
        ImageBatch second = b.slice(1, 2);
        assertEquals(1, second.count());
        assertArrayEquals(new int[] {7}, second.labels());
        assertEquals(1000f, second.pixels()[0]);
        assertEquals(1234f, second.pixels()[59]);
        ImageBatch none = b.slice(1, 1);
        assertEquals(0, none.count());
        assertEquals(b, b.slice(0, 2));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> b.slice(1, 3));
        assertEquals("slice [1, 3) of 2 images", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> b.slice(-1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> b.slice(2, 1));
        ImageBatch unlabelled = b.withLabels(null);
        assertFalse(unlabelled.labelled());
        assertNull(unlabelled.slice(0, 1).labels());
    }

    @Test
    void validation() {
        IllegalArgumentException size =
                assertThrows(IllegalArgumentException.class, () -> ImageBatch.nhwc(2, 3, 4, 5, new float[119], null));
        assertEquals("image batch 2x3x4x5 needs 120 pixel values but has 119", size.getMessage());
        IllegalArgumentException labels = assertThrows(
                IllegalArgumentException.class, () -> ImageBatch.nhwc(2, 3, 4, 5, new float[120], new int[3]));
        assertEquals("image batch of 2 images has 3 labels", labels.getMessage());
        IllegalArgumentException shape =
                assertThrows(IllegalArgumentException.class, () -> ImageBatch.nhwc(1, 0, 4, 5, new float[0], null));
        assertEquals("invalid image batch shape 1x0x4x5", shape.getMessage());
        assertThrows(NullPointerException.class, () -> new ImageBatch(1, 1, 1, 1, null, new float[1], null));
        assertThrows(NullPointerException.class, () -> ImageBatch.nhwc(1, 1, 1, 1, null, null));
        assertEquals(60, nhwcBatch().imageSize());
        assertTrue(nhwcBatch().labelled());
        assertEquals("ImageBatch[2x3x4x5 NHWC, labelled]", nhwcBatch().toString());
    }

    @Test
    void pixelByteRoundTripForAllBytes() {
        for (int b = 0; b < 256; b++) {
            float p = ImageBatch.byteToPixel(b);
            assertTrue(p >= -1f && p <= 1f, "byte " + b + " -> " + p);
            assertEquals(b, ImageBatch.pixelToByte(p), "byte " + b);
        }
        assertEquals(-1f, ImageBatch.byteToPixel(0));
        assertEquals(1f, ImageBatch.byteToPixel(255));
        assertEquals(-1f, ImageBatch.byteToPixel(256)); // only the low 8 bits count
        assertEquals(1f, ImageBatch.byteToPixel((byte) 0xff));
        // clamping
        assertEquals(0, ImageBatch.pixelToByte(-3f));
        assertEquals(255, ImageBatch.pixelToByte(2.5f));
        assertEquals(128, ImageBatch.pixelToByte(0f)); // 127.5 rounds half up
        assertArrayEquals(
                new float[] {0f, 0.5f, 1f},
                ImageBatch.nhwc(3, 1, 1, 1, new float[] {-1f, 0f, 1f}, null).toUnitRange());
    }
}
