package dev.acgan.api.data;

import dev.acgan.api.spec.ImageShape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Labelled images from a directory with one sub-folder per class, the layout many image datasets are
 * shipped in:
 *
 * <pre>
 * DIR/cat/0001.png
 * DIR/cat/0002.jpg
 * DIR/dog/a.png
 * </pre>
 *
 * <p>The class names are the sub-folder names sorted by {@link String#compareTo}; a class's label is
 * its position in that order. Each class folder's own files ({@code .png}, {@code .jpg}, {@code .jpeg},
 * {@code .bmp}, {@code .gif}; case-insensitive) are its examples, in file-name order, class after class;
 * other files, hidden files and nested folders are ignored. Images are decoded with
 * {@link javax.imageio.ImageIO} and converted to greyscale or RGB as the target shape asks (see
 * {@link ImageDecoder}). An image of another size is stretched to the target size (area averaging when
 * shrinking, bilinear when enlarging) when {@code resize} is set, and rejected otherwise.
 *
 * <p>Everything is decoded eagerly into one byte array of {@code count*height*width*channels} bytes
 * (10,000 RGB images of 64x64 take 123 MB), so loading takes time but reading is cheap.
 */
public final class ImageFolderDataset extends ByteImageDataset {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderDataset.class);
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private ImageFolderDataset(DatasetInfo info, byte[] pixels, int[] labels) {
        super(info, pixels, labels);
    }

    /**
     * Loads every image, converted to {@code shape} (whose channel count must be 1 or 3).
     *
     * @param resize whether to resize images of another size; when false they are an error
     */
    public static ImageFolderDataset load(Path dir, ImageShape shape, boolean resize) {
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new IllegalArgumentException(
                    "image folders load as 1 (greyscale) or 3 (RGB) channels, not " + shape.channels());
        }
        List<Path> classDirs = classDirectories(dir);
        List<String> classNames = new ArrayList<>();
        List<List<Path>> files = new ArrayList<>();
        int count = 0;
        for (Path classDir : classDirs) {
            List<Path> images = imageFiles(classDir);
            classNames.add(FileNames.name(classDir));
            files.add(images);
            count += images.size();
        }
        long bytes = (long) count * shape.size();
        if (bytes > IdxReader.MAX_PAYLOAD) {
            throw new DatasetException(dir + ": " + count + " images of " + shape + " need " + bytes
                    + " bytes, more than one in-memory dataset holds (" + IdxReader.MAX_PAYLOAD + ")");
        }
        byte[] pixels = new byte[(int) bytes];
        int[] labels = new int[count];
        int n = 0;
        for (int label = 0; label < files.size(); label++) {
            for (Path file : files.get(label)) {
                byte[] px = decode(file, shape, resize);
                System.arraycopy(px, 0, pixels, n * shape.size(), px.length);
                labels[n++] = label;
            }
        }
        DatasetInfo info = new DatasetInfo("images:" + dir, count, shape, classNames);
        ImageFolderDataset dataset = new ImageFolderDataset(info, pixels, labels);
        LOG.debug("loaded {}", dataset);
        return dataset;
    }

    /**
     * Loads every image at the shape of the first one (the first file of the first class): its height
     * and width, and 1 channel if it is greyscale or 3 otherwise. Other images are converted to that
     * channel count; images of another size are an error.
     */
    public static ImageFolderDataset load(Path dir) {
        return load(dir, inferShape(dir), false);
    }

    /** The shape {@link #load(Path)} uses: that of the first image of the first class. */
    public static ImageShape inferShape(Path dir) {
        List<Path> classDirs = classDirectories(dir);
        Path first = imageFiles(classDirs.get(0)).get(0);
        BufferedImage img = ImageDecoder.read(first);
        return new ImageShape(img.getHeight(), img.getWidth(), ImageDecoder.isGrey(img) ? 1 : 3);
    }

    private static byte[] decode(Path file, ImageShape shape, boolean resize) {
        BufferedImage img = ImageDecoder.read(file);
        int h = img.getHeight();
        int w = img.getWidth();
        if ((h != shape.height() || w != shape.width()) && !resize) {
            throw new DatasetException(file + ": image is " + h + "x" + w + " (height x width) but the dataset"
                    + " expects " + shape.height() + "x" + shape.width() + "; resize the images or enable resizing");
        }
        byte[] px = ImageDecoder.toBytes(img, shape.channels());
        if (h == shape.height() && w == shape.width()) {
            return px;
        }
        return Resampler.resize(px, h, w, shape.channels(), shape.height(), shape.width());
    }

    /** The class folders in name order; fails when there are none. */
    private static List<Path> classDirectories(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir + ": " + (Files.exists(dir) ? "is not a directory" : "no such directory")
                    + "; expected a directory with one sub-folder of images per class");
        }
        List<Path> entries = list(dir);
        List<Path> classDirs = entries.stream()
                .filter(Files::isDirectory)
                .filter(p -> !hidden(p))
                .collect(Collectors.toList());
        if (classDirs.isEmpty()) {
            long loose =
                    entries.stream().filter(ImageFolderDataset::isImageFile).count();
            throw new DatasetException(dir + ": no class folders: expected one sub-folder of images per class"
                    + " (DIR/CLASS/IMAGE.png)"
                    + (loose > 0
                            ? "; found " + loose + " image file(s) directly in " + dir
                                    + ", move them into a folder per class"
                            : ""));
        }
        return classDirs;
    }

    /** The image files of one class folder in name order; fails when there are none. */
    private static List<Path> imageFiles(Path classDir) {
        List<Path> entries = list(classDir);
        List<Path> images =
                entries.stream().filter(ImageFolderDataset::isImageFile).collect(Collectors.toList());
        if (images.isEmpty()) {
            throw new DatasetException(classDir + ": class folder holds no images (expected files ending in "
                    + EXTENSIONS.stream().sorted().map(e -> "." + e).collect(Collectors.joining(", ")) + "; found "
                    + entries.size() + " other entr" + (entries.size() == 1 ? "y" : "ies") + ")");
        }
        if (images.size() < entries.size()) {
            LOG.debug("{}: ignoring {} entries that are not image files", classDir, entries.size() - images.size());
        }
        return images;
    }

    private static boolean isImageFile(Path p) {
        String name = FileNames.name(p);
        int dot = name.lastIndexOf('.');
        return !hidden(p)
                && dot > 0
                && Files.isRegularFile(p)
                && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hidden(Path p) {
        return FileNames.name(p).startsWith(".");
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted(Comparator.comparing(p -> FileNames.name(p))).collect(Collectors.toList());
        } catch (IOException e) {
            throw new DatasetException(dir + ": cannot list directory: " + e, e);
        }
    }
}
