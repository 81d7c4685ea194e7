package dev.acgan.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointMetadata;
import dev.acgan.api.checkpoint.CheckpointType;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.ParameterInitializer;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.api.train.TrainingPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact properties of data-parallel training on Spark in local mode ({@code local[2,2]}: 2 task slots,
 * a failed task tried twice), TensorFlow with one thread per session.
 */
class SparkTrainingTest {

    static SparkSession session;
    static JavaSparkContext spark;

    @TempDir
    Path tmp;

    static final ModelSpec SPEC = Presets.byName("acgan");
    static final TrainingConfig CONFIG =
            TrainingConfig.forPreset("acgan-fast").withSeed(5).withBatchSize(8).withMaxSteps(4);

    @BeforeAll
    static void start() {
        session = LocalSpark.session("local[2,2]");
        spark = LocalSpark.context(session);
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.stop();
        }
    }

    static SparkTraining.Options options(int workers, int h) {
        return SparkTraining.Options.of(workers, h, "mnist").withPeriods(1, 0);
    }

    @Test
    void oneWorkerIsTheLocalRunBitForBit() {
        SparkTraining.Report report = SparkTraining.train(spark, SPEC, CONFIG, options(1, 3), tmp.resolve("one"));
        assertEquals(4, report.step());
        assertEquals(2, report.rounds().size(), "rounds of 3 and 1 steps");
        NamedTensors local;
        try (GanTrainer t = GanTrainer.create(Backends.discover().select(), SPEC, CONFIG, Datasets.embeddedMnist())) {
            for (int i = 0; i < 4; i++) {
                t.step();
            }
            local = t.checkpoint().tensors();
        }
        assertEquals(local.names(), report.state().names());
        for (String name : local.names()) {
            assertArrayEquals(local.get(name).data(), report.state().get(name).data(), name);
        }
        Checkpoint written = Checkpoint.read(report.checkpoint());
        assertEquals(4, written.metadata().position().step());
        assertEquals(local, written.tensors());
    }

    @Test
    void twoWorkersAverageExactlyRepeatAndSurviveAFailedTask() throws Exception {
        SparkTraining.Report a = SparkTraining.train(spark, SPEC, CONFIG, options(2, 2), tmp.resolve("a"));
        assertEquals(2, a.rounds().size());
        for (SparkTraining.Round r : a.rounds()) {
            assertTrue(r.replicasIdentical(), "round " + r.round() + ": replicas started from different states");
            assertEquals(2, r.executors().size());
        }
        // What each worker's backend held before its first step of round 1 is the mean round 0 ended with.
        assertEquals(a.rounds().get(0).averageSha256(), a.rounds().get(1).replicaSha256());

        SparkTraining.Report b = SparkTraining.train(spark, SPEC, CONFIG, options(2, 2), tmp.resolve("b"));
        assertEquals(a.stateSha256(), b.stateSha256());
        Path ca = a.checkpoint();
        Path cb = b.checkpoint();
        assertArrayEquals(
                Files.readAllBytes(ca.resolve(Checkpoint.TENSORS_FILE)),
                Files.readAllBytes(cb.resolve(Checkpoint.TENSORS_FILE)));
        assertEquals(withoutCreatedAt(ca), withoutCreatedAt(cb));

        // Worker 1 of round 1 fails once; Spark runs it again and the run ends where the others did.
        SparkTraining.Report c =
                SparkTraining.train(spark, SPEC, CONFIG, options(2, 2).withInjectedFault(1, 1), tmp.resolve("c"));
        assertEquals(a.stateSha256(), c.stateSha256());
        assertArrayEquals(
                Files.readAllBytes(ca.resolve(Checkpoint.TENSORS_FILE)),
                Files.readAllBytes(c.checkpoint().resolve(Checkpoint.TENSORS_FILE)));

        // Two workers are not one: the averaging changed the state.
        SparkTraining.Report one = SparkTraining.train(spark, SPEC, CONFIG, options(1, 2), tmp.resolve("one"));
        assertNotEquals(one.stateSha256(), a.stateSha256());
    }

    @Test
    void moreWorkersThanSlotsIsOneClearError() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SparkTraining.train(spark, SPEC, CONFIG, options(3, 1), tmp.resolve("x")));
        assertTrue(e.getMessage().contains("3 workers asked for"), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("x")), "the run directory was created");
    }

    @Test
    void aCheckpointOfAnotherModelIsRefusedAndTheRunDirectoryKept() throws Exception {
        // A run directory whose newest checkpoint is of a 32x32 colour model, its spark.json saying mnist.
        Path dir = tmp.resolve("other");
        ModelSpec colour = Presets.byName("acgan", new ImageShape(32, 32, 3), 10, 100);
        InferredModel inferred = colour.validate();
        NamedTensors state =
                StateNames.completeAndCheck(inferred, ParameterInitializer.initialize(inferred, CONFIG.seed()));
        SparkTraining.RunFiles files = new SparkTraining.RunFiles(dir);
        files.prepare();
        Files.write(dir.resolve(SparkTraining.SPARK_FILE), SparkTraining.JSON.writeValueAsBytes(options(1, 1)));
        Checkpoint c = new Checkpoint(
                new CheckpointMetadata(
                        Checkpoint.FORMAT_VERSION,
                        CheckpointType.TRAINING,
                        colour,
                        CONFIG,
                        new TrainingPosition(2, 0, 2),
                        "tensorflow",
                        "images:/elsewhere",
                        "2026-12-05T00:00:00Z",
                        List.of(),
                        null,
                        0),
                state);
        Path latest = files.writeCheckpoint(2, c, 3);
        Map<Path, byte[]> before = snapshot(dir);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SparkTraining.resume(spark, dir, null, 4L));
        assertTrue(
                e.getMessage().startsWith(latest + ": a checkpoint of model acgan-fast (")
                        && e.getMessage().contains("dataset 'mnist' holds"),
                e.getMessage());
        Map<Path, byte[]> after = snapshot(dir);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((p, b) -> assertArrayEquals(b, after.get(p), p.toString()));
    }

    @Test
    void aBackendMissingOrDifferentOnAnExecutorIsOneErrorNamingIt() throws Exception {
        // The driver says it runs pytorch; the executor (this JVM, TensorFlow only) selects its own default.
        CheckpointMetadata meta = new CheckpointMetadata(
                Checkpoint.FORMAT_VERSION,
                CheckpointType.TRAINING,
                SPEC,
                CONFIG,
                new TrainingPosition(0, 0, 0),
                "pytorch",
                "mnist",
                "2026-12-05T00:00:00Z",
                List.of(),
                null,
                0);
        Broadcast<RoundTask.Input> bc =
                spark.broadcast(new RoundTask.Input(SparkTraining.JSON.writeValueAsBytes(meta), new byte[0]));
        try {
            String different = failure(new RoundTask(bc, options(1, 1), 0, 0, 1));
            assertTrue(
                    different.matches("executor driver@\\S+ selected backend tensorflow but the driver runs pytorch; "
                            + "the same backend must be on every executor"),
                    different);
            String missing = failure(new RoundTask(bc, options(1, 1).withBackend("no-such-backend"), 0, 0, 1));
            assertTrue(missing.startsWith("executor driver@") && missing.contains("no-such-backend"), missing);
        } finally {
            bc.destroy();
        }
    }

    /** The one line {@code acgan spark} prints for the job's failure. */
    private static String failure(RoundTask task) {
        Exception e = assertThrows(
                Exception.class,
                () -> spark.parallelize(List.of(0), 1).map(task).collect());
        String m = SparkMain.message(e);
        assertFalse(m.contains("\n"), m);
        return m;
    }

    static Map<Path, byte[]> snapshot(Path dir) throws Exception {
        Map<Path, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p), Files.readAllBytes(p));
            }
        }
        return out;
    }

    static List<String> withoutCreatedAt(Path checkpoint) throws Exception {
        return Files.readAllLines(checkpoint.resolve(Checkpoint.METADATA_FILE)).stream()
                .filter(l -> !l.contains("\"createdAt\""))
                .toList();
    }
}
