package dev.acgan.tensorboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard's event files: each record is its length as a little-endian
 * uint64, the masked CRC32C of those 8 bytes, the data, and the masked CRC32C of the data (both CRCs little-endian
 * uint32). The mask is TensorFlow's ({@code tensorflow/core/lib/hash/crc32c.h}): rotate right by 15 bits and add
 * {@code 0xa282ead8}.
 */
final class TfRecord {

    /** Records longer than this are refused when reading (a damaged length field, not a real event). */
    static final long MAX_RECORD_BYTES = 256L << 20;

    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecord() {}

    /** The masked CRC32C of {@code len} bytes of {@code data} from {@code off}. */
    static int maskedCrc(byte[] data, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(data, off, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    /** Writes one record holding {@code data}. */
    static void write(OutputStream out, byte[] data) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(data.length);
        header.putInt(maskedCrc(header.array(), 0, 8));
        ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        footer.putInt(maskedCrc(data, 0, data.length));
        out.write(header.array());
        out.write(data);
        out.write(footer.array());
    }

    /**
     * Reads the next record's data: {@code null} at the end of the stream, or where the stream ends inside a record
     * (the tail a writer left when it was killed; TensorBoard stops there too). A CRC that does not match throws.
     *
     * @param offset the record's position in the file, for the error message
     */
    static byte[] read(InputStream in, long offset) throws IOException {
        byte[] header = in.readNBytes(12);
        if (header.length < 12) {
            return null;
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long length = h.getLong();
        int lengthCrc = h.getInt();
        if (lengthCrc != maskedCrc(header, 0, 8)) {
            throw new IOException("record at byte " + offset + ": the CRC of its length does not match");
        }
        if (length < 0 || length > MAX_RECORD_BYTES) {
            throw new IOException("record at byte " + offset + ": length " + Long.toUnsignedString(length) + " is over "
                    + MAX_RECORD_BYTES);
        }
        byte[] data = in.readNBytes((int) length);
        byte[] footer = in.readNBytes(4);
        if (data.length < length || footer.length < 4) {
            return null;
        }
        int dataCrc = ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (dataCrc != maskedCrc(data, 0, data.length)) {
            throw new IOException("record at byte " + offset + ": the CRC of its " + length + " bytes does not match");
        }
        return data;
    }
}
