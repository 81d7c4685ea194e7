package dev.acgan.samples.run;

import java.nio.file.Path;

/** File names of the paths a run directory holds. */
public final class FileNames {

    private FileNames() {}

    /** The last element of {@code p}, or the whole path where it has none (a root). */
    public static String name(Path p) {
        Path name = p.getFileName();
        return name == null ? p.toString() : name.toString();
    }
}
