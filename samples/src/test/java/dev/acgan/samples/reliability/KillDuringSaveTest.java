package dev.acgan.samples.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.samples.run.CheckpointStore;
import dev.acgan.samples.run.RunLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill-during-save (docs/RELIABILITY.md): a real {@code acgan train} in a child JVM, checkpointing every
 * step, is killed with SIGKILL at random moments, most of them timed to land while it writes a checkpoint
 * (a hidden {@code .step-N.tmp-*}, {@code .old-*} or generator export directory is in flight), the rest at
 * any moment, start-up included. After every kill {@code checkpoints/latest} must name a complete checkpoint
 * that reads back with its SHA-256 verified, and so must the checkpoint {@code --resume} picks and the
 * generator export; then the run is resumed, and killed again. Every run that reaches its last step must end
 * with exactly the weights (every tensor, Adam state included) of an uninterrupted run.
 *
 * <p>{@code mvn verify} makes 10 kills (about a minute and a half); {@code -Dacgan.kill.kills=100} is the long
 * mode; {@code -Dacgan.kill.steps} and {@code -Dacgan.kill.seed} change the run length and the kill timing.
 * A summary goes to {@code target/reliability/kill-during-save.txt}.
 */
class KillDuringSaveTest {

    private static final int KILLS = Integer.getInteger("acgan.kill.kills", 10);
    private static final int STEPS = Integer.getInteger("acgan.kill.steps", 8);
    private static final long SEED = Long.getLong("acgan.kill.seed", System.nanoTime());
    /** Share of kills at a uniformly random moment of the child's life instead of inside a write. */
    private static final double ANYTIME_SHARE = 0.25;

    private static final long CHILD_TIMEOUT_S = 300;

    private static final List<String> RECIPE = List.of(
            "train",
            "--model",
            "gan",
            "--batch-size",
            "8",
            "--seed",
            "3",
            "--sample-every",
            "0",
            "--checkpoint-every",
            "1",
            "--keep",
            "2");

    @TempDir
    Path tmp;

    private final SplittableRandom random = new SplittableRandom(SEED);
    private int kills;
    private int insideWrites;
    private int atStartUp;
    private final List<String> debrisSeen = new ArrayList<>();

    @Test
    void everyKillLeavesAVerifiedLatestCheckpointAndResumeEndsOnTheUninterruptedWeights() throws Exception {
        Path logs = tmp.resolve("logs");
        Path reference = tmp.resolve("reference");
        ChildCli.Child ref = ChildCli.start(
                logs, "reference", null, args(RECIPE, "--steps", "" + STEPS, "--outdir", reference.toString()));
        assertEquals(0, ref.await(CHILD_TIMEOUT_S), ref::stderr);
        Map<String, Tensor> expected = Checkpoint.read(new RunLayout(reference).checkpoint(STEPS))
                .tensors()
                .asMap();
        Map<String, Tensor> expectedGenerator =
                Checkpoint.read(new RunLayout(reference).generator()).tensors().asMap();

        int rounds = 0;
        int lives = 0;
        long t0 = System.nanoTime();
        while (rounds == 0 || kills < KILLS) {
            Path dir = tmp.resolve("run-" + rounds);
            RunLayout layout = new RunLayout(dir);
            while (!reachedTheEnd(layout)) {
                lives++;
                boolean started = layout.holdsRun();
                List<String> a = started
                        ? List.of("train", "--resume", dir.toString(), "--steps", "" + STEPS)
                        : args(RECIPE, "--steps", "" + STEPS, "--outdir", dir.toString());
                // What earlier kills left behind is not a write of this life.
                List<String> before = inFlight(layout);
                ChildCli.Child child = ChildCli.start(logs, "run-" + rounds + "-life-" + lives, null, a);
                if (kills < KILLS && killSomewhere(child, layout, before)) {
                    checkAfterKill(layout, child, before);
                    continue;
                }
                int code = child.await(CHILD_TIMEOUT_S);
                assertEquals(0, code, () -> "life " + a + " failed; stderr:\n" + child.stderr());
                break;
            }
            assertEquals(
                    expected,
                    Checkpoint.read(layout.checkpoint(STEPS)).tensors().asMap(),
                    "training state at step " + STEPS + " after " + rounds + " round(s) of kills and resumes");
            assertEquals(
                    expectedGenerator,
                    Checkpoint.read(layout.generator()).tensors().asMap(),
                    "generator export");
            assertEquals(
                    CheckpointStore.dirName(STEPS),
                    Files.readString(layout.latestPointer()).strip());
            assertEquals(List.of(), inFlight(layout), "what interrupted writes left was removed");
            rounds++;
        }
        String summary = String.format(
                Locale.ROOT,
                "kill-during-save: %d SIGKILLs (%d inside a checkpoint write, "
                        + "%d before the child announced its training, %d at other moments), %d child JVMs, %d run(s) of %d steps "
                        + "resumed to the end with every tensor equal to the uninterrupted run, %.0f s, kill seed %d%n"
                        + "in-flight entries seen at kills: %s%n",
                kills,
                insideWrites,
                atStartUp,
                kills - insideWrites - atStartUp,
                lives + 1,
                rounds,
                STEPS,
                (System.nanoTime() - t0) / 1e9,
                SEED,
                summarize(debrisSeen));
        System.out.print(summary);
        Path report = Path.of("target", "reliability", "kill-during-save.txt");
        Files.createDirectories(report.getParent());
        Files.writeString(report, summary, StandardCharsets.UTF_8);
        assertTrue(kills >= KILLS);
    }

