package dev.acgan.api.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of the MNIST and Fashion-MNIST distributions, raw or gzip-compressed.
 *
 * <p>An IDX file is a big-endian header followed by the data. The header is a magic number
 * {@code 0x0000TTDD} (two zero bytes, the data type {@code TT}, the number of dimensions {@code DD})
 * and then one 32-bit size per dimension. Only data type {@code 0x08} (unsigned byte) is supported.
 * Images files have 3 dimensions (count, rows, cols; magic {@code 0x00000803}) or 4 (count, rows,
 * cols, channels; magic {@code 0x00000804}); labels files have 1 (count; magic {@code 0x00000801}).
 *
 * <p>Compression is detected from the content (the gzip magic bytes {@code 1f 8b}), not from the file
 * name. Everything is checked: magic number, dimensions, truncation and trailing bytes. Errors are
 * {@link DatasetException}s naming the file, the byte offset and what was expected; for gzip files the
 * offsets count decompressed bytes.
 */
public final class IdxReader {

    /** Magic number of a three-dimensional unsigned-byte images file (count, rows, cols). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of a four-dimensional unsigned-byte images file (count, rows, cols, channels). */
    public static final int IMAGES_WITH_CHANNELS_MAGIC = 0x00000804;
    /** Magic number of an unsigned-byte labels file (count). */
    public static final int LABELS_MAGIC = 0x00000801;

    /** Largest accepted image height or width. */
    static final int MAX_SIDE = 1 << 15;
    /** Largest accepted channel count. */
    static final int MAX_CHANNELS = 64;
    /** Largest payload held in one Java byte array. */
    static final long MAX_PAYLOAD = Integer.MAX_VALUE - 64L;

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int BUFFER = 1 << 16;
    /** First size of the payload buffer, which then doubles as data arrives. */
    private static final int INITIAL_CHUNK = 1 << 20;

    private IdxReader() {}

    /** Reads an images file (raw or gzip). */
    public static IdxImages readImages(Path file) {
        try (InputStream in = open(file)) {
            return readImages(file.toString(), in);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read: " + e, e);
        }
    }

    /** Reads a labels file (raw or gzip). */
    public static IdxLabels readLabels(Path file) {
        try (InputStream in = open(file)) {
            return readLabels(file.toString(), in);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read: " + e, e);
        }
    }

    /**
     * Reads an images file from a stream (raw or gzip, detected from the content) to its end. The
     * stream is not closed.
     *
     * @param source name used in error messages, e.g. the path or a {@code classpath:} name
     */
    public static IdxImages readImages(String source, InputStream in) {
        Cursor c = new Cursor(source, in);
        int dims = readMagic(c, Kind.IMAGES);
        long count = readDimension(c, dims, 0, "count", MAX_PAYLOAD);
        long rows = readDimension(c, dims, 1, "rows", MAX_SIDE);
        long cols = readDimension(c, dims, 2, "cols", MAX_SIDE);
        long channels = dims == 4 ? readDimension(c, dims, 3, "channels", MAX_CHANNELS) : 1;
        long header = c.offset;
        long perImage = rows * cols * channels; // at most 2^36: no overflow
        String shape = rows + "x" + cols + (dims == 4 ? "x" + channels : "");
        // count * perImage can overflow a long (2^31 * 2^36): compare by division first.
        if (perImage > MAX_PAYLOAD / count) {
            throw c.error("header at byte offset 4 declares " + count + " images of " + shape + " = "
                    + java.math.BigInteger.valueOf(count).multiply(java.math.BigInteger.valueOf(perImage))
                    + " bytes, more than this reader holds in memory (" + MAX_PAYLOAD + ")");
        }
        long payload = count * perImage;
        String expectation = "expected " + (header + payload) + " bytes (header " + header + " + " + count
                + " images of " + shape + ")";
        byte[] pixels = c.readAll((int) payload, expectation);
        c.expectEnd(expectation);
        return new IdxImages(source, (int) count, (int) rows, (int) cols, (int) channels, pixels);
    }

    /**
     * Reads a labels file from a stream (raw or gzip, detected from the content) to its end. The
     * stream is not closed. Label values are not range-checked here; see {@link IdxDataset}.
     *
     * @param source name used in error messages, e.g. the path or a {@code classpath:} name
     */
    public static IdxLabels readLabels(String source, InputStream in) {
        Cursor c = new Cursor(source, in);
        readMagic(c, Kind.LABELS);
        long count = readDimension(c, 1, 0, "count", MAX_PAYLOAD);
        int header = (int) c.offset;
        String expectation = "expected " + (header + count) + " bytes (header " + header + " + " + count + " labels)";
        byte[] labels = c.readAll((int) count, expectation);
        c.expectEnd(expectation);
        return new IdxLabels(source, header, labels);
    }

