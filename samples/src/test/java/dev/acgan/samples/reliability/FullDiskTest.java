package dev.acgan.samples.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.samples.run.RunLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up during a checkpoint write (docs/RELIABILITY.md): a run trains 2 steps, its disk is then
 * filled to less than one checkpoint's size, and resuming it must end with one clear error line naming the
 * checkpoint and the cause, the step-2 checkpoint, its generator export and {@code latest} intact and no
 * temporary directory left behind; once space is free again the run resumes and ends on the weights of an
 * uninterrupted run. The disk is a 160 MB tmpfs where this process may mount one (root on Linux, as in CI);
 * elsewhere the child runs under {@code ulimit -f} so that the tensor file's write fails with EFBIG ("File too
 * large") instead: a real failing write either way, not a simulated one.
 */
class FullDiskTest {

    private static final List<String> RECIPE = List.of(
            "train",
            "--model",
            "gan",
            "--batch-size",
            "8",
            "--seed",
            "4",
            "--sample-every",
            "0",
            "--checkpoint-every",
            "1");

    @TempDir
    Path tmp;

    @Test
    void aFullDiskGivesAClearErrorAndKeepsThePreviousCheckpoint() throws Exception {
        Path logs = tmp.resolve("logs");
        Path disk = tmp.resolve("disk");
        Files.createDirectories(disk);
        // -Dacgan.fulldisk=ulimit takes the fallback where a tmpfs could be mounted.
        boolean tmpfs = !"ulimit".equals(System.getProperty("acgan.fulldisk")) && mountTmpfs(disk);
        try {
            Path run = disk.resolve("run");
            RunLayout layout = new RunLayout(run);
            ChildCli.Child first =
                    ChildCli.start(logs, "first", null, args("--steps", "2", "--outdir", run.toString()));
            assertEquals(0, first.await(300), first::stderr);
            long checkpointBytes =
                    Checkpoint.read(layout.checkpoint(2)).metadata().tensorsBytes();

            String limit = null;
            Path filler = disk.resolve("filler");
            if (tmpfs) {
                fill(filler, disk, checkpointBytes / 2);
            } else {
                limit = "ulimit -f " + checkpointBytes / 2 / 1024;
            }
            ChildCli.Child full =
                    ChildCli.start(logs, "full", limit, List.of("train", "--resume", run.toString(), "--steps", "5"));
            int code = full.await(300);
            // TensorFlow's two absl start-up lines ignore TF_CPP_MIN_LOG_LEVEL; the ./acgan launcher filters them.
            List<String> errLines = full.stderr()
                    .lines()
                    .filter(l -> !l.isBlank())
                    .filter(l -> !l.startsWith("WARNING: All log messages before absl"))
                    .filter(l -> !l.matches("[IWE]\\d{4} .*"))
                    .toList();
            assertEquals(1, code, full::stderr);
            assertEquals(1, errLines.size(), full::stderr);
            String error = errLines.get(0);
            String cause = tmpfs ? "No space left on device" : "File too large";
            assertTrue(error.startsWith("acgan train: cannot write checkpoint " + layout.checkpoint(3)), error);
            assertTrue(error.contains(cause), error);

            // The previous checkpoint, its export and the pointer are intact; nothing half-written is left.
            assertEquals(
                    "step-000000002", Files.readString(layout.latestPointer()).strip());
            assertEquals(
                    2,
                    Checkpoint.read(layout.checkpoint(2)).metadata().position().step());
            assertEquals(
                    2, Checkpoint.read(layout.generator()).metadata().position().step());
            assertEquals(List.of(), hidden(layout.checkpoints()));
            assertEquals(List.of(), hidden(run));
            assertTrue(!Files.exists(layout.checkpoint(3)), "no step-3 checkpoint");

            // With space again, the run continues to the weights of one that never failed.
            Files.deleteIfExists(filler);
            ChildCli.Child again =
                    ChildCli.start(logs, "again", null, List.of("train", "--resume", run.toString(), "--steps", "5"));
            assertEquals(0, again.await(300), again::stderr);
            Path reference = tmp.resolve("reference");
            ChildCli.Child ref =
                    ChildCli.start(logs, "reference", null, args("--steps", "5", "--outdir", reference.toString()));
            assertEquals(0, ref.await(300), ref::stderr);
            assertEquals(
                    Checkpoint.read(new RunLayout(reference).checkpoint(5))
                            .tensors()
                            .asMap(),
                    Checkpoint.read(layout.checkpoint(5)).tensors().asMap());
            System.out.println("full disk (" + (tmpfs ? "tmpfs" : "ulimit -f") + "): " + error);
        } finally {
            if (tmpfs) {
                exec("umount", disk.toString());
            }
        }
    }

    /** Mounts a 160 MB tmpfs; false where this process may not. */
    private static boolean mountTmpfs(Path dir) throws Exception {
        if (!System.getProperty("os.name").startsWith("Linux")) {
            return false;
        }
        return exec("mount", "-t", "tmpfs", "-o", "size=160m", "acgan-full-disk", dir.toString()) == 0;
    }

    /** Writes zeros until {@code free} bytes or fewer remain on the file system. */
    private static void fill(Path filler, Path disk, long free) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
        try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long left = Files.getFileStore(disk).getUsableSpace() - free;
            while (left > 0) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), left));
                left -= ch.write(zeros);
            }
        }
    }

    private static List<String> hidden(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("."))
                    .forEach(out::add);
        }
        return out;
    }

    private static int exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static List<String> args(String... more) {
        List<String> a = new ArrayList<>(RECIPE);
        a.addAll(List.of(more));
        return a;
    }
}
