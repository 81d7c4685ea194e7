package dev.acgan.api.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    /**
     * The fixed tensors of the golden file: "a" [2,2] = 1,2,3,4; "b/c" [3] = -1.5, 0, 2.25; scalar "s" [] = 7.
     * Inserted out of name order on purpose: the writer sorts.
     */
    static NamedTensors goldenTensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("s", new Tensor(new int[0], new float[] {7}));
        m.put("b/c", new Tensor(new int[] {3}, new float[] {-1.5f, 0f, 2.25f}));
        m.put("a", new Tensor(new int[] {2, 2}, new float[] {1, 2, 3, 4}));
        return new NamedTensors(m);
    }

    /**
     * golden.safetensors (248 bytes) was assembled by hand, independently of {@link SafeTensors#write}, by
     * src/test/resources/dev/acgan/api/checkpoint/make_golden.py (Python's struct and json modules):
     * an 8-byte little-endian header length (208), the compact JSON header
     * {@code {"__metadata__":{"format":"acgan"},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},
     * "b/c":{"dtype":"F32","shape":[3],"data_offsets":[16,28]},"s":{"dtype":"F32","shape":[],
     * "data_offsets":[28,32]}}} padded with 6 spaces to 208 bytes, then the 8 floats in little-endian order.
     * It was then checked with the reference implementation (Python package safetensors 0.8.0):
     * {@code safetensors.numpy.load_file} gives a=[[1,2],[3,4]], b/c=[-1.5,0,2.25], s=7.0 (float32), and
     * {@code safe_open(...).metadata()} gives {format: acgan}; {@code safetensors.numpy.save} of the same
     * arrays and metadata produces byte-identical output.
     */
    static byte[] golden() throws IOException {
        try (InputStream in = SafeTensorsTest.class.getResourceAsStream("golden.safetensors")) {
            assertTrue(in != null, "golden.safetensors missing from test resources");
            return in.readAllBytes();
        }
    }

    @Test
    void encodingMatchesTheGoldenFileByteForByte() throws IOException {
        byte[] expected = golden();
        assertEquals(248, expected.length);
        byte[] actual = SafeTensors.encode(goldenTensors(), Map.of("format", "acgan"));
        assertArrayEquals(expected, actual);
        // the stream writer gives the same bytes
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafeTensors.write(goldenTensors(), Map.of("format", "acgan"), out);
        assertArrayEquals(expected, out.toByteArray());
    }

    @Test
    void goldenFileFollowsTheReferenceLayout() throws IOException {
        // An independent reading by the format's rules: u64 LE header size, JSON header, then data whose
        // offsets are relative to the end of the header.
        byte[] g = golden();
        ByteBuffer buf = ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        assertEquals(208, n);
        assertEquals(0, n % 8, "header padded to a multiple of 8");
        String header = new String(g, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"acgan\"},\"a\":"), header);
        assertTrue(header.endsWith("}}      "), "padding is spaces: [" + header + "]");
        JsonNode json = new ObjectMapper().readTree(header);
        List<String> keys = new java.util.ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        assertEquals(List.of("__metadata__", "a", "b/c", "s"), keys);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (String k : keys.subList(1, keys.size())) {
            JsonNode t = json.get(k);
            assertEquals("F32", t.get("dtype").asText());
            int begin = t.get("data_offsets").get(0).asInt();
            int end = t.get("data_offsets").get(1).asInt();
            float[] v = new float[(end - begin) / 4];
            for (int i = 0; i < v.length; i++) {
                v[i] = buf.getFloat((int) (8 + n) + begin + 4 * i);
            }
            values.put(k, v);
        }
        assertArrayEquals(new float[] {1, 2, 3, 4}, values.get("a"));
        assertArrayEquals(new float[] {-1.5f, 0f, 2.25f}, values.get("b/c"));
        assertArrayEquals(new float[] {7}, values.get("s"));
        assertEquals("[2,2]", json.get("a").get("shape").toString());
        assertEquals("[]", json.get("s").get("shape").toString());

        // and the decoder reads it
        SafeTensors.Contents c = SafeTensors.decode(g, "golden");
        assertEquals(goldenTensors(), c.tensors());
        assertEquals(List.of("a", "b/c", "s"), List.copyOf(c.tensors().names()));
        assertEquals(Map.of("format", "acgan"), c.metadata());
        assertArrayEquals(new int[0], c.tensors().get("s").shape());
    }

    @Test
    void roundTripThroughAFile() throws IOException {
        SplittableRandom rnd = new SplittableRandom(5);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("generator/dense/kernel", random(rnd, 7, 13));
        m.put("discriminator/conv1/kernel", random(rnd, 3, 3, 1, 32));
        m.put("adam/iterations/generator", new Tensor(new int[0], new float[] {12}));
        m.put("empty", new Tensor(new int[] {0, 4}, new float[0]));
        m.put("special", new Tensor(new int[] {4}, new float[] {Float.NaN, Float.POSITIVE_INFINITY, -0f, Float.MIN_VALUE
        }));
        NamedTensors tensors = new NamedTensors(m);
        Map<String, String> meta = Map.of("format", "acgan", "type", "TRAINING", "note", "ünïcødé");
        Path f = dir.resolve("x.safetensors");
        try (var out = Files.newOutputStream(f)) {
            SafeTensors.write(tensors, meta, out);
        }
        SafeTensors.Contents c = SafeTensors.read(f);
        assertEquals(tensors, c.tensors());
        assertEquals(meta, c.metadata());
        // -0 and NaN survive bit-exactly
        assertEquals(
                Float.floatToRawIntBits(-0f),
                Float.floatToRawIntBits(c.tensors().get("special").data()[2]));
        // names come back sorted
        assertEquals(
                List.of(
                        "adam/iterations/generator",
                        "discriminator/conv1/kernel",
                        "empty",
                        "generator/dense/kernel",
                        "special"),
                List.copyOf(c.tensors().names()));
        // the same content in another insertion order encodes to the same bytes
        Map<String, Tensor> reversed = new LinkedHashMap<>();
        List<String> names = new java.util.ArrayList<>(m.keySet());
        java.util.Collections.reverse(names);
        names.forEach(k -> reversed.put(k, m.get(k)));
        assertArrayEquals(Files.readAllBytes(f), SafeTensors.encode(new NamedTensors(reversed), meta));
    }

    @Test
    void noMetadataAndNoTensors() {
        byte[] b = SafeTensors.encode(NamedTensors.empty(), Map.of());
        // "{}" padded to 8 bytes
        assertEquals(16, b.length);
        assertEquals("{}      ", new String(b, 8, 8, StandardCharsets.UTF_8));
        SafeTensors.Contents c = SafeTensors.decode(b, "empty");
        assertEquals(0, c.tensors().size());
        assertTrue(c.metadata().isEmpty());
        assertEquals(
                SafeTensors.decode(SafeTensors.encode(goldenTensors(), null), "m")
                        .tensors(),
                goldenTensors());
    }

    @Test
    void aTensorNamedLikeTheMetadataIsRefused() {
        NamedTensors bad = new NamedTensors(Map.of(SafeTensors.METADATA_KEY, new Tensor(new int[0], new float[1])));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SafeTensors.encode(bad, Map.of()));
        assertEquals("a tensor may not be named __metadata__", e.getMessage());
    }

    // ---- decoding errors: each message names the source and the problem ----

    @Test
    void tooShortForTheHeaderLength() {
        assertDecodeError(new byte[5], "src: only 5 bytes; a safetensors file starts with an 8-byte header length");
    }

    @Test
    void truncatedData() throws IOException {
        byte[] g = golden();
        assertDecodeError(
                Arrays.copyOf(g, g.length - 4),
                "src: tensor 's' has data_offsets [28, 32] outside the data region of 28 bytes (file truncated?)");
        assertDecodeError(
                Arrays.copyOf(g, g.length - 2),
                "src: tensor 's' has data_offsets [28, 32] outside the data region of 30 bytes (file truncated?)");
        // cut inside the header
        assertDecodeError(
                Arrays.copyOf(g, 100), "src: header length 208 at byte offset 0 is invalid for a file of 100 bytes");
    }

    @Test
    void headerLengthLargerThanTheFile() throws IOException {
        byte[] g = golden();
        ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        assertDecodeError(g, "src: header length 1000 at byte offset 0 is invalid for a file of 248 bytes");
        ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -8);
        assertDecodeError(g, "src: header length -8 at byte offset 0 is invalid for a file of 248 bytes");
        ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 0);
        assertDecodeError(g, "src: header length 0 at byte offset 0 is invalid for a file of 248 bytes");
    }

    @Test
    void invalidJson() {
        CheckpointException e = assertThrows(
                CheckpointException.class, () -> SafeTensors.decode(file("{\"a\": {\"dtype\": ", new byte[0]), "src"));
        assertTrue(e.getMessage().startsWith("src: header (bytes 8..24) is not valid JSON: "), e.getMessage());
        assertDecodeError(file("[1, 2]", new byte[0]), "src: header is not a JSON object");
    }

    @Test
    void nonF32Dtype() {
        assertDecodeError(
                file("{\"x\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4]),
                "src: tensor 'x' has dtype 'F16'; only F32 is supported");
        assertDecodeError(
                file("{\"x\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]),
                "src: tensor 'x' has dtype ''; only F32 is supported");
    }

    @Test
    void offsetsThatOverlapOrLeaveHoles() {
        String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertDecodeError(
                file(overlap, new byte[12]),
                "src: tensor 'b' starts at data offset 4 but the previous tensor ends at 8 (overlap or hole)");
        String hole = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}";
        assertDecodeError(
                file(hole, new byte[20]),
                "src: tensor 'b' starts at data offset 12 but the previous tensor ends at 8 (overlap or hole)");
        String leadingHole = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertDecodeError(
                file(leadingHole, new byte[8]),
                "src: tensor 'a' starts at data offset 4 but the previous tensor ends at 0 (overlap or hole)");
        String wrongSpan = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        assertDecodeError(
                file(wrongSpan, new byte[8]),
                "src: tensor 'a' of shape [3] needs 12 bytes but " + "data_offsets span 8");
        String backwards = "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}";
        assertDecodeError(
                file(backwards, new byte[8]),
                "src: tensor 'a' has data_offsets [8, 0] outside the data region of 8 bytes (file truncated?)");
    }

    @Test
    void trailingBytes() throws IOException {
        byte[] g = golden();
        byte[] longer = Arrays.copyOf(g, g.length + 4);
        assertDecodeError(
                longer,
                "src: tensors cover 32 data bytes but the file has 36 after the header "
                        + "(trailing bytes or truncation)");
    }

    @Test
    void malformedEntries() {
        assertDecodeError(
                file("{\"x\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]),
                "src: tensor 'x' needs a 'shape' array and 'data_offsets' [begin, end]");
        assertDecodeError(
                file("{\"x\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]),
                "src: tensor 'x' has an invalid dimension -1 in its shape");
        assertDecodeError(file("{\"__metadata__\":{\"n\":1}}", new byte[0]), "src: __metadata__.n must be a string");
        assertDecodeError(file("{\"__metadata__\":[]}", new byte[0]), "src: __metadata__ must be an object of strings");
    }

    @Test
    void readNamesTheFile() {
        Path missing = dir.resolve("missing.safetensors");
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.read(missing));
        assertTrue(e.getMessage().startsWith(missing + ": cannot read: "), e.getMessage());
    }

    @Test
    void readErrorsNameThePath() throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, Arrays.copyOf(golden(), 244));
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().startsWith(f + ": tensor 's'"), e.getMessage());
    }

    /** A safetensors file with the given header text (space-padded to a multiple of 8) and data. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(h);
        for (int i = h.length; i < padded; i++) {
            b.put((byte) ' ');
        }
        b.put(data);
        return b.array();
    }

    private static void assertDecodeError(byte[] bytes, String message) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.decode(bytes, "src"));
        assertEquals(message, e.getMessage());
    }

    private static Tensor random(SplittableRandom rnd, int... shape) {
        float[] v = new float[Math.toIntExact(Tensor.size(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return new Tensor(shape, v);
    }
}