    /** Whether the stream starts with the gzip magic bytes; the stream must support mark/reset. */
    static boolean startsWithGzipMagic(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    private static InputStream open(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new DatasetException(file + ": is a directory, expected an IDX file");
            }
            return new BufferedInputStream(Files.newInputStream(file), BUFFER);
        } catch (NoSuchFileException e) {
            throw new DatasetException(file + ": no such file", e);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot open: " + e, e);
        }
    }

    /** What kind of file is expected. */
    private enum Kind {
        IMAGES(
                "images",
                "0x00000803 (unsigned-byte images: count, rows, cols) or 0x00000804 (count, rows, cols, "
                        + "channels)"),
        LABELS("labels", "0x00000801 (unsigned-byte labels: count)");

        final String noun;
        final String magic;

        Kind(String noun, String magic) {
            this.noun = noun;
            this.magic = magic;
        }
    }

    /** Reads and checks the magic number; returns the number of dimensions. */
    private static int readMagic(Cursor c, Kind kind) {
        byte[] m = new byte[4];
        int got = c.read(m);
        String expected = "an IDX " + kind.noun + " file with magic number " + kind.magic;
        if (got == 0) {
            throw c.error("empty file: expected " + expected);
        }
        if (got < 4) {
            throw c.error("truncated at byte offset " + got + ": expected at least 4 bytes (the magic number of "
                    + expected + ")");
        }
        int magic = ((m[0] & 0xff) << 24) | ((m[1] & 0xff) << 16) | ((m[2] & 0xff) << 8) | (m[3] & 0xff);
        String found = String.format(Locale.ROOT, "0x%08X", magic);
        if (m[0] != 0 || m[1] != 0) {
            throw c.error("not an IDX file: magic number " + found + " at byte offset 0 does not start with two"
                    + " zero bytes; expected " + expected);
        }
        int type = m[2] & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw c.error("unsupported IDX data type " + String.format(Locale.ROOT, "0x%02X", type) + " ("
                    + typeName(type) + ") at byte offset 2 (magic number " + found
                    + "); only 0x08 (unsigned byte) is supported");
        }
        int dims = m[3] & 0xff;
        boolean ok = kind == Kind.IMAGES ? dims == 3 || dims == 4 : dims == 1;
        if (!ok) {
            String hint = "";
            if (kind == Kind.IMAGES && dims == 1) {
                hint = " (this looks like a labels file)";
            } else if (kind == Kind.LABELS && (dims == 3 || dims == 4)) {
                hint = " (this looks like an images file)";
            }
            throw c.error("wrong magic number " + found + ": " + dims + " dimension(s) at byte offset 3; expected "
                    + kind.magic + hint);
        }
        return dims;
    }

    private static long readDimension(Cursor c, int dims, int index, String name, long max) {
        byte[] d = new byte[4];
        long at = c.offset;
        int got = c.read(d);
        if (got < 4) {
            throw c.error("truncated at byte offset " + (at + got) + ": expected the 4-byte size of dimension "
                    + index + " (" + name + ") at byte offset " + at + " (the header of a " + dims
                    + "-dimensional IDX file is " + (4 + 4 * dims) + " bytes)");
        }
        long v = ((long) (d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
        if (v <= 0 || v > max) {
            throw c.error("dimension " + index + " (" + name + ") at byte offset " + at + " is " + v + "; expected 1.."
                    + max);
        }
        return v;
    }

    private static String typeName(int type) {
        switch (type) {
            case 0x09:
                return "signed byte";
            case 0x0B:
                return "16-bit integer";
            case 0x0C:
                return "32-bit integer";
            case 0x0D:
                return "32-bit float";
            case 0x0E:
                return "64-bit float";
            default:
                return "unknown";
        }
    }

    /** A stream with a byte offset, gzip detection and error messages naming the source. */
    private static final class Cursor {
        private final String source;
        private final InputStream in;
        private final boolean gzip;
        private long offset;

        Cursor(String source, InputStream raw) {
            this.source = source;
            InputStream buffered = raw.markSupported() ? raw : new BufferedInputStream(raw, BUFFER);
            try {
                gzip = startsWithGzipMagic(buffered);
                in = gzip ? new GZIPInputStream(buffered, BUFFER) : buffered;
            } catch (ZipException | EOFException e) {
                throw new DatasetException(source + ": corrupt or truncated gzip header: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new DatasetException(source + ": cannot read: " + e, e);
            }
        }

        DatasetException error(String message) {
            return new DatasetException(
                    source + ": " + message + (gzip ? " [gzip file; byte offsets count" + " decompressed bytes]" : ""));
        }

        /** Reads up to {@code b.length} bytes; returns how many were read before the end. */
        int read(byte[] b) {
            return fill(b, 0, b.length);
        }

        /**
         * Reads exactly {@code n} bytes or fails with a truncation error. The buffer grows with the data
         * that actually arrives, so a header that claims more than the file holds costs no more memory
         * than the file's real length (about twice at most).
         */
        byte[] readAll(int n, String expectation) {
            byte[] b = new byte[Math.min(n, INITIAL_CHUNK)];
            int got = fill(b, 0, b.length);
            while (got == b.length && got < n) {
                b = java.util.Arrays.copyOf(b, (int) Math.min(n, 2L * b.length));
                got += fill(b, got, b.length - got);
            }
            if (got < n) {
                throw error("truncated at byte offset " + offset + ": " + expectation + ", but the data ends "
                        + (n - got) + " bytes early");
            }
            return b;
        }

        /** Fails when anything follows the expected data. */
        void expectEnd(String expectation) {
            long end = offset;
            long extra;
            try {
                if (in.read() < 0) {
                    return;
                }
                extra = 1 + in.transferTo(OutputStream.nullOutputStream());
            } catch (EOFException e) {
                extra = -1;
            } catch (IOException e) {
                throw new DatasetException(source + ": cannot read past byte offset " + end + ": " + e, e);
            }
            throw error("unexpected trailing data at byte offset " + end + ": " + expectation + ", but the file "
                    + (extra > 0 ? "has " + extra + " more byte(s)" : "continues") + " (wrong header or"
                    + " concatenated files?)");
        }

        private int fill(byte[] b, int off, int len) {
            int n = 0;
            try {
                while (n < len) {
                    int r = in.read(b, off + n, len - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                    offset += r;
                }
            } catch (EOFException e) {
                // GZIPInputStream: the compressed stream ended before its trailer; report as truncation.
                return n;
            } catch (ZipException e) {
                throw error("corrupt gzip data after byte offset " + offset + ": " + e.getMessage());
            } catch (IOException e) {
                throw new DatasetException(source + ": cannot read at byte offset " + offset + ": " + e, e);
            }
            return n;
        }
    }
}
