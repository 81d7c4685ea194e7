package dev.acgan.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.train.TrainingConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executors in separate JVMs: Spark's {@code local-cluster[2,1,1024]} master starts a standalone master and two
 * workers (1 core, 1 GiB each) on 127.0.0.1 inside this JVM, and each worker launches its executor as a child
 * JVM, from Spark's Maven artifacts alone (no Spark distribution: the executors get this JVM's classpath, and
 * {@code SPARK_TESTING} lets Spark's launcher do without a {@code SPARK_HOME/jars} folder). The run must end
 * with exactly the state of the same run in local mode.
 */
class SeparateJvmTest {

    @TempDir
    Path tmp;

    @Test
    void twoExecutorJvmsGiveTheLocalModeStateBitForBit() {
        ModelSpec spec = Presets.byName("acgan");
        TrainingConfig cfg = TrainingConfig.forPreset("acgan-fast")
                .withSeed(5)
                .withBatchSize(8)
                .withMaxSteps(4);
        SparkTraining.Options o = SparkTraining.Options.of(2, 2, "mnist").withPeriods(1, 0);

        SparkTraining.Report local;
        try (JavaSparkContext sc = new JavaSparkContext(LocalSpark.conf("local[2]"))) {
            local = SparkTraining.train(sc, spec, cfg, o, tmp.resolve("local"));
        }

        String opens = String.join(
                " ",
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognized"))
                        .toList());
        SparkConf conf = LocalSpark.conf("local-cluster[2,1,1024]")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set(
                        "spark.executor.extraJavaOptions",
                        opens + " -Dacgan.tensorflow.intraOpThreads=1" + " -Dacgan.tensorflow.interOpThreads=1")
                .set("spark.executorEnv.SPARK_TESTING", "1")
                .set("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
                .set("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1")
                .set("spark.executorEnv.TF_CPP_MIN_LOG_LEVEL", "2");
        SparkTraining.Report cluster;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            cluster = SparkTraining.train(sc, spec, cfg, o, tmp.resolve("cluster"));
        }
        Set<String> executors = new HashSet<>();
        for (SparkTraining.Round r : cluster.rounds()) {
            assertTrue(r.replicasIdentical());
            executors.addAll(r.executors());
        }
        assertTrue(executors.stream().noneMatch(e -> e.startsWith("driver")), executors.toString());
        assertEquals(2, cluster.rounds().get(0).executors().stream().distinct().count(), executors.toString());
        assertNotEquals(
                cluster.rounds().get(0).executors().get(0),
                cluster.rounds().get(0).executors().get(1));
        assertEquals(local.stateSha256(), cluster.stateSha256());
    }
}
