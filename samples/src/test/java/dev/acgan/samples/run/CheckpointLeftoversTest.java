package dev.acgan.samples.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What crashes leave in a run directory: a damaged {@code latest} pointer and half-written checkpoints. */
class CheckpointLeftoversTest {

    @TempDir
    Path dir;

    @Test
    void aDamagedLatestPointerFallsBackToTheNewestStepDirectory() throws Exception {
        RunLayout layout = new RunLayout(dir);
        Files.createDirectories(layout.checkpoint(1));
        Files.createDirectories(layout.checkpoint(2));
        Files.createDirectories(layout.checkpoints().resolve("other"));
        for (String content : List.of(
                "",
                "..",
                ".",
                "other",
                "step-000000009",
                "step-000000001/../..",
                "\u0000",
                "step-000000001\u0000",
                "/etc",
                "x".repeat(10 << 20))) {
            Files.writeString(layout.latestPointer(), content, StandardCharsets.UTF_8);
            assertEquals(
                    Optional.of(layout.checkpoint(2)),
                    CheckpointStore.latest(layout),
                    "latest holding '" + content.substring(0, Math.min(20, content.length())) + "'");
        }
        Files.write(layout.latestPointer(), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertEquals(Optional.of(layout.checkpoint(2)), CheckpointStore.latest(layout), "bytes that are not UTF-8");
        Files.writeString(layout.latestPointer(), "step-000000001\n", StandardCharsets.UTF_8);
        assertEquals(Optional.of(layout.checkpoint(1)), CheckpointStore.latest(layout));
    }

    @Test
    void interruptedWritesAreRemovedButAFallbackIsKept() throws Exception {
        RunLayout layout = new RunLayout(dir);
        Files.createDirectories(layout.checkpoint(2));
        for (String leftover : List.of(
                ".step-000000003.tmp-5f0e3c1a-8d2b-4a6e-9c1f-2b7d9e4a1c3b",
                ".step-000000002.old-0a1b2c3d-0000-4000-8000-000000000000",
                ".latest.tmp")) {
            Files.createDirectories(layout.checkpoints().resolve(leftover));
        }
        Files.createDirectories(dir.resolve(".generator.tmp-0a1b2c3d-0000-4000-8000-000000000001"));
        // generator/ itself is missing: its set-aside old version is what Checkpoint.read falls back to.
        Files.createDirectories(dir.resolve(".generator.old-0a1b2c3d-0000-4000-8000-000000000002"));
        Files.writeString(
                layout.checkpoints()
                        .resolve(".step-000000003.tmp-5f0e3c1a-8d2b-4a6e-9c1f-2b7d9e4a1c3b")
                        .resolve("tensors.safetensors"),
                "partial");

        new CheckpointStore(layout, 3).removeLeftovers();

        assertEquals(List.of(".latest.tmp", "step-000000002"), names(layout.checkpoints()));
        assertEquals(List.of(".generator.old-0a1b2c3d-0000-4000-8000-000000000002", "checkpoints"), names(dir));
    }

    private static List<String> names(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
