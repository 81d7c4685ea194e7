package dev.acgan.samples.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.data.Datasets;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.tck.ParityTolerances;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the embedding example ({@code samples/embedding}, the host application docs/embedding.md shows) the
 * way a host application team would: its source compiled on its own against acgan-api and Guice, then
 * started in three JVMs whose classpaths differ only in the backend (TensorFlow's jars, ND4J's or PyTorch's). All
 * load the same checkpoint; the backend each one reports must be the one on its classpath, and the
 * images must agree within the TCK's output tolerance.
 */
class EmbeddingExampleTest {

    private static final Path SOURCE =
            Path.of("embedding/src/main/java/dev/acgan/samples/embedding/HostApplication.java");
    private static final String MAIN = "dev.acgan.samples.embedding.HostApplication";

    @TempDir
    static Path tmp;

    private static Path checkpoint;
    private static Path classes;

    @BeforeAll
    static void trainAndCompile() throws IOException {
        // A checkpoint from a short real training run (TensorFlow), as a host application would receive it.
        checkpoint = tmp.resolve("checkpoint");
        TrainingConfig config =
                TrainingConfig.defaults().withBatchSize(16).withMaxSteps(3).withSeed(7);
        try (GanTrainer trainer = GanTrainer.create(
                Backends.discover().select("tensorflow"),
                Presets.byName("acgan-mnist"),
                config,
                Datasets.embeddedMnist())) {
            trainer.run();
            trainer.checkpoint().write(checkpoint);
        }
        // The example's own source, compiled against the api and Guice only: it cannot name a backend.
        classes = Files.createDirectories(tmp.resolve("classes"));
        String apiOnly = classpath().stream()
                .filter(EmbeddingExampleTest::isApiOrHostDependency)
                .collect(Collectors.joining(File.pathSeparator));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(
                null,
                null,
                null,
                "--release",
                "17",
                "-proc:none",
                "-cp",
                apiOnly,
                "-d",
                classes.toString(),
                SOURCE.toString());
        assertEquals(0, rc, "the embedding example does not compile against acgan-api alone");
    }

    @Test
    void sameCodeOnEveryBackendGivesTheSameImages() throws Exception {
        BufferedImage tf = runWith("tensorflow");
        assertEquals(10 * 28, tf.getHeight(), "one row of 28-pixel images per class");
        for (String other : List.of("nd4j", "pytorch")) {
            assertSameImage(tf, runWith(other), other);
        }
    }

    private static void assertSameImage(BufferedImage tf, BufferedImage other, String backend) {
        assertEquals(tf.getWidth(), other.getWidth());
        assertEquals(tf.getHeight(), other.getHeight());
        // The TCK holds generated pixels within OUTPUT_ATOL + OUTPUT_RTOL (about 1.1e-4 on [-1, 1], i.e.
        // 0.014 of one 8-bit level); after rounding to 0..255 that can flip a pixel by one level, no more.
        double levelsPerUnit = 255.0 / 2.0;
        int allowed = (int) Math.ceil((ParityTolerances.OUTPUT_ATOL + ParityTolerances.OUTPUT_RTOL) * levelsPerUnit);
        int maxDiff = 0;
        int differing = 0;
        int pixels = tf.getWidth() * tf.getHeight();
        for (int y = 0; y < tf.getHeight(); y++) {
            for (int x = 0; x < tf.getWidth(); x++) {
                int d = Math.abs(
                        tf.getRaster().getSample(x, y, 0) - other.getRaster().getSample(x, y, 0));
                maxDiff = Math.max(maxDiff, d);
                differing += d > 0 ? 1 : 0;
            }
        }
        System.out.printf(
                "embedding example: %d of %d pixels differ between tensorflow and %s, by at most %d level(s)%n",
                differing, pixels, backend, maxDiff);
        assertTrue(maxDiff <= allowed, backend + ": pixels differ by up to " + maxDiff + " levels; allowed " + allowed);
        // A one-level flip needs a pixel within the tolerance of a rounding edge: at most about twice
        // 0.014 / 1 of the pixels at the tolerance's full width (measured here: far fewer).
        double flipShare = 2 * (ParityTolerances.OUTPUT_ATOL + ParityTolerances.OUTPUT_RTOL) * levelsPerUnit;
        assertTrue(
                differing <= Math.ceil(pixels * flipShare),
                backend + ": " + differing + " of " + pixels + " pixels differ (by one level)");
    }

    /** Runs the example in a fresh JVM with the backend {@code use} and without the others' artifacts. */
    private static BufferedImage runWith(String use) throws Exception {
        List<String> cp = new ArrayList<>();
        cp.add(classes.toString());
        classpath().stream()
                .filter(p -> isBackend(p, use) || BACKENDS.stream().noneMatch(b -> isBackend(p, b)))
                .filter(p -> !isSamplesOwn(p))
                .forEach(cp::add);
        Path out = tmp.resolve("out-" + use);
        Path log = tmp.resolve("log-" + use + ".txt");
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx1g",
                        "-cp",
                        String.join(File.pathSeparator, cp),
                        MAIN,
                        checkpoint.toString(),
                        out.toString(),
                        "10",
                        "42")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        pb.environment().remove("ACGAN_BACKEND");
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the example with " + use + " did not finish in 180 s");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "the example with " + use + " failed:\n" + output);
        assertTrue(output.contains("backend " + use + " wrote"), "expected backend " + use + ":\n" + output);
        return ImageIO.read(out.resolve("generated.png").toFile());
    }

    /** The test JVM's classpath (both backends, their natives, the api, Guice, logback ...). */
    private static List<String> classpath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(cp.split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .toList();
    }

    /** acgan-api, its own dependencies (Jackson, SLF4J) and what the host declares (Guice and its dependencies). */
    private static boolean isApiOrHostDependency(String entry) {
        String p = entry.replace('\\', '/');
        return Stream.of(
                        "acgan-api",
                        "/com/fasterxml/jackson/",
                        "/org/slf4j/slf4j-api/",
                        "/com/google/inject/",
                        "/com/google/guava/",
                        "/aopalliance/",
                        "/jakarta/inject/")
                .anyMatch(p::contains);
    }

    private static final List<String> BACKENDS = List.of("tensorflow", "nd4j", "pytorch");

    /**
     * Whether a classpath entry belongs to a backend: its module or its native library's artifacts (OpenBLAS to both
     * ND4J and PyTorch).
     */
    private static boolean isBackend(String entry, String backend) {
        String p = entry.replace('\\', '/');
        return switch (backend) {
            case "tensorflow" -> p.contains("acgan-backend-tensorflow") || p.contains("/org/tensorflow/");
            case "nd4j" ->
                Stream.of("acgan-backend-nd4j", "/org/nd4j/", "/org/bytedeco/openblas/", "/org/deeplearning4j/")
                        .anyMatch(p::contains);
            case "pytorch" ->
                Stream.of("acgan-backend-pytorch", "/org/bytedeco/pytorch/", "/org/bytedeco/openblas/")
                        .anyMatch(p::contains);
            default -> throw new IllegalArgumentException(backend);
        };
    }

    /** The samples module's own classes, which the host application does not have. */
    private static boolean isSamplesOwn(String entry) {
        String p = entry.replace('\\', '/');
        return p.endsWith("/samples/target/classes")
                || p.endsWith("/samples/target/test-classes")
                || p.contains("acgan-samples");
    }
}
