package dev.acgan.api.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reader and writer of the safetensors format: an 8-byte little-endian header length N, N bytes of
 * UTF-8 JSON ({@code {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value"}}}), then the raw little-endian tensor bytes, offsets relative to the
 * end of the header. This implementation writes float32 only, tensors in name order, the metadata
 * first, and pads the header with spaces to a multiple of 8 bytes, so equal input gives identical bytes.
 */
public final class SafeTensors {

    /** Name of the optional string-to-string metadata entry of the header. */
    public static final String METADATA_KEY = "__metadata__";

    private static final long MAX_HEADER = 100L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a safetensors file holds.
     *
     * @param tensors  tensors in name order
     * @param metadata the {@value #METADATA_KEY} entries (empty when absent)
     */
    public record Contents(NamedTensors tensors, Map<String, String> metadata) {}

    private SafeTensors() {}

    /** Writes the tensors and metadata to the stream (not closed). */
    public static void write(NamedTensors tensors, Map<String, String> metadata, OutputStream out) throws IOException {
        Map<String, Tensor> sorted = new TreeMap<>(tensors.asMap());
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA_KEY);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor may not be named " + METADATA_KEY);
            }
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            ArrayNode shape = t.putArray("shape");
            for (int d : e.getValue().shape()) {
                shape.add(d);
            }
            long bytes = 4L * e.getValue().size();
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        out.write(head.array());
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : sorted.values()) {
            for (float v : t.data()) {
                if (!chunk.hasRemaining()) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                chunk.putFloat(v);
            }
        }
        out.write(chunk.array(), 0, chunk.position());
    }

    /** Encodes to bytes (see {@link #write}). */
    public static byte[] encode(NamedTensors tensors, Map<String, String> metadata) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            write(tensors, metadata, out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** Reads and validates a file. */
    public static Contents read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
        }
        return decode(bytes, file.toString());
    }

    /**
     * Decodes and validates bytes; {@code source} names them in error messages. Every tensor must be
     * F32, its byte range must match its shape, and the ranges must tile the data region exactly.
     */
    public static Contents decode(byte[] bytes, String source) {
        if (bytes.length < 8) {
            throw new CheckpointException(source + ": only " + bytes.length
                    + " bytes; a safetensors file starts with an 8-byte header length");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        if (n <= 0 || n > MAX_HEADER || n > bytes.length - 8) {
            throw new CheckpointException(source + ": header length " + n
                    + " at byte offset 0 is invalid for a file of " + bytes.length + " bytes");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CheckpointException(
                    source + ": header (bytes 8.." + (8 + n) + ") is not valid JSON: " + e.getMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new CheckpointException(source + ": header is not a JSON object");
        }
        long dataStart = 8 + n;
        long dataLen = bytes.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        record Entry(String name, int[] shape, long begin, long end) {}
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.equals(METADATA_KEY)) {
                if (!v.isObject()) {
                    throw new CheckpointException(source + ": " + METADATA_KEY + " must be an object of strings");
                }
                v.fields().forEachRemaining(m -> {
                    if (!m.getValue().isTextual()) {
                        throw new CheckpointException(
                                source + ": " + METADATA_KEY + "." + m.getKey() + " must be a string");
                    }
                    metadata.put(m.getKey(), m.getValue().asText());
                });
                continue;
            }
            String where = source + ": tensor '" + name + "'";
            String dtype = v.path("dtype").asText("");
            if (!dtype.equals("F32")) {
                throw new CheckpointException(where + " has dtype '" + dtype + "'; only F32 is supported");
            }
            JsonNode shapeNode = v.path("shape");
            JsonNode offsets = v.path("data_offsets");
            if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw new CheckpointException(where + " needs a 'shape' array and 'data_offsets' [begin, end]");
            }
            int[] shape = new int[shapeNode.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = shapeNode.get(i);
                if (!d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() < 0) {
                    throw new CheckpointException(where + " has an invalid dimension " + d + " in its shape");
                }
                shape[i] = d.asInt();
                // Dimensions up to 2^31 each would wrap a long round to a small number that could match the
                // data_offsets: refused before the product overflows.
                if (count > 0 && shape[i] > Long.MAX_VALUE / 4 / count) {
                    throw new CheckpointException(
                            where + " has shape " + shapeNode + ", more values than any file" + " holds");
                }
                count *= shape[i];
            }
            JsonNode beginNode = offsets.get(0);
            JsonNode endNode = offsets.get(1);
            if (!beginNode.isIntegralNumber()
                    || !endNode.isIntegralNumber()
                    || !beginNode.canConvertToLong()
                    || !endNode.canConvertToLong()) {
                throw new CheckpointException(where + " has data_offsets " + offsets + "; expected two whole numbers");
            }
            long begin = beginNode.asLong();
            long end = endNode.asLong();
            if (begin < 0 || end < begin || end > dataLen) {
                throw new CheckpointException(where + " has data_offsets [" + begin + ", " + end
                        + "] outside the data region of " + dataLen + " bytes (file truncated?)");
            }
            if (end - begin != 4 * count) {
                throw new CheckpointException(where + " of shape " + java.util.Arrays.toString(shape) + " needs "
                        + 4 * count + " bytes but data_offsets span " + (end - begin));
            }
            entries.add(new Entry(name, shape, begin, end));
        }
        entries.sort(java.util.Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : entries) {
            if (e.begin() != expected) {
                throw new CheckpointException(source + ": tensor '" + e.name() + "' starts at data offset " + e.begin()
                        + " but the previous tensor ends at " + expected + " (overlap or hole)");
            }
            expected = e.end();
        }
        if (expected != dataLen) {
            throw new CheckpointException(source + ": tensors cover " + expected + " data bytes but the file has "
                    + dataLen + " after the header (trailing bytes or truncation)");
        }
        Map<String, Tensor> tensors = new TreeMap<>();
        for (Entry e : entries) {
            float[] data = new float[(int) ((e.end() - e.begin()) / 4)];
            ByteBuffer slice = ByteBuffer.wrap(bytes, (int) (dataStart + e.begin()), (int) (e.end() - e.begin()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            slice.asFloatBuffer().get(data);
            tensors.put(e.name(), new Tensor(e.shape(), data));
        }
        return new Contents(new NamedTensors(tensors), metadata);
    }
}
