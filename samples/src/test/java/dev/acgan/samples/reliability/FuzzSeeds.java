package dev.acgan.samples.reliability;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.data.IdxDataset;
import dev.acgan.api.spec.GanKind;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.LayerSpec;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.NoiseDistribution;
import dev.acgan.api.spec.Padding;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.samples.cli.AcganCli;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/**
 * Writes the seed inputs of the fuzz tests from real files (a diagnostic main, run once; its outputs are
 * committed): the first images and labels of the embedded MNIST as IDX files (plain and gzip), MNIST
 * digits as PNGs, a training checkpoint and a generator export of a small ACGAN trained for two steps
 * with the TensorFlow backend on 4x4 MNIST digits, and the {@code config.yaml} of a real run.
 *
 * <pre>
 * mvn -q -o -pl samples test-compile exec:java -Dexec.mainClass=dev.acgan.samples.reliability.FuzzSeeds \
 *     -Dexec.classpathScope=test -Dexec.args=.
 * </pre>
 */
public final class FuzzSeeds {

    private FuzzSeeds() {}

    /** Writes every seed under the repository root {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path api = root.resolve("acgan-api/src/test/resources/dev/acgan/api");
        idx(api.resolve("data/IdxReaderFuzzTestInputs"));
        pngs(api.resolve("data/ImageFolderFuzzTestInputs"));
        checkpoints(api.resolve("checkpoint/CheckpointFuzzTestInputs"));
        config(root.resolve("samples/src/test/resources/dev/acgan/samples/config/ConfigFilesFuzzTestInputs"));
    }

    private static void idx(Path dir) throws IOException {
        IdxDataset mnist = Datasets.embeddedMnist();
        int n = 2;
        ByteBuffer images = ByteBuffer.allocate(16 + n * 784)
                .putInt(0x803)
                .putInt(n)
                .putInt(28)
                .putInt(28);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 784; p++) {
                images.put((byte) mnist.rawByte(i, p));
            }
            labels.put((byte) mnist.label(i));
        }
        byte[] img = images.array();
        byte[] lab = labels.array();
        write(dir.resolve("images/mnist-2-images-idx3-ubyte"), img);
        write(dir.resolve("images/mnist-2-images-idx3-ubyte.gz"), gzip(img));
        write(dir.resolve("labels/mnist-2-labels-idx1-ubyte"), lab);
        write(dir.resolve("labels/mnist-2-labels-idx1-ubyte.gz"), gzip(lab));
        write(dir.resolve("gzipImages/mnist-2-images-idx3-ubyte"), img);
        // dataset: a 2-byte big-endian length of the images file, the images file, the labels file
        write(
                dir.resolve("dataset/mnist-2-pair"),
                ByteBuffer.allocate(2 + img.length + lab.length)
                        .putShort((short) img.length)
                        .put(img)
                        .put(lab)
                        .array());
    }

    private static void pngs(Path dir) throws IOException {
        IdxDataset mnist = Datasets.embeddedMnist();
        BufferedImage grey = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage rgb = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        byte[] ramp = new byte[4];
        for (int i = 0; i < 4; i++) {
            ramp[i] = (byte) (i * 85);
        }
        BufferedImage palette =
                new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(2, 4, ramp, ramp, ramp));
        BufferedImage grey16 = new BufferedImage(14, 14, BufferedImage.TYPE_USHORT_GRAY);
        for (int p = 0; p < 784; p++) {
            int x = p % 28;
            int y = p / 28;
            int v = mnist.rawByte(1, p);
            grey.getRaster().setSample(x, y, 0, v);
            rgb.setRGB(x, y, (v << 16) | (mnist.rawByte(2, p) << 8) | mnist.rawByte(3, p));
            palette.getRaster().setSample(x, y, 0, v >> 6);
            if (x % 2 == 0 && y % 2 == 0) {
                grey16.getRaster().setSample(x / 2, y / 2, 0, v * 257);
            }
        }
        for (String target : List.of("png", "pngResized")) {
            Files.createDirectories(dir.resolve(target));
            ImageIO.write(
                    grey, "png", dir.resolve(target).resolve("digit-grey.png").toFile());
            ImageIO.write(
                    rgb, "png", dir.resolve(target).resolve("digits-rgb.png").toFile());
            ImageIO.write(
                    palette,
                    "png",
                    dir.resolve(target).resolve("digit-2bit-palette.png").toFile());
        }
        ImageIO.write(
                grey16, "png", dir.resolve("pngResized/digit-16bit-14x14.png").toFile());
    }

    /** A small ACGAN (4x4x1 images, 2 classes, latent 3) with an embedding, a transposed and a plain convolution. */
    static ModelSpec seedSpec() {
        NetworkSpec g = NetworkSpec.builder()
                .add(
                        "embedding",
                        new LayerSpec.Embedding(2, 3, dev.acgan.api.spec.Initializer.GLOROT_NORMAL),
                        NetworkSpec.LABEL)
                .add("multiply", new LayerSpec.Multiply(), NetworkSpec.NOISE, "embedding")
                .then("dense", LayerSpec.Dense.of(8))
                .then("dense_relu", new LayerSpec.Relu())
                .then("reshape", new LayerSpec.Reshape(List.of(2, 2, 2)))
                .then("deconv", LayerSpec.Conv2DTranspose.of(1, 3, 2, Padding.SAME))
                .then("bn", LayerSpec.BatchNorm.keras())
                .then("tanh", new LayerSpec.Tanh())
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = NetworkSpec.builder()
                .add("conv", LayerSpec.Conv2D.of(2, 3, 2, Padding.SAME), NetworkSpec.IMAGE)
                .then("conv_lrelu", new LayerSpec.LeakyRelu(0.2))
                .then("conv_dropout", new LayerSpec.Dropout(0.3))
                .then("flatten", new LayerSpec.Flatten())
                .add("validity", LayerSpec.Dense.of(1), "flatten")
                .then("validity_sigmoid", new LayerSpec.Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .add("class", LayerSpec.Dense.of(2), "flatten")
                .then("class_softmax", new LayerSpec.Softmax())
                .output(NetworkSpec.OUT_CLASS)
                .build();
        return new ModelSpec(
                "fuzz-seed-acgan", GanKind.ACGAN, new ImageShape(4, 4, 1), 2, 3, NoiseDistribution.UNIFORM, g, d);
    }

    private static void checkpoints(Path dir) throws IOException {
        Path tmp = Files.createTempDirectory("acgan-seeds");
        // Two classes of real digits (0 and 1), shrunk to 4x4.
        IdxDataset mnist = Datasets.embeddedMnist();
        Path images = tmp.resolve("images");
        int[] written = new int[2];
        for (int i = 0; i < mnist.size() && (written[0] < 8 || written[1] < 8); i++) {
            int label = mnist.label(i);
            if (label > 1 || written[label] >= 8) {
                continue;
            }
            BufferedImage digit = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < 784; p++) {
                digit.getRaster().setSample(p % 28, p / 28, 0, mnist.rawByte(i, p));
            }
            Path f = images.resolve("digit" + label).resolve(i + ".png");
            Files.createDirectories(f.getParent());
            ImageIO.write(digit, "png", f.toFile());
            written[label]++;
        }
        TrainingConfig config =
                TrainingConfig.defaults().withSeed(11).withBatchSize(4).withMaxSteps(2);
        try (GanTrainer trainer = GanTrainer.create(
                Backends.discover().select("tensorflow"),
                seedSpec(),
                config,
                Datasets.imageFolder(images, new ImageShape(4, 4, 1), true))) {
            trainer.run();
            Checkpoint c = trainer.checkpoint();
            c.write(tmp.resolve("training"));
            c.generatorOnly().write(tmp.resolve("generator"));
        }
        for (String kind : List.of("training", "generator")) {
            byte[] meta = Files.readAllBytes(tmp.resolve(kind).resolve(Checkpoint.METADATA_FILE));
            byte[] tensors = Files.readAllBytes(tmp.resolve(kind).resolve(Checkpoint.TENSORS_FILE));
            write(dir.resolve("safetensors").resolve(kind + ".safetensors"), tensors);
            write(
                    dir.resolve("directory").resolve(kind + ".checkpoint"),
                    ByteBuffer.allocate(4 + meta.length + tensors.length)
                            .putInt(meta.length)
                            .put(meta)
                            .put(tensors)
                            .array());
            if (kind.equals("training")) {
                write(dir.resolve("metadata").resolve("checkpoint.json"), meta);
                write(dir.resolve("seed-tensors.safetensors"), tensors);
            }
        }
    }

    private static void config(Path dir) throws IOException {
        Path run = Files.createTempDirectory("acgan-seed-run");
        int code = AcganCli.run(
                new PrintWriter(System.out, true),
                new PrintWriter(System.err, true),
                "train",
                "--model",
                "gan",
                "--batch-size",
                "8",
                "--steps",
                "1",
                "--sample-every",
                "0",
                "--outdir",
                run.toString());
        if (code != 0) {
            throw new IllegalStateException("acgan train exited with " + code);
        }
        write(dir.resolve("read/config.yaml"), Files.readAllBytes(run.resolve("config.yaml")));
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
