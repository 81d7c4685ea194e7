package dev.acgan.export;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acgan.api.tensor.Tensor;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code src/test/node/generate.js} with Node.js: {@code @tensorflow/tfjs} is installed with {@code npm ci}
 * from the committed {@code package-lock.json} into {@code target/tfjs-node} (once; again only when the lock file
 * changed). Where Node.js or npm is missing, or the install fails, the calling tests are skipped with the reason,
 * except where the environment variable {@code CI} is set (e.g. {@code CI=true}), where they fail: CI must run them
 * ({@code .ci/run} installs Node.js and npm). As {@code BrowserTest} does for Chromium.
 */
final class TfjsNode {

    private static final Logger LOG = LoggerFactory.getLogger(TfjsNode.class);
    private static final Path SOURCES = Path.of("src", "test", "node");
    private static final Path DIR = Path.of("target", "tfjs-node");
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "generate.js");
    private static final long INSTALL_TIMEOUT_S = 600;
    private static final long RUN_TIMEOUT_S = 120;

    private static Path node;
    private static String unavailable;

    private TfjsNode() {}

    /** Installs the Node.js side once per JVM, or skips (fails under CI) the caller with the reason. */
    static synchronized void require() {
        if (node == null && unavailable == null) {
            try {
                install();
            } catch (IOException e) {
                unavailable = "could not prepare " + DIR + ": " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unavailable = "interrupted while installing @tensorflow/tfjs";
            }
        }
        if (unavailable != null) {
            String reason = "TensorFlow.js export not checked: " + unavailable;
            String ci = System.getenv("CI");
            if (ci != null && !ci.isBlank()) {
                fail(reason + " (CI is set: this check must run; .ci/run installs nodejs and npm)");
            }
            LOG.warn(reason);
            Assumptions.abort(reason);
        }
    }

    private static void install() throws IOException, InterruptedException {
        Optional<Path> nodeExe = onPath("node");
        Optional<Path> npmExe = onPath("npm");
        if (nodeExe.isEmpty() || npmExe.isEmpty()) {
            unavailable = (nodeExe.isEmpty() ? "node" : "npm") + " is not on the PATH (install Node.js and npm, "
                    + "e.g. apt-get install nodejs npm)";
            return;
        }
        Files.createDirectories(DIR);
        boolean installed = Files.isRegularFile(DIR.resolve("node_modules/@tensorflow/tfjs/package.json"))
                && Files.exists(DIR.resolve("package-lock.json"))
                && Arrays.equals(
                        Files.readAllBytes(SOURCES.resolve("package-lock.json")),
                        Files.readAllBytes(DIR.resolve("package-lock.json")));
        for (String f : FILES) {
            Files.copy(SOURCES.resolve(f), DIR.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!installed) {
            long t0 = System.nanoTime();
            Run r = run(
                    List.of(
                            npmExe.get().toString(),
                            "ci",
                            "--no-audit",
                            "--no-fund",
                            "--ignore-scripts",
                            "--loglevel=error"),
                    INSTALL_TIMEOUT_S);
            if (r.code != 0) {
                unavailable = "'npm ci' in " + DIR + " failed (exit " + r.code + "): " + tail(r.output);
                return;
            }
            LOG.info("npm ci installed @tensorflow/tfjs in {} s", (System.nanoTime() - t0) / 1_000_000_000L);
        }
        node = nodeExe.get();
    }

    /**
     * The images {@code generate.js} makes with the exported model in {@code modelDir} for that noise and labels
     * ({@code null}: unconditional), {@code [n, h, w, c]}; writes the strip of images to {@code png} if not null.
     */
    static Tensor generate(Path modelDir, Tensor noise, int[] labels, Path png)
            throws IOException, InterruptedException {
        require();
        Path work = Files.createTempDirectory(DIR, "run");
        Path noiseFile = work.resolve("noise.bin");
        Files.write(noiseFile, floats(noise.data()));
        String labelsArg = "-";
        if (labels != null) {
            float[] l = new float[labels.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = labels[i];
            }
            Path labelsFile = work.resolve("labels.bin");
            Files.write(labelsFile, floats(l));
            labelsArg = labelsFile.toAbsolutePath().toString();
        }
        Path out = work.resolve("images.bin");
        List<String> command = new ArrayList<>(List.of(
                node.toString(),
                DIR.resolve("generate.js").toAbsolutePath().toString(),
                modelDir.toAbsolutePath().toString(),
                noiseFile.toAbsolutePath().toString(),
                labelsArg,
                out.toAbsolutePath().toString()));
        if (png != null) {
            command.add(png.toAbsolutePath().toString());
        }
        Run r = run(command, RUN_TIMEOUT_S);
        if (r.code != 0) {
            throw new AssertionError("generate.js failed (exit " + r.code + "):\n" + r.output);
        }
        String last = r.output.strip().lines().reduce((a, b) -> b).orElse("");
        JsonNode report = new ObjectMapper().readTree(last);
        LOG.info("generate.js: {}", last);
        int[] shape = new int[report.get("output").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = report.get("output").get(i).asInt();
        }
        byte[] bytes = Files.readAllBytes(out);
        float[] data = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        for (Path p : List.of(noiseFile, out, work.resolve("labels.bin"))) {
            Files.deleteIfExists(p);
        }
        Files.deleteIfExists(work);
        return new Tensor(shape, data);
    }

    private static byte[] floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    private record Run(int code, String output) {}

    private static Run run(List<String> command, long timeoutS) throws IOException, InterruptedException {
        Path log = Files.createTempFile(DIR, "output", ".txt");
        try {
            Process p = new ProcessBuilder(command)
                    .directory(DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, "timed out after " + timeoutS + " s: " + String.join(" ", command));
            }
            return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String tail(String output) {
        String s = output.strip().replace('\n', ' ');
        return s.length() <= 400 ? s : "..." + s.substring(s.length() - 400);
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
