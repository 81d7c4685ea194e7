package dev.acgan.api.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.acgan.api.reliability.ReaderContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the checkpoint readers (docs/RELIABILITY.md): the safetensors codec, the
 * metadata JSON and a whole checkpoint directory (training state or generator export). Seeds: a real
 * checkpoint and generator export of a small model trained for two steps
 * ({@code CheckpointFuzzTestInputs/}, written by {@code FuzzSeeds} in the samples' test sources).
 */
class CheckpointFuzzTest {

    private static final Path DIR = ReaderContract.scratch("checkpoint");
    /** The tensor file of the seed checkpoint, for the metadata target. */
    private static final byte[] SEED_TENSORS = resource("seed-tensors.safetensors");

    /** The bytes as a safetensors file. */
    @FuzzTest(maxDuration = "5m")
    void safetensors(byte[] input) {
        Path file = DIR.resolve("fuzz.safetensors");
        ReaderContract.write(file, input);
        ReaderContract.refusesCleanly(
                CheckpointException.class,
                file.toString(),
                () -> SafeTensors.read(file).tensors().asMap().forEach(CheckpointFuzzTest::checkExactSize));
    }

    /** An accepted tensor holds exactly the product of its shape, computed without overflow. */
    private static void checkExactSize(String name, dev.acgan.api.tensor.Tensor t) {
        java.math.BigInteger n = java.math.BigInteger.ONE;
        for (int d : t.shape()) {
            n = n.multiply(java.math.BigInteger.valueOf(d));
        }
        if (!n.equals(java.math.BigInteger.valueOf(t.data().length))) {
            throw new AssertionError("tensor '" + name + "' of shape " + Arrays.toString(t.shape()) + " holds "
                    + t.data().length + " values");
        }
    }

    /**
     * The bytes as {@code checkpoint.json} beside the seed checkpoint's real tensor file: every field of
     * the metadata and the spec it carries, checked against that file.
     */
    @FuzzTest(maxDuration = "5m")
    void metadata(byte[] input) {
        Path dir = DIR.resolve("metadata");
        ReaderContract.write(dir.resolve(Checkpoint.TENSORS_FILE), SEED_TENSORS);
        ReaderContract.write(dir.resolve(Checkpoint.METADATA_FILE), input);
        ReaderContract.refusesCleanly(CheckpointException.class, dir.toString(), () -> Checkpoint.read(dir));
    }

    /**
     * A whole checkpoint directory: the input is a 4-byte big-endian length L, L bytes of
     * {@code checkpoint.json} and the rest {@code tensors.safetensors} (see {@link #frame}).
     */
    @FuzzTest(maxDuration = "5m")
    void directory(byte[] input) {
        Path dir = DIR.resolve("directory");
        byte[][] parts = unframe(input);
        ReaderContract.write(dir.resolve(Checkpoint.METADATA_FILE), parts[0]);
        ReaderContract.write(dir.resolve(Checkpoint.TENSORS_FILE), parts[1]);
        ReaderContract.refusesCleanly(CheckpointException.class, dir.toString(), () -> {
            Checkpoint c = Checkpoint.read(dir);
            c.generatorOnly();
        });
    }

    /** The input of {@link #directory} for a metadata and a tensor file. */
    static byte[] frame(byte[] metadata, byte[] tensors) {
        return ByteBuffer.allocate(4 + metadata.length + tensors.length)
                .putInt(metadata.length)
                .put(metadata)
                .put(tensors)
                .array();
    }

    private static byte[][] unframe(byte[] input) {
        if (input.length < 4) {
            return new byte[][] {input, new byte[0]};
        }
        int n = (int) Math.min(Integer.toUnsignedLong(ByteBuffer.wrap(input).getInt()), input.length - 4L);
        return new byte[][] {Arrays.copyOfRange(input, 4, 4 + n), Arrays.copyOfRange(input, 4 + n, input.length)};
    }

    private static byte[] resource(String name) {
        try (InputStream in = CheckpointFuzzTest.class.getResourceAsStream("CheckpointFuzzTestInputs/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource CheckpointFuzzTestInputs/" + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
