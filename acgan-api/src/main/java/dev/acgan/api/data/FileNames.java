package dev.acgan.api.data;

import java.nio.file.Path;

/** File names of listed paths. */
final class FileNames {

    private FileNames() {}

    /** The last element of {@code p}, or the whole path where it has none (a root). */
    static String name(Path p) {
        Path name = p.getFileName();
        return name == null ? p.toString() : name.toString();
    }
}
