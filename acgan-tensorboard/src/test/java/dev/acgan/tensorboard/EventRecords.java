package dev.acgan.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;

/**
 * Reads event files for the tests without the module's own reader: splits the TFRecord framing byte by byte,
 * checks both masked CRC32Cs of every record against its own computation, and parses the {@link Event}s.
 */
final class EventRecords {

    private EventRecords() {}

    /** TensorFlow's masked CRC32C. */
    static int masked(byte[] data, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(data, off, len);
        long c = crc.getValue();
        long rotated = ((c >>> 15) | (c << 17)) & 0xffffffffL;
        return (int) ((rotated + 0xa282ead8L) & 0xffffffffL);
    }

    /** Every event of a file, asserting that the file is whole and every CRC matches. */
    static List<Event> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        while (b.hasRemaining()) {
            int start = b.position();
            assertTrue(b.remaining() >= 12, file + ": a record header cut short at byte " + start);
            long length = b.getLong();
            assertEquals(masked(all, start, 8), b.getInt(), file + ": length CRC of the record at byte " + start);
            assertTrue(length >= 0 && length <= b.remaining() - 4, file + ": length " + length + " at byte " + start);
            byte[] data = new byte[(int) length];
            b.get(data);
            assertEquals(masked(data, 0, data.length), b.getInt(), file + ": data CRC of the record at byte " + start);
            events.add(Event.parseFrom(data));
        }
        return events;
    }

    /** Every event of every event file of a directory, files in name order. */
    static List<Event> readDir(Path dir) throws IOException {
        List<Event> out = new ArrayList<>();
        for (Path f : EventFiles.list(dir)) {
            out.addAll(read(f));
        }
        return out;
    }
}
