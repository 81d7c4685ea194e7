package dev.acgan.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.data.DatasetInfo;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.train.TrainingConfig;
import java.awt.image.BufferedImage;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only an executor sees, with executors in their own JVMs ({@code local-cluster[2,1,1024]}, as
 * {@link SeparateJvmTest}): a dataset the driver reads but the executors cannot (a relative path: the
 * executors run in their worker's folder), and a backend the executors do not have ({@code -Dacgan.backend}
 * names one that is on no classpath, on the executors only). Each is one line naming the executor and what it
 * could not do, and no run directory is left behind.
 */
class ExecutorFailureTest {

    @TempDir
    Path tmp;

    @Test
    void aDatasetOrBackendAnExecutorLacksIsOneLineNamingTheExecutor() throws Exception {
        // images:REL, relative to the driver's working directory (the module's folder under Maven).
        Path rel = Path.of(
                "target", "executor-failure-images-" + ProcessHandle.current().pid());
        for (int c = 0; c < 2; c++) {
            Files.createDirectories(rel.resolve("digit" + c));
            for (int i = 0; i < 4; i++) {
                BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                img.getRaster().setSample(i + c, i, 0, 255);
                ImageIO.write(
                        img,
                        "png",
                        new File(rel.resolve("digit" + c).resolve(i + ".png").toString()));
            }
        }
        String images = "images:" + rel;
        DatasetInfo info = Datasets.fromSpec(images).info(); // the driver reads it
        ModelSpec small = Presets.byName("acgan", info.image(), info.numClasses(), 100);
        TrainingConfig cfg = TrainingConfig.forPreset(small.name())
                .withSeed(3)
                .withBatchSize(2)
                .withMaxSteps(2);

        String opens = String.join(
                " ",
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognized"))
                        .toList());
        SparkConf conf = LocalSpark.conf("local-cluster[2,1,1024]")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executor.extraJavaOptions", opens + " -Dacgan.backend=on-the-driver-only")
                .set("spark.task.maxFailures", "2")
                .set("spark.executorEnv.SPARK_TESTING", "1")
                .set("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
                .set("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            Path out = tmp.resolve("unreadable");
            Exception e = assertThrows(
                    Exception.class,
                    () -> SparkTraining.train(sc, small, cfg, SparkTraining.Options.of(2, 1, images), out));
            String line = SparkMain.message(e);
            assertTrue(line.matches("executor \\d+@\\S+ cannot read dataset '" + images + "': .*"), line);
            assertTrue(line.contains(rel.toString()), line);
            assertFalse(line.contains("\n"), line);
            assertTrue(Files.notExists(out), "no run directory left: " + out);

            Path out2 = tmp.resolve("nobackend");
            Exception b = assertThrows(
                    Exception.class,
                    () -> SparkTraining.train(
                            sc,
                            Presets.byName("acgan"),
                            TrainingConfig.forPreset("acgan-fast")
                                    .withBatchSize(2)
                                    .withMaxSteps(2),
                            SparkTraining.Options.of(2, 1, "mnist"),
                            out2));
            String bl = SparkMain.message(b);
            assertTrue(bl.matches("executor \\d+@\\S+: .*on-the-driver-only.*"), bl);
            assertFalse(bl.contains("\n"), bl);
            assertTrue(Files.notExists(out2), "no run directory left: " + out2);
        } finally {
            try (var w = Files.walk(rel)) {
                w.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }
}
