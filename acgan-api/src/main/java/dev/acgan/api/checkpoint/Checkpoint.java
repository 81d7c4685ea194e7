package dev.acgan.api.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.spec.SpecException;
import dev.acgan.api.spec.SpecJson;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend-neutral checkpoint: a directory holding {@value #TENSORS_FILE} (safetensors, canonical
 * layout) and {@value #METADATA_FILE} (spec, config, position, history, checksum). Any backend can
 * read what any other wrote.
 *
 * <p>{@link #write(Path)} is atomic: files go to a hidden sibling directory, are flushed to disk, and the
 * directory is then renamed into place; an existing checkpoint at the target is replaced only after the
 * new one is complete, and a crash in between leaves it recoverable ({@link #read} falls back to it).
 * {@link #read(Path)} verifies the checksum and the tensors against the spec and refuses a damaged
 * checkpoint with a message naming the file.
 *
 * @param metadata the JSON half
 * @param tensors  the tensors in canonical layout
 */
public record Checkpoint(CheckpointMetadata metadata, NamedTensors tensors) {

    /** Name of the tensor file in a checkpoint directory. */
    public static final String TENSORS_FILE = "tensors.safetensors";
    /** Name of the metadata file in a checkpoint directory. */
    public static final String METADATA_FILE = "checkpoint.json";
    /** Format version written by this release. */
    public static final int FORMAT_VERSION = 1;

    /** Largest {@value #METADATA_FILE} read (spec, config and per-epoch history take a few hundred kB). */
    static final long MAX_METADATA_BYTES = 64L << 20;
    /** Largest {@value #TENSORS_FILE} read: one Java byte array. */
    static final long MAX_TENSOR_FILE_BYTES = Integer.MAX_VALUE - 64L;

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);
    // Strict like SpecJson: a mistyped field in a hand-edited checkpoint.json is an error, not ignored.
    private static final ObjectMapper JSON = SpecJson.mapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The generator weights this checkpoint stands for, the one rule every reader of a generator follows: in a
     * training checkpoint with a generator EMA ({@link StateNames#EMA} entries, see
     * {@link dev.acgan.api.train.TrainingConfig#generatorEma()}) the averaged weights under the plain
     * {@code generator/...} names, else its {@code generator/...} tensors as they are.
     */
    public NamedTensors generatorWeights() {
        NamedTensors generator = StateNames.generatorOnly(tensors);
        NamedTensors ema = StateNames.emaGenerator(tensors);
        return ema.size() == 0 ? generator : generator.merge(ema);
    }

    /** Whether this checkpoint holds a generator EMA ({@link StateNames#EMA} entries). */
    public boolean hasGeneratorEma() {
        return tensors.names().stream().anyMatch(n -> n.startsWith(StateNames.EMA));
    }

    /**
     * A generator-only export of this checkpoint (same spec and position, the {@link #generatorWeights()}:
     * the EMA weights when the checkpoint has them; its config's {@code generatorEma} then says so).
     */
    public Checkpoint generatorOnly() {
        CheckpointMetadata m = metadata;
        return new Checkpoint(
                new CheckpointMetadata(
                        m.formatVersion(),
                        CheckpointType.GENERATOR,
                        m.spec(),
                        m.config(),
                        m.position(),
                        m.backend(),
                        m.dataset(),
                        m.createdAt(),
                        m.history(),
                        null,
                        0),
                generatorWeights());
    }

    /**
     * Writes this checkpoint to {@code dir} atomically (see the class comment) and returns the metadata
     * as written, with the tensor file's checksum.
     */
    public CheckpointMetadata write(Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Path name = target.getFileName();
        if (parent == null || name == null) {
            throw new CheckpointException(dir + ": a checkpoint is a directory inside another, not the root");
        }
        String base = name.toString();
        String nonFinite = tensors.firstNonFinite();
        if (nonFinite != null) {
            // A diverged state would replace a good checkpoint with one that generates nothing.
            throw new CheckpointException(
                    "refusing to write checkpoint " + target + ": tensor " + nonFinite + " is not a finite number");
        }
        Path tmp = parent.resolve("." + base + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(parent);
            Files.createDirectory(tmp);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Path tensorFile = tmp.resolve(TENSORS_FILE);
            try (OutputStream out = new DigestOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(tensorFile, StandardOpenOption.CREATE_NEW), 1 << 20),
                    sha)) {
                SafeTensors.write(
                        tensors,
                        Map.of("format", "acgan", "type", metadata.type().name()),
                        out);
            }
            fsync(tensorFile);
            CheckpointMetadata written =
                    metadata.withTensorFile(HexFormat.of().formatHex(sha.digest()), Files.size(tensorFile));
            Path metaFile = tmp.resolve(METADATA_FILE);
            Files.write(metaFile, JSON.writeValueAsBytes(written), StandardOpenOption.CREATE_NEW);
            fsync(metaFile);
            fsync(tmp);
            swapInto(tmp, target);
            fsync(parent);
            return written;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new CheckpointException("cannot write checkpoint " + target + ": " + e, e);
        } catch (RuntimeException e) {
            // e.g. SafeTensors refusing a tensor name: do not leave the temporary directory behind
            deleteQuietly(tmp);
            throw e;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void swapInto(Path tmp, Path target) throws IOException {
        if (!Files.exists(target)) {
            move(tmp, target);
            return;
        }
        Path old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
        move(target, old);
        move(tmp, target);
        deleteQuietly(old);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("target appeared while writing: " + to, e);
        }
    }

    /**
     * Reads and verifies a checkpoint directory. When {@code dir} is missing but a previous version was
     * left aside by an interrupted replacement, that version is read instead (with a warning).
     */
    public static Checkpoint read(Path dir) {
        Path source = dir;
        if (!Files.isDirectory(dir)) {
            Path leftover = findLeftover(dir);
            if (leftover == null) {
                throw new CheckpointException(dir + ": no such checkpoint directory");
            }
            LOG.warn(
                    "{} is missing; reading the previous checkpoint left at {} by an interrupted write", dir, leftover);
            source = leftover;
        }
        Path metaFile = source.resolve(METADATA_FILE);
        Path tensorFile = source.resolve(TENSORS_FILE);
        CheckpointMetadata meta;
        try {
            long metaBytes = Files.size(metaFile);
            if (metaBytes > MAX_METADATA_BYTES) {
                throw new CheckpointException(
                        metaFile + ": " + metaBytes + " bytes; metadata of a checkpoint is at most "
                                + MAX_METADATA_BYTES + " (not a checkpoint.json?)");
            }
            meta = JSON.readValue(Files.readAllBytes(metaFile), CheckpointMetadata.class);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(metaFile + ": missing; " + source + " is not a checkpoint directory", e);
        } catch (IOException | SpecException e) {
            throw new CheckpointException(metaFile + ": unreadable metadata: " + e.getMessage(), e);
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CheckpointException(metaFile + ": invalid metadata: " + e.getMessage(), e);
        }
        if (meta.formatVersion() != FORMAT_VERSION) {
            throw new CheckpointException(metaFile + ": format version " + meta.formatVersion()
                    + " is not supported (this release reads version " + FORMAT_VERSION + ")");
        }
        byte[] bytes;
        try {
            // The recorded size is checked against the file's real one before anything is read or allocated.
            long size = Files.size(tensorFile);
            if (size != meta.tensorsBytes()) {
                throw new CheckpointException(tensorFile + ": " + size + " bytes, but " + METADATA_FILE + " records "
                        + meta.tensorsBytes() + " (truncated or replaced)");
            }
            if (size > MAX_TENSOR_FILE_BYTES) {
                throw new CheckpointException(tensorFile + ": " + size + " bytes, more than this reader holds in "
                        + "memory (" + MAX_TENSOR_FILE_BYTES + ")");
            }
            bytes = Files.readAllBytes(tensorFile);
        } catch (IOException e) {
            throw new CheckpointException(tensorFile + ": cannot read: " + e, e);
        }
        if (bytes.length != meta.tensorsBytes()) {
            throw new CheckpointException(tensorFile + ": " + bytes.length + " bytes, but " + METADATA_FILE
                    + " records " + meta.tensorsBytes() + " in tensorsBytes (changed while reading)");
        }
        String sha = sha256(bytes);
        if (!sha.equalsIgnoreCase(String.valueOf(meta.tensorsSha256()))) {
            throw new CheckpointException(tensorFile + ": SHA-256 " + sha + " does not match " + METADATA_FILE + " ("
                    + meta.tensorsSha256() + "); the checkpoint is damaged");
        }
        NamedTensors tensors = SafeTensors.decode(bytes, tensorFile.toString()).tensors();
        InferredModel model;
        try {
            model = meta.spec().validate();
        } catch (SpecException e) {
            throw new CheckpointException(metaFile + ": invalid spec: " + e.getMessage(), e);
        }
        try {
            if (meta.type() == CheckpointType.TRAINING) {
                NamedTensors ema = tensors.withPrefix(StateNames.EMA);
                tensors = StateNames.completeAndCheck(model, StateNames.withoutEma(tensors));
                if (ema.size() > 0) {
                    checkEma(model, ema);
                    tensors = tensors.merge(ema);
                }
            } else {
                checkGenerator(model, tensors);
            }
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(tensorFile + ": " + e.getMessage(), e);
        }
        return new Checkpoint(meta, tensors);
    }

    /** The {@link StateNames#EMA} entries: exactly one per generator parameter and statistic, shaped like it. */
    private static void checkEma(InferredModel model, NamedTensors ema) {
        java.util.Set<String> expected = new java.util.LinkedHashSet<>();
        for (ParameterSpec p : model.generator().parameters()) {
            String name = StateNames.EMA + p.name();
            expected.add(name);
            if (!ema.contains(name)) {
                throw new IllegalArgumentException("generator EMA lacks '" + name + "'");
            }
            Tensor t = ema.get(name);
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new IllegalArgumentException("'" + name + "' has shape " + Arrays.toString(t.shape())
                        + ", the spec expects " + Arrays.toString(p.shape()));
            }
        }
        for (String name : ema.names()) {
            if (!expected.contains(name)) {
                throw new IllegalArgumentException("generator EMA tensor '" + name + "' is not a generator entry");
            }
        }
    }

    private static void checkGenerator(InferredModel model, NamedTensors tensors) {
        for (String name : tensors.names()) {
            if (!name.startsWith("generator/")) {
                throw new IllegalArgumentException("generator export holds a non-generator tensor '" + name + "'");
            }
        }
        for (ParameterSpec p : model.generator().parameters()) {
            if (!tensors.contains(p.name())) {
                throw new IllegalArgumentException("generator export lacks '" + p.name() + "'");
            }
            Tensor t = tensors.get(p.name());
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new IllegalArgumentException("'" + p.name() + "' has shape " + Arrays.toString(t.shape())
                        + ", the spec expects " + Arrays.toString(p.shape()));
            }
        }
    }

    private static Path findLeftover(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return null;
        }
        String prefix = "." + abs.getFileName() + ".old-";
        Path newest = null;
        long newestTime = Long.MIN_VALUE;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path p : ds) {
                Path meta = p.resolve(METADATA_FILE);
                if (Files.isRegularFile(meta) && Files.getLastModifiedTime(meta).toMillis() > newestTime) {
                    newest = p;
                    newestTime = Files.getLastModifiedTime(meta).toMillis();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return newest;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void fsync(Path p) {
        // Directories cannot be opened for writing; READ is enough to force them on Linux.
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("fsync of {} not supported: {}", p, e.toString());
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
