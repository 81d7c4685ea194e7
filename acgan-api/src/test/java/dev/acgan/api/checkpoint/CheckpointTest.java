package dev.acgan.api.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.model.Precision;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.ParameterInitializer;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spec.TinySpecs;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.EpochResult;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.api.train.TrainingPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path root;

    private static final List<EpochResult> HISTORY =
            List.of(new EpochResult(0, 600, 1.25, 2.5, 61.5), new EpochResult(1, 600, 1.125, 2.75, 60.25));
    private static final TrainingPosition POSITION = new TrainingPosition(1234, 2, 34);

    static CheckpointMetadata metadata(ModelSpec spec, CheckpointType type) {
        return new CheckpointMetadata(
                Checkpoint.FORMAT_VERSION,
                type,
                spec,
                TrainingConfig.defaults().withSeed(7).withBatchSize(64),
                POSITION,
                "fake",
                "mnist",
                "2024-05-01T12:00:00Z",
                HISTORY,
                null,
                0);
    }

    /** A full training state: initial parameters, non-zero Adam moments for one parameter, counters. */
    static Checkpoint training(ModelSpec spec, long seed) {
        InferredModel m = spec.validate();
        NamedTensors params = ParameterInitializer.initialize(m, seed);
        ParameterSpec first = m.parameters().get(0);
        float[] moment = new float[first.size()];
        for (int i = 0; i < moment.length; i++) {
            moment[i] = i * 0.5f;
        }
        NamedTensors adam = new NamedTensors(Map.of(
                StateNames.ADAM_M + first.name(),
                new Tensor(first.shape().clone(), moment),
                StateNames.ITERATIONS_GENERATOR,
                new Tensor(new int[0], new float[] {1234}),
                StateNames.ITERATIONS_DISCRIMINATOR,
                new Tensor(new int[0], new float[] {1234})));
        NamedTensors state = StateNames.completeAndCheck(m, params.merge(adam));
        return new Checkpoint(metadata(spec, CheckpointType.TRAINING), state);
    }

    @Test
    void trainingCheckpointOfAcganMnistRoundTrips() throws Exception {
        ModelSpec spec = Presets.acgan(ImageShape.mnist(), 10, 100);
        Checkpoint cp = training(spec, 42);
        Path dir = root.resolve("run/checkpoint-1234");
        CheckpointMetadata written = cp.write(dir);

        assertEquals(List.of(Checkpoint.METADATA_FILE, Checkpoint.TENSORS_FILE), list(dir));
        Path tensorFile = dir.resolve(Checkpoint.TENSORS_FILE);
        byte[] bytes = Files.readAllBytes(tensorFile);
        assertEquals(bytes.length, written.tensorsBytes());
        assertEquals(
                HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(bytes)),
                written.tensorsSha256());
        assertEquals(
                Map.of("format", "acgan", "type", "TRAINING"),
                SafeTensors.read(tensorFile).metadata());

        Checkpoint back = Checkpoint.read(dir);
        assertEquals(written, back.metadata());
        assertEquals(cp.tensors(), back.tensors());
        assertEquals(spec, back.metadata().spec());
        assertEquals(
                TrainingConfig.defaults().withSeed(7).withBatchSize(64),
                back.metadata().config());
        assertEquals(POSITION, back.metadata().position());
        assertEquals(HISTORY, back.metadata().history());
        assertEquals(CheckpointType.TRAINING, back.metadata().type());
        assertEquals(Checkpoint.FORMAT_VERSION, back.metadata().formatVersion());
        assertEquals("fake", back.metadata().backend());
        assertEquals("mnist", back.metadata().dataset());
        assertEquals("2024-05-01T12:00:00Z", back.metadata().createdAt());
        assertEquals(1234f, back.tensors().get(StateNames.ITERATIONS_GENERATOR).data()[0]);
        assertEquals(
                StateNames.fullStateShapes(spec.validate()).keySet(),
                back.tensors().names());
    }

    @Test
    void generatorExportRoundTrips() {
        ModelSpec spec = Presets.acgan(ImageShape.mnist(), 10, 100);
        Checkpoint cp = training(spec, 42);
        Checkpoint export = cp.generatorOnly();
        assertEquals(CheckpointType.GENERATOR, export.metadata().type());
        assertNull(export.metadata().tensorsSha256());
        assertEquals(17, export.tensors().size());
        assertTrue(export.tensors().names().stream().allMatch(n -> n.startsWith("generator/")));

        Path dir = root.resolve("generator");
        CheckpointMetadata written = export.write(dir);
        assertNotNull(written.tensorsSha256());
        Checkpoint back = Checkpoint.read(dir);
        assertEquals(written, back.metadata());
        assertEquals(export.tensors(), back.tensors());
        assertEquals(cp.tensors().withPrefix("generator/"), back.tensors());
        assertEquals(spec, back.metadata().spec());
        assertEquals(POSITION, back.metadata().position());
        assertEquals(HISTORY, back.metadata().history());
        assertEquals(cp.metadata().config(), back.metadata().config());
        assertEquals(
                Map.of("format", "acgan", "type", "GENERATOR"),
                SafeTensors.read(dir.resolve(Checkpoint.TENSORS_FILE)).metadata());
    }

    // ---- damaged checkpoints ----

    @Test
    void flippedByteFailsTheChecksum() throws IOException {
        Path dir = writeTiny("ckpt");
        Path f = dir.resolve(Checkpoint.TENSORS_FILE);
        byte[] b = Files.readAllBytes(f);
        b[b.length - 3] ^= 0x01; // inside the float data: still a well-formed safetensors file
        Files.write(f, b);
        SafeTensors.decode(b, "still decodes");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(dir));
        assertTrue(e.getMessage().startsWith(f + ": SHA-256 "), e.getMessage());
        assertTrue(
                e.getMessage()
                        .endsWith("does not match checkpoint.json (" + sha(dir) + "); the checkpoint is " + "damaged"),
                e.getMessage());
    }

    @Test
    void truncatedTensorFile() throws IOException {
        Path dir = writeTiny("ckpt");
        Path f = dir.resolve(Checkpoint.TENSORS_FILE);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 10));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(dir));
        assertEquals(
                f + ": " + (b.length - 10) + " bytes, but checkpoint.json records " + b.length
                        + " (truncated or replaced)",
                e.getMessage());
    }

    @Test
    void missingFiles() throws IOException {
        Path dir = writeTiny("ckpt");
        Files.delete(dir.resolve(Checkpoint.METADATA_FILE));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(dir));
        assertEquals(
                dir.resolve(Checkpoint.METADATA_FILE) + ": missing; " + dir + " is not a checkpoint directory",
                e.getMessage());

        Path dir2 = writeTiny("ckpt2");
        Files.delete(dir2.resolve(Checkpoint.TENSORS_FILE));
        CheckpointException e2 = assertThrows(CheckpointException.class, () -> Checkpoint.read(dir2));
        assertTrue(
                e2.getMessage().startsWith(dir2.resolve(Checkpoint.TENSORS_FILE) + ": cannot read: "), e2.getMessage());

        Path none = root.resolve("never-written");
        CheckpointException e3 = assertThrows(CheckpointException.class, () -> Checkpoint.read(none));
        assertEquals(none + ": no such checkpoint directory", e3.getMessage());
    }

    @Test
    void precisionIsRecordedAndACheckpointWithoutItReadsAsFp32() throws IOException {
        Path dir = root.resolve("bf16");
        Checkpoint cp = training(TinySpecs.gan(), 1);
        CheckpointMetadata m = cp.metadata();
        new Checkpoint(
                        new CheckpointMetadata(
                                m.formatVersion(),
                                m.type(),
                                m.spec(),
                                m.config().withPrecision(Precision.BF16),
                                m.position(),
                                m.backend(),
                                m.dataset(),
                                m.createdAt(),
                                m.history(),
                                null,
                                0),
                        cp.tensors())
                .write(dir);
        Path meta = dir.resolve(Checkpoint.METADATA_FILE);
        String json = Files.readString(meta);
        assertTrue(json.contains("\"precision\" : \"BF16\""), json);
        assertEquals(Precision.BF16, Checkpoint.read(dir).metadata().config().precision());

        // as written before precisions existed
        Files.writeString(meta, json.replaceAll(",\\s*\"precision\" : \"BF16\"", ""));
        assertFalse(Files.readString(meta).contains("precision"));
        assertEquals(Precision.FP32, Checkpoint.read(dir).metadata().config().precision());
    }

    @Test
    void wrongFormatVersion() throws IOException {
        Path dir = writeTiny("ckpt");
        Path meta = dir.resolve(Checkpoint.METADATA_FILE);
        String json = Files.readString(meta);
        assertTrue(json.contains("\"formatVersion\" : 1,"), json);
        Files.writeString(meta, json.replace("\"formatVersion\" : 1,", "\"formatVersion\" : 2,"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(dir));
        assertEquals(meta + ": format version 2 is not supported (this release reads version 1)", e.getMessage());
    }

    @Test
    void unreadableOrInvalidMetadata() throws IOException {
        Path dir = writeTiny("ckpt");
        Path meta = dir.resolve(Checkpoint.METADATA_FILE);
        Files.writeString(meta, "{ \"formatVersion\" : 1, ");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(dir));
        assertTrue(e.getMessage().startsWith(meta + ": unreadable metadata: "), e.getMessage());

        // a spec that no longer validates
        writeTiny("ckpt2");
        Path meta2 = root.resolve("ckpt2").resolve(Checkpoint.METADATA_FILE);
        String json = Files.readString(meta2);
        Files.writeString(meta2, json.replace("\"units\" : 4,", "\"units\" : 5,"));
        CheckpointException e2 = assertThrows(CheckpointException.class, () -> Checkpoint.read(root.resolve("ckpt2")));
        assertTrue(e2.getMessage().startsWith(meta2.toString()), e2.getMessage());
        assertTrue(e2.getMessage().contains("generator node 'reshape' (reshape): cannot reshape [5]"), e2.getMessage());
    }

    @Test
    void tensorsThatDoNotMatchTheSpec() {
        ModelSpec spec = TinySpecs.gan();
        NamedTensors full = training(spec, 1).tensors();
        CheckpointMetadata meta = metadata(spec, CheckpointType.TRAINING);

        Path missing = root.resolve("missing");
        new Checkpoint(meta, full.filter(n -> !n.equals("discriminator/dense/bias"))).write(missing);
        CheckpointException e1 = assertThrows(CheckpointException.class, () -> Checkpoint.read(missing));
        assertEquals(
                missing.resolve(Checkpoint.TENSORS_FILE) + ": state lacks parameter 'discriminator/dense/bias' "
                        + "of model tiny-gan",
                e1.getMessage());

        Path misshapen = root.resolve("misshapen");
        new Checkpoint(meta, full.merge(new NamedTensors(Map.of("generator/dense/kernel", Tensor.zeros(4, 3)))))
                .write(misshapen);
        CheckpointException e2 = assertThrows(CheckpointException.class, () -> Checkpoint.read(misshapen));
        assertEquals(
                misshapen.resolve(Checkpoint.TENSORS_FILE) + ": state tensor 'generator/dense/kernel' has shape "
                        + "[4, 3], the model expects [3, 4]",
                e2.getMessage());

        Path unknown = root.resolve("unknown");
        new Checkpoint(meta, full.merge(new NamedTensors(Map.of("generator/extra/kernel", Tensor.zeros(1)))))
                .write(unknown);
        CheckpointException e3 = assertThrows(CheckpointException.class, () -> Checkpoint.read(unknown));
        assertEquals(
                unknown.resolve(Checkpoint.TENSORS_FILE) + ": state has tensors the model tiny-gan does not "
                        + "know: [generator/extra/kernel]",
                e3.getMessage());

        // a generator export of another model's weights
        Path export = root.resolve("export");
        new Checkpoint(
                        metadata(spec, CheckpointType.GENERATOR),
                        full.withPrefix("generator/").filter(n -> !n.endsWith("/bias")))
                .write(export);
        CheckpointException e4 = assertThrows(CheckpointException.class, () -> Checkpoint.read(export));
        assertEquals(
                export.resolve(Checkpoint.TENSORS_FILE) + ": generator export lacks 'generator/dense/bias'",
                e4.getMessage());
        Path export2 = root.resolve("export2");
        new Checkpoint(
                        metadata(spec, CheckpointType.GENERATOR),
                        full.withPrefix("generator/")
                                .merge(new NamedTensors(Map.of("generator/dense/bias", Tensor.zeros(5)))))
                .write(export2);
        CheckpointException e5 = assertThrows(CheckpointException.class, () -> Checkpoint.read(export2));
        assertEquals(
                export2.resolve(Checkpoint.TENSORS_FILE) + ": 'generator/dense/bias' has shape [5], the spec "
                        + "expects [4]",
                e5.getMessage());
    }

    @Test
    void trainingCheckpointWithoutAdamEntriesIsCompletedWithZeros() {
        ModelSpec spec = TinySpecs.gan();
        NamedTensors params = ParameterInitializer.initialize(spec.validate(), 3);
        Path dir = root.resolve("fresh");
        new Checkpoint(metadata(spec, CheckpointType.TRAINING), params).write(dir);
        Checkpoint back = Checkpoint.read(dir);
        assertEquals(4 + 4 + 4 + 2, back.tensors().size());
        assertEquals(Tensor.zeros(3, 4), back.tensors().get("adam/v/generator/dense/kernel"));
        assertEquals(Tensor.zeros(), back.tensors().get(StateNames.ITERATIONS_DISCRIMINATOR));
        assertEquals(params.get("generator/dense/kernel"), back.tensors().get("generator/dense/kernel"));
    }

    // ---- atomicity ----

    @Test
    void overwritingReplacesTheCheckpointAndLeavesNoTemporaryDirectories() {
        Path dir = root.resolve("ckpt");
        Checkpoint a = training(TinySpecs.gan(), 1);
        Checkpoint b = new Checkpoint(
                metadata(TinySpecs.gan(), CheckpointType.TRAINING).withTensorFile(null, 0),
                training(TinySpecs.gan(), 2).tensors());
        a.write(dir);
        assertEquals(a.tensors(), Checkpoint.read(dir).tensors());
        b.write(dir);
        assertEquals(b.tensors(), Checkpoint.read(dir).tensors());
        assertFalse(a.tensors().equals(b.tensors()));
        assertEquals(List.of("ckpt"), list(root));
        // a third time, to a relative-looking path with redundant segments
        a.write(root.resolve("x/../ckpt"));
        assertEquals(a.tensors(), Checkpoint.read(dir).tensors());
        assertEquals(List.of("ckpt"), list(root));
    }

    @Test
    void interruptedReplacementIsRecoveredFromTheOldSibling() throws IOException {
        // A crash between "move target aside" and "move new into place" leaves only .NAME.old-<uuid>.
        Path dir = root.resolve("ckpt");
        Checkpoint a = training(TinySpecs.gan(), 1);
        CheckpointMetadata written = a.write(dir);
        Path old = root.resolve(".ckpt.old-" + UUID.randomUUID());
        Files.move(dir, old);
        // and a half-written new version in its temporary directory
        Path tmp = Files.createDirectory(root.resolve(".ckpt.tmp-" + UUID.randomUUID()));
        Files.write(tmp.resolve(Checkpoint.TENSORS_FILE), new byte[] {1, 2, 3});

        Checkpoint recovered = Checkpoint.read(dir);
        assertEquals(a.tensors(), recovered.tensors());
        assertEquals(written, recovered.metadata());

        // writing again puts a good checkpoint in place, which is then read in preference
        Checkpoint b = training(TinySpecs.gan(), 2);
        b.write(dir);
        assertEquals(b.tensors(), Checkpoint.read(dir).tensors());
    }

    @Test
    void onlyACompleteOldSiblingIsUsedForRecovery() throws IOException {
        Path dir = root.resolve("ckpt");
        // an .old- sibling without checkpoint.json and a temporary directory do not count
        Files.createDirectory(root.resolve(".ckpt.old-" + UUID.randomUUID()));
        Path tmp = Files.createDirectory(root.resolve(".ckpt.tmp-" + UUID.randomUUID()));
        training(TinySpecs.gan(), 1).write(root.resolve("elsewhere"));
        Files.copy(root.resolve("elsewhere").resolve(Checkpoint.METADATA_FILE), tmp.resolve(Checkpoint.METADATA_FILE));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(dir));
        assertEquals(dir + ": no such checkpoint directory", e.getMessage());
        // nor does an .old- sibling of another checkpoint
        Files.move(root.resolve("elsewhere"), root.resolve(".other.old-" + UUID.randomUUID()));
        assertThrows(CheckpointException.class, () -> Checkpoint.read(dir));
    }

    @Test
    void leftoverTemporaryDirectoryDoesNotBreakReadingTheGoodCheckpoint() throws IOException {
        Path dir = root.resolve("ckpt");
        Checkpoint a = training(TinySpecs.gan(), 1);
        a.write(dir);
        Path tmp = Files.createDirectory(root.resolve(".ckpt.tmp-" + UUID.randomUUID()));
        Files.writeString(tmp.resolve(Checkpoint.METADATA_FILE), "{ broken", StandardCharsets.UTF_8);
        Files.write(tmp.resolve(Checkpoint.TENSORS_FILE), new byte[7]);
        assertEquals(a.tensors(), Checkpoint.read(dir).tensors());
        // and the next write still works beside it
        Checkpoint b = training(TinySpecs.gan(), 2);
        b.write(dir);
        assertEquals(b.tensors(), Checkpoint.read(dir).tensors());
    }

    @Test
    void failedWriteLeavesThePreviousCheckpointIntactAndNoTemporaryDirectory() {
        Path dir = root.resolve("ckpt");
        Checkpoint good = training(TinySpecs.gan(), 1);
        CheckpointMetadata written = good.write(dir);

        // SafeTensors refuses a tensor named __metadata__, after the temporary directory was created
        NamedTensors bad = good.tensors().merge(new NamedTensors(Map.of(SafeTensors.METADATA_KEY, Tensor.zeros(1))));
        RuntimeException e =
                assertThrows(RuntimeException.class, () -> new Checkpoint(good.metadata(), bad).write(dir));
        assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());

        assertEquals(List.of("ckpt"), list(root));
        Checkpoint back = Checkpoint.read(dir);
        assertEquals(good.tensors(), back.tensors());
        assertEquals(written, back.metadata());
    }

    @Test
    void writeUnderAFileFailsCleanly() throws IOException {
        Path file = Files.writeString(root.resolve("plain-file"), "not a directory");
        Path dir = file.resolve("ckpt");
        CheckpointException e = assertThrows(
                CheckpointException.class, () -> training(TinySpecs.gan(), 1).write(dir));
        assertTrue(e.getMessage().startsWith("cannot write checkpoint " + dir + ": "), e.getMessage());
        assertEquals(List.of("plain-file"), list(root));
        assertEquals("not a directory", Files.readString(file));
    }

    @Test
    void metadataRequiresTypeSpecAndPosition() {
        ModelSpec spec = TinySpecs.gan();
        assertThrows(
                NullPointerException.class,
                () -> new CheckpointMetadata(1, null, spec, null, POSITION, null, null, null, null, null, 0));
        assertThrows(
                NullPointerException.class,
                () -> new CheckpointMetadata(
                        1, CheckpointType.TRAINING, null, null, POSITION, null, null, null, null, null, 0));
        assertThrows(
                NullPointerException.class,
                () -> new CheckpointMetadata(
                        1, CheckpointType.TRAINING, spec, null, null, null, null, null, null, null, 0));
        CheckpointMetadata m = new CheckpointMetadata(
                1, CheckpointType.TRAINING, spec, null, POSITION, null, null, null, null, null, 0);
        assertEquals(List.of(), m.history());
        CheckpointMetadata w = m.withTensorFile("ab", 12);
        assertEquals("ab", w.tensorsSha256());
        assertEquals(12, w.tensorsBytes());
        assertEquals(m.spec(), w.spec());
    }

    @Test
    void minimalMetadataRoundTrips() {
        // config, backend, dataset, createdAt and history are optional
        ModelSpec spec = TinySpecs.gan();
        CheckpointMetadata m = new CheckpointMetadata(
                Checkpoint.FORMAT_VERSION,
                CheckpointType.TRAINING,
                spec,
                null,
                TrainingPosition.start(),
                null,
                null,
                null,
                null,
                null,
                0);
        Path dir = root.resolve("minimal");
        CheckpointMetadata written = new Checkpoint(m, training(spec, 1).tensors()).write(dir);
        assertEquals(written, Checkpoint.read(dir).metadata());
    }

    private Path writeTiny(String name) {
        Path dir = root.resolve(name);
        training(TinySpecs.gan(), 1).write(dir);
        return dir;
    }

    private static String sha(Path dir) throws IOException {
        String json = Files.readString(dir.resolve(Checkpoint.METADATA_FILE));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"tensorsSha256\" : \"([0-9a-f]{64})\"")
                .matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void checksumMatchesTheFileAsWritten() throws IOException {
        Path dir = writeTiny("ckpt");
        byte[] bytes = Files.readAllBytes(dir.resolve(Checkpoint.TENSORS_FILE));
        assertEquals(Checkpoint.sha256(bytes), sha(dir));
        Map<String, Tensor> m =
                new LinkedHashMap<>(SafeTensors.decode(bytes, "x").tensors().asMap());
        assertArrayEquals(new int[] {3, 4}, m.get("generator/dense/kernel").shape());
    }
}
