package dev.acgan.samples.run;

import dev.acgan.samples.cli.CliException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of a training run's output directory:
 *
 * <pre>
 * OUTDIR/
 *   config.yaml                      effective settings (feed back with --config)
 *   metrics.csv                      one row per step
 *   loss.png                         loss curves
 *   checkpoints/step-000000123/      training checkpoints (last --keep kept)
 *   checkpoints/latest               name of the newest one, replaced atomically
 *   generator/                       generator-only export of the newest checkpoint
 *   samples/grid-step-000000123.png  fixed-noise sample grids
 *   samples/progress.gif             all grids, animated
 * </pre>
 *
 * @param dir the output directory
 */
public record RunLayout(Path dir) {

    /** The pointer file's name in {@code checkpoints/}. */
    public static final String LATEST = "latest";

    /** {@code checkpoints/}. */
    public Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    /** {@code checkpoints/step-NNNNNNNNN}. */
    public Path checkpoint(long step) {
        return checkpoints().resolve(CheckpointStore.dirName(step));
    }

    /** {@code checkpoints/latest}. */
    public Path latestPointer() {
        return checkpoints().resolve(LATEST);
    }

    /** {@code generator/}. */
    public Path generator() {
        return dir.resolve("generator");
    }

    /** {@code samples/}. */
    public Path samples() {
        return dir.resolve("samples");
    }

    /** {@code samples/grid-step-NNNNNNNNN.png}. */
    public Path grid(long step) {
        return samples().resolve(String.format("grid-step-%09d.png", step));
    }

    /** {@code samples/progress.gif}. */
    public Path progressGif() {
        return samples().resolve("progress.gif");
    }

    /** {@code metrics.csv}. */
    public Path metrics() {
        return dir.resolve("metrics.csv");
    }

    /** {@code loss.png}. */
    public Path lossPlot() {
        return dir.resolve("loss.png");
    }

    /** {@code config.yaml}. */
    public Path config() {
        return dir.resolve("config.yaml");
    }

    /** Whether the directory already holds training checkpoints. */
    public boolean holdsRun() {
        return Files.exists(latestPointer())
                || !CheckpointStore.list(checkpoints()).isEmpty();
    }

    /**
     * Creates the directories and checks that they can be written.
     *
     * @throws CliException with one line saying why not
     */
    public RunLayout prepare() {
        for (Path p : new Path[] {dir, checkpoints(), samples()}) {
            try {
                Files.createDirectories(p);
            } catch (FileAlreadyExistsException e) {
                throw new CliException("cannot create output directory " + dir + ": " + e.getFile()
                        + " exists and is not a directory");
            } catch (AccessDeniedException e) {
                throw new CliException(
                        "cannot create output directory " + dir + ": permission denied for " + e.getFile());
            } catch (FileSystemException e) {
                throw new CliException(
                        "cannot create output directory " + dir + ": " + e.getFile() + ": " + e.getReason());
            } catch (IOException e) {
                throw new CliException("cannot create output directory " + dir + ": " + e.getMessage());
            }
        }
        try {
            Path probe = Files.createTempFile(dir, ".acgan-write-test", "");
            Files.delete(probe);
        } catch (IOException e) {
            throw new CliException("output directory " + dir + " is not writable: " + e.getMessage());
        }
        return this;
    }
}
