package dev.acgan.samples.embedding;

import com.google.inject.Guice;
import dev.acgan.api.inject.AcganModule;
import dev.acgan.api.inject.GeneratorLoader;
import dev.acgan.api.model.Generator;
import dev.acgan.api.spec.GanKind;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.train.NoiseSampler;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * A host application embedding acgan: Guice wires whichever backend the classpath carries, the
 * application loads a checkpoint (a training checkpoint, a run directory's generator export, or any
 * directory written by {@code Checkpoint.write}) and writes a grid of generated images, one row per
 * class. Nothing here names a backend; swapping TensorFlow for ND4J is a change of classpath only.
 *
 * <pre>
 * java -cp ... dev.acgan.samples.embedding.HostApplication CHECKPOINT OUTDIR [PER_CLASS] [SEED]
 * </pre>
 */
public final class HostApplication {

    private final GanBackend backend;
    private final GeneratorLoader loader;

    /** Created by Guice with the backend and loader that {@link AcganModule} provides. */
    @Inject
    public HostApplication(GanBackend backend, GeneratorLoader loader) {
        this.backend = backend;
        this.loader = loader;
    }

    /**
     * Generates {@code perClass} images of every class (or {@code perClass} images for an
     * unconditional model) from the checkpoint and writes them to {@code outDir/generated.png}.
     *
     * @return the file written
     */
    public Path generate(Path checkpoint, Path outDir, int perClass, long seed) throws IOException {
        try (Generator generator = loader.load(checkpoint)) {
            ModelSpec spec = generator.spec();
            boolean conditional = spec.kind() != GanKind.GAN;
            int rows = conditional ? spec.numClasses() : 1;
            int[] labels = new int[rows * perClass];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = i / perClass;
            }
            ImageBatch images = generator.generate(
                    NoiseSampler.sample(spec, labels.length, new SplittableRandom(seed)), conditional ? labels : null);
            Files.createDirectories(outDir);
            Path out = outDir.resolve("generated.png");
            ImageIO.write(grid(images, rows, perClass), "png", out.toFile());
            return out;
        }
    }

    /** The backend Guice selected. */
    public String backendName() {
        return backend.name();
    }

    /** Lays the images out row by row; [-1, 1] pixels become 0..255 grey or RGB. */
    private static BufferedImage grid(ImageBatch images, int rows, int cols) {
        int h = images.height();
        int w = images.width();
        int c = images.channels();
        float[] px = images.pixels();
        BufferedImage out = new BufferedImage(
                cols * w, rows * h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int n = 0; n < images.count(); n++) {
            int x0 = (n % cols) * w;
            int y0 = (n / cols) * h;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int base = ((n * h + y) * w + x) * c;
                    if (c == 1) {
                        int g = ImageBatch.pixelToByte(px[base]);
                        out.getRaster().setSample(x0 + x, y0 + y, 0, g);
                    } else {
                        int r = ImageBatch.pixelToByte(px[base]);
                        int g = ImageBatch.pixelToByte(px[base + 1]);
                        int b = ImageBatch.pixelToByte(px[base + 2]);
                        out.setRGB(x0 + x, y0 + y, (r << 16) | (g << 8) | b);
                    }
                }
            }
        }
        return out;
    }

    /** {@code CHECKPOINT OUTDIR [PER_CLASS] [SEED]}; exits 2 on a bad command line, 1 on failure. */
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 4) {
            System.err.println("usage: HostApplication CHECKPOINT OUTDIR [PER_CLASS (default 10)] [SEED (default 42)]");
            System.exit(2);
        }
        try {
            int perClass = args.length > 2 ? Integer.parseInt(args[2]) : 10;
            long seed = args.length > 3 ? Long.parseLong(args[3]) : 42L;
            HostApplication app = Guice.createInjector(new AcganModule()).getInstance(HostApplication.class);
            Path out = app.generate(Path.of(args[0]), Path.of(args[1]), perClass, seed);
            System.out.println("backend " + app.backendName() + " wrote " + out);
        } catch (NumberFormatException e) {
            System.err.println("HostApplication: PER_CLASS and SEED must be integers: " + e.getMessage());
            System.exit(2);
        } catch (IOException | RuntimeException e) {
            System.err.println("HostApplication: " + e.getMessage());
            System.exit(1);
        }
    }
}
