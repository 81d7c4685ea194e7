package dev.acgan.samples.run;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointMetadata;
import dev.acgan.api.train.Trainer;
import dev.acgan.eval.render.Images;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a run's checkpoints: {@code checkpoints/step-NNNNNNNNN} (training state, via the atomic
 * {@link Checkpoint#write}), the generator-only export {@code generator/}, and the {@code latest}
 * pointer (a one-line file naming the newest checkpoint directory, replaced atomically). Keeps the
 * newest {@code keep} training checkpoints.
 */
public final class CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");
    /** Hidden directories of interrupted {@link Checkpoint#write}s: {@code .NAME.tmp-UUID}, {@code .NAME.old-UUID}. */
    private static final Pattern LEFTOVER = Pattern.compile("\\.(step-\\d+|generator)\\.(tmp|old)-[0-9a-f-]+");

    private final RunLayout layout;
    private final int keep;
    private long lastSavedStep = -1;
    private Path lastSaved;
    private boolean leftoversRemoved;

    /** Stores into the layout's directories, keeping {@code keep} training checkpoints. */
    public CheckpointStore(RunLayout layout, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, got " + keep);
        }
        this.layout = layout;
        this.keep = keep;
    }

    /** {@code step-NNNNNNNNN}. */
    public static String dirName(long step) {
        return String.format("step-%09d", step);
    }

    /** Records that a checkpoint of this step already exists (a resumed run). */
    public void markSaved(long step, Path dir) {
        lastSavedStep = step;
        lastSaved = dir;
    }

    /** The step of the last checkpoint written or marked, or -1. */
    public long lastSavedStep() {
        return lastSavedStep;
    }

    /** The last checkpoint directory written or marked, or null. */
    public Path lastSaved() {
        return lastSaved;
    }

    /** Writes a training checkpoint of the trainer's state, the generator export and the pointer; prunes. */
    public Path save(Trainer trainer) {
        if (!leftoversRemoved) {
            removeLeftovers();
            leftoversRemoved = true;
        }
        Checkpoint c = trainer.checkpoint();
        long step = c.metadata().position().step();
        Path dir = layout.checkpoint(step);
        long t0 = System.nanoTime();
        CheckpointMetadata written = c.write(dir);
        c.generatorOnly().write(layout.generator());
        writeLatest(layout, FileNames.name(dir));
        lastSavedStep = step;
        lastSaved = dir;
        LOG.debug(
                "checkpoint {} written ({} MB) in {} ms",
                dir,
                written.tensorsBytes() >> 20,
                (System.nanoTime() - t0) / 1_000_000);
        prune(dir);
        return dir;
    }

    /**
     * Removes what writes interrupted by a crash left beside the checkpoints: {@code .NAME.tmp-*} directories
     * (never complete in place, and as large as a checkpoint each) and {@code .NAME.old-*} ones whose
     * {@code NAME} exists again (a missing one is the fallback {@link Checkpoint#read} takes, so it stays). One
     * training writes a run directory, so nothing else is writing them.
     */
    void removeLeftovers() {
        for (Path parent : List.of(layout.checkpoints(), layout.dir())) {
            if (!Files.isDirectory(parent)) {
                continue;
            }
            List<Path> stale = new ArrayList<>();
            try (Stream<Path> s = Files.list(parent)) {
                s.forEach(p -> {
                    Matcher m = LEFTOVER.matcher(FileNames.name(p));
                    if (m.matches() && (m.group(2).equals("tmp") || Files.isDirectory(parent.resolve(m.group(1))))) {
                        stale.add(p);
                    }
                });
            } catch (IOException e) {
                LOG.warn("cannot list {}: {}", parent, e.toString());
            }
            for (Path p : stale) {
                deleteTree(p);
                LOG.info("removed {}, left by an interrupted checkpoint write", p);
            }
        }
    }

    /** Replaces {@code checkpoints/latest} atomically. */
    static void writeLatest(RunLayout layout, String name) {
        Images.writeAtomically(
                layout.latestPointer(), tmp -> Files.writeString(tmp, name + "\n", StandardCharsets.UTF_8));
    }

    private void prune(Path current) {
        List<Path> all = list(layout.checkpoints());
        for (int i = 0; i < all.size() - keep; i++) {
            Path old = all.get(i);
            if (!old.equals(current)) {
                deleteTree(old);
                LOG.debug("removed old checkpoint {}", old);
            }
        }
    }

    /** The {@code step-N} directories in {@code checkpointsDir}, oldest step first (empty when none). */
    public static List<Path> list(Path checkpointsDir) {
        if (!Files.isDirectory(checkpointsDir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(checkpointsDir)) {
            s.filter(p -> STEP_DIR.matcher(FileNames.name(p)).matches() && Files.isDirectory(p))
                    .forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + checkpointsDir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingLong(CheckpointStore::stepOf));
        return out;
    }

    /** The step number in a {@code step-N} directory name, or -1. */
    public static long stepOf(Path dir) {
        Matcher m = STEP_DIR.matcher(FileNames.name(dir));
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * The checkpoint directory a user-given path names: the path itself when it holds
     * {@code checkpoint.json}, else for a run directory its newest training checkpoint, else its
     * generator export; empty when none of these is there.
     */
    public static Optional<Path> resolve(Path p) {
        if (Files.isRegularFile(p.resolve(Checkpoint.METADATA_FILE))) {
            return Optional.of(p);
        }
        RunLayout layout = new RunLayout(p);
        Optional<Path> latest = latest(layout);
        if (latest.isPresent()) {
            return latest;
        }
        if (Files.isRegularFile(layout.generator().resolve(Checkpoint.METADATA_FILE))) {
            return Optional.of(layout.generator());
        }
        return Optional.empty();
    }

    /**
     * The newest checkpoint of a run: the one {@code checkpoints/latest} names, or when that file is
     * missing or stale, the {@code step-N} directory of the highest step.
     */
    public static Optional<Path> latest(RunLayout layout) {
        Path pointer = layout.latestPointer();
        if (Files.isRegularFile(pointer)) {
            try (java.io.InputStream in = Files.newInputStream(pointer)) {
                // A step-N name is all it may hold: at most a short line is read, and nothing else is resolved.
                String name = new String(in.readNBytes(64), StandardCharsets.UTF_8).strip();
                if (STEP_DIR.matcher(name).matches()
                        && Files.isDirectory(layout.checkpoints().resolve(name))) {
                    return Optional.of(layout.checkpoints().resolve(name));
                }
                LOG.warn(
                        "{} names '{}', which is not an existing step-N directory; using the newest one",
                        pointer,
                        name.replaceAll("\\p{Cntrl}", "?"));
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", pointer, e.toString());
            }
        }
        List<Path> all = list(layout.checkpoints());
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    static void deleteTree(Path dir) {
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
