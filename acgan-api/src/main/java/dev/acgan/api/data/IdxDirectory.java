package dev.acgan.api.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the images and labels files of one split in a directory of IDX files.
 *
 * <p>File names are matched case-insensitively against
 * {@code PREFIX-images-idx3-ubyte[.gz]} (or {@code idx4}) and {@code PREFIX-labels-idx1-ubyte[.gz]},
 * where the separators may be {@code -}, {@code _} or {@code .} (so {@code train-images.idx3-ubyte}
 * from some mirrors works too). The prefix selects the split ({@link Split#filePrefixes()}: {@code train}
 * for training, {@code t10k} or {@code test} for test). A directory holding a single pair with another
 * prefix (e.g. {@code mnist-images-idx3-ubyte.gz}) serves as its {@link Split#TRAIN} split. When both a
 * raw and a {@code .gz} file exist, the raw one is used.
 *
 * @param images the images file
 * @param labels the labels file
 */
record IdxDirectory(Path images, Path labels) {

    private static final Pattern IMAGES = Pattern.compile("(.*?)[-_.]images[-_.]idx[34][-_.]ubyte(\\.gz)?");
    private static final Pattern LABELS = Pattern.compile("(.*?)[-_.]labels[-_.]idx1[-_.]ubyte(\\.gz)?");
    private static final int MAX_LISTED = 30;

    /** Locates the pair for {@code split} in {@code dir}, or fails listing what the directory holds. */
    static IdxDirectory locate(Path dir, Split split) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir + ": " + (Files.exists(dir) ? "is not a directory" : "no such directory")
                    + "; expected a directory holding IDX files such as train-images-idx3-ubyte.gz and"
                    + " train-labels-idx1-ubyte.gz");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(Path::toString))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new DatasetException(dir + ": cannot list directory: " + e, e);
        }
        Map<String, Path> images = byPrefix(files, IMAGES);
        Map<String, Path> labels = byPrefix(files, LABELS);

        Optional<String> prefix =
                split.filePrefixes().stream().filter(images::containsKey).findFirst();
        if (prefix.isEmpty() && split == Split.TRAIN && images.size() == 1) {
            String only = images.keySet().iterator().next();
            boolean otherSplit = Split.TEST.filePrefixes().contains(only);
            if (!otherSplit) {
                prefix = Optional.of(only);
            }
        }
        if (prefix.isEmpty()) {
            throw new DatasetException(dir + ": no " + split + " images file: expected "
                    + split.filePrefixes().get(0) + "-images-idx3-ubyte[.gz] (or a name starting with "
                    + String.join("/", split.filePrefixes()) + "); found " + describe(files));
        }
        Path labelsFile = labels.get(prefix.get());
        if (labelsFile == null) {
            throw new DatasetException(
                    dir + ": found images file " + images.get(prefix.get()).getFileName()
                            + " but no matching labels file " + prefix.get() + "-labels-idx1-ubyte[.gz]; found "
                            + describe(files));
        }
        return new IdxDirectory(images.get(prefix.get()), labelsFile);
    }

    /** Maps lower-case prefix to file, preferring the uncompressed variant. */
    private static Map<String, Path> byPrefix(List<Path> files, Pattern pattern) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (Path f : files) {
            Matcher m = pattern.matcher(FileNames.name(f).toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                continue;
            }
            String prefix = m.group(1);
            boolean gz = m.group(2) != null;
            Path previous = out.get(prefix);
            if (previous == null
                    || (!gz && FileNames.name(previous).toLowerCase(Locale.ROOT).endsWith(".gz"))) {
                out.put(prefix, f);
            }
        }
        return out;
    }

    private static String describe(List<Path> files) {
        if (files.isEmpty()) {
            return "no files";
        }
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            if (names.size() == MAX_LISTED) {
                names.add("... (" + (files.size() - MAX_LISTED) + " more)");
                break;
            }
            names.add(FileNames.name(f));
        }
        return files.size() + " file(s): " + String.join(", ", names);
    }
}
