package dev.acgan.api.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files for tests. */
final class IdxTestFiles {

    private IdxTestFiles() {}

    /** An IDX file with the given magic, dimensions and payload. */
    static byte[] idx(int magic, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(payload);
        return b.array();
    }

    /** Images whose pixel {@code p} of image {@code n} is {@code (n * 31 + p * 7) % 256}. */
    static byte[] imagePixels(int count, int rows, int cols, int channels) {
        byte[] px = new byte[count * rows * cols * channels];
        int per = rows * cols * channels;
        for (int n = 0; n < count; n++) {
            for (int p = 0; p < per; p++) {
                px[n * per + p] = (byte) ((n * 31 + p * 7) % 256);
            }
        }
        return px;
    }

    /** A three-dimensional images file. */
    static byte[] images(int count, int rows, int cols) {
        return idx(IdxReader.IMAGES_MAGIC, new int[] {count, rows, cols}, imagePixels(count, rows, cols, 1));
    }

    /** A labels file. */
    static byte[] labels(int... labels) {
        byte[] b = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            b[i] = (byte) labels[i];
        }
        return idx(IdxReader.LABELS_MAGIC, new int[] {labels.length}, b);
    }

    /** Gzip-compressed bytes. */
    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes {@code data} to {@code dir/name} and returns the path. */
    static Path write(Path dir, String name, byte[] data) {
        try {
            return Files.write(dir.resolve(name), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