    /** Whether the run's newest checkpoint is its last step (a kill may land after it, e.g. in the GIF). */
    private static boolean reachedTheEnd(RunLayout layout) {
        return CheckpointStore.resolve(layout.dir())
                        .map(CheckpointStore::stepOf)
                        .orElse(-1L)
                >= STEPS;
    }

    /**
     * Kills the child either at a random moment (start-up included) or a random delay after it has begun one of
     * its first checkpoint writes; returns false when it exited first.
     */
    private boolean killSomewhere(ChildCli.Child child, RunLayout layout, List<String> before) throws Exception {
        long deadline = System.nanoTime() + CHILD_TIMEOUT_S * 1_000_000_000L;
        if (random.nextDouble() < ANYTIME_SHARE) {
            long at = System.nanoTime() + random.nextLong(8_000) * 1_000_000L;
            while (System.nanoTime() < at) {
                if (!child.process.isAlive()) {
                    return false;
                }
                Thread.sleep(5);
            }
        } else {
            int writes = 1 + random.nextInt(3);
            List<String> seen = new ArrayList<>();
            while (seen.size() < writes) {
                if (!child.process.isAlive()) {
                    return false;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no checkpoint write seen within " + CHILD_TIMEOUT_S + " s");
                }
                for (String d : inFlight(layout)) {
                    if (!seen.contains(d) && !before.contains(d)) {
                        seen.add(d);
                    }
                }
                Thread.sleep(1);
            }
            Thread.sleep(random.nextInt(120));
        }
        if (!child.process.isAlive()) {
            return false;
        }
        child.kill();
        kills++;
        return true;
    }

    private void checkAfterKill(RunLayout layout, ChildCli.Child child, List<String> before) throws IOException {
        List<String> debris = new ArrayList<>(inFlight(layout));
        debris.removeAll(before);
        if (!debris.isEmpty()) {
            insideWrites++;
            debrisSeen.addAll(debris);
        } else if (!child.stdout().contains("Resuming") && !child.stdout().contains("Training ")) {
            atStartUp++; // killed before it had even said what it trains: JVM start, loading, compiling
        }
        String context = "after kill " + kills + " (in flight: " + debris + "); child stderr:\n" + child.stderr();
        if (Files.exists(layout.latestPointer())) {
            String name = Files.readString(layout.latestPointer(), StandardCharsets.UTF_8)
                    .strip();
            Path named = layout.checkpoints().resolve(name);
            assertTrue(Files.isDirectory(named), "latest names " + name + ", which does not exist " + context);
            Checkpoint c = read(named, context);
            assertEquals(CheckpointStore.stepOf(named), c.metadata().position().step(), "step of " + named);
            read(layout.generator(), context);
        }
        Optional<Path> resumeFrom = CheckpointStore.resolve(layout.dir());
        if (resumeFrom.isPresent()) {
            read(resumeFrom.get(), context);
        }
    }

    private static Checkpoint read(Path dir, String context) {
        try {
            return Checkpoint.read(dir);
        } catch (RuntimeException e) {
            throw new AssertionError(dir + " does not read back " + context, e);
        }
    }

    /** Hidden entries of writes in flight: checkpoint and export temporaries and set-aside old versions. */
    private static List<String> inFlight(RunLayout layout) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path parent : List.of(layout.checkpoints(), layout.dir())) {
            if (!Files.isDirectory(parent)) {
                continue;
            }
            try (Stream<Path> s = Files.list(parent)) {
                s.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith(".step-") || n.startsWith(".generator.") || n.startsWith(".latest"))
                        .forEach(out::add);
            } catch (java.nio.file.NoSuchFileException e) {
                // created or removed while listing
            }
        }
        return out;
    }

    /** Counts of the kinds of in-flight entries (tmp, old, latest) seen at kills. */
    private static String summarize(List<String> names) {
        Map<String, Integer> kinds = new java.util.TreeMap<>();
        for (String n : names) {
            String kind = (n.startsWith(".generator")
                            ? "generator export "
                            : n.startsWith(".latest") ? "latest pointer " : "training checkpoint ")
                    + (n.contains(".tmp") ? "temporary" : n.contains(".old-") ? "old version" : "other");
            kinds.merge(kind, 1, Integer::sum);
        }
        return kinds.toString();
    }

    private static List<String> args(List<String> base, String... more) {
        List<String> a = new ArrayList<>(base);
        a.addAll(List.of(more));
        return a;
    }
}
