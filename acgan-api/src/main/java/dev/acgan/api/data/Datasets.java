package dev.acgan.api.data;

import dev.acgan.api.spec.ImageShape;
import java.nio.file.Path;

/**
 * Entry point to the built-in datasets, also by a short textual spec for command lines and configs:
 *
 * <ul>
 *   <li>{@code mnist}: the 10,000 MNIST digits embedded in this jar ({@link EmbeddedMnist});</li>
 *   <li>{@code fashion-mnist}: Fashion-MNIST from {@value FashionMnist#DEFAULT_DIR}
 *       (Debian package {@code dataset-fashion-mnist}); {@code fashion-mnist:DIR} from another directory;</li>
 *   <li>{@code idx:DIR}: any MNIST-format pair of IDX files in {@code DIR} ({@link IdxDataset});</li>
 *   <li>{@code images:DIR}: one sub-folder of images per class ({@link ImageFolderDataset}), at the shape
 *       of the first image.</li>
 * </ul>
 */
public final class Datasets {

    /** The spec forms {@link #fromSpec} understands, for messages and help texts. */
    public static final String SPEC_FORMS = "mnist | fashion-mnist | fashion-mnist:DIR | idx:DIR | images:DIR";

    private Datasets() {}

    /** The 10,000 MNIST digits embedded in this jar. */
    public static IdxDataset embeddedMnist() {
        return EmbeddedMnist.load();
    }

    /** The Fashion-MNIST training split from {@value FashionMnist#DEFAULT_DIR}. */
    public static IdxDataset fashionMnist() {
        return FashionMnist.load(Split.TRAIN);
    }

    /** A Fashion-MNIST split from {@code dir}. */
    public static IdxDataset fashionMnist(Path dir, Split split) {
        return FashionMnist.load(dir, split);
    }

    /** A split of the IDX files in {@code dir}, classes inferred from the labels. */
    public static IdxDataset idx(Path dir, Split split) {
        return IdxDataset.fromDirectory(dir, split);
    }

    /**
     * The images in {@code dir}, one sub-folder per class, converted to {@code shape}.
     *
     * @param resize whether images of another size are resized (otherwise they are an error)
     */
    public static ImageFolderDataset imageFolder(Path dir, ImageShape shape, boolean resize) {
        return ImageFolderDataset.load(dir, shape, resize);
    }

    /**
     * Decodes one image file held in memory (PNG, JPEG, BMP, GIF) into {@code shape.size()} bytes, NHWC,
     * exactly as {@link ImageFolderDataset} decodes a file: 8-bit grey unchanged, colour to grey by BT.601
     * luma, grey to RGB repeated, alpha dropped. For datasets read by other means (Parquet columns of PNG
     * bytes, say).
     *
     * @param encoded the image file's bytes
     * @param source  names the image in errors (a file and row, say)
     * @param shape   the shape wanted: 1 or 3 channels; an image of another height or width is an error
     * @throws DatasetException naming {@code source} when the bytes are not a readable image or its size differs
     */
    public static byte[] decodeImage(byte[] encoded, String source, ImageShape shape) {
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new IllegalArgumentException(
                    "images decode to 1 (greyscale) or 3 (RGB) channels, not " + shape.channels());
        }
        java.awt.image.BufferedImage img = ImageDecoder.read(encoded, source);
        if (img.getHeight() != shape.height() || img.getWidth() != shape.width()) {
            throw new DatasetException(source + ": image is " + img.getHeight() + "x" + img.getWidth()
                    + " (height x width) but " + shape.height() + "x" + shape.width() + " is expected");
        }
        return ImageDecoder.toBytes(img, shape.channels());
    }

    /**
     * The shape {@link #decodeImage} would give an image file held in memory by default: its height and
     * width, 1 channel if it is greyscale, else 3 (as {@link ImageFolderDataset#inferShape} reads a folder's
     * first image).
     *
     * @throws DatasetException naming {@code source} when the bytes are not a readable image
     */
    public static ImageShape imageShape(byte[] encoded, String source) {
        java.awt.image.BufferedImage img = ImageDecoder.read(encoded, source);
        return new ImageShape(img.getHeight(), img.getWidth(), ImageDecoder.isGrey(img) ? 1 : 3);
    }

    /** The training split of the dataset named by {@code spec}; see the class comment for the forms. */
    public static DatasetSource fromSpec(String spec) {
        return fromSpec(spec, Split.TRAIN);
    }

    /**
     * The dataset named by {@code spec}; {@code split} selects the part of {@code fashion-mnist} and
     * {@code idx:} datasets. The embedded {@code mnist} and {@code images:} folders have a single part,
     * so asking them for {@link Split#TEST} is an error.
     */
    public static DatasetSource fromSpec(String spec, Split split) {
        if (spec == null || spec.isBlank()) {
            throw new DatasetException("empty dataset spec; expected one of: " + SPEC_FORMS);
        }
        String s = spec.strip();
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        String arg = colon < 0 ? null : s.substring(colon + 1);
        if (arg != null && arg.isBlank()) {
            throw new DatasetException("dataset spec '" + spec + "' names no directory after '" + kind
                    + ":'; expected one of: " + SPEC_FORMS);
        }
        switch (kind) {
            case "mnist":
                if (arg != null) {
                    break;
                }
                singleSplit(spec, split);
                return embeddedMnist();
            case "fashion-mnist":
                return arg == null ? FashionMnist.load(split) : FashionMnist.load(Path.of(arg), split);
            case "idx":
                if (arg == null) {
                    break;
                }
                return idx(Path.of(arg), split);
            case "images":
                if (arg == null) {
                    break;
                }
                singleSplit(spec, split);
                return ImageFolderDataset.load(Path.of(arg));
            default:
                break;
        }
        throw new DatasetException("unknown dataset spec '" + spec + "'; expected one of: " + SPEC_FORMS
                + " (mnist: 10,000 embedded MNIST digits; fashion-mnist: " + FashionMnist.DEFAULT_DIR
                + "; idx:DIR: MNIST-format IDX files; images:DIR: one sub-folder of images per class)");
    }

    private static void singleSplit(String spec, Split split) {
        if (split != Split.TRAIN) {
            throw new DatasetException("dataset '" + spec + "' has no separate " + split + " split");
        }
    }
}
