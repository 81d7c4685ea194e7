package dev.acgan.spark;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.SafeTensors;
import dev.acgan.api.model.Generator;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.SpecJson;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.NoiseSampler;
import dev.acgan.api.train.SeedStreams;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Synthetic labelled images at scale: {@code K} images of every class from a checkpoint's generator,
 * made by Spark's executors, as a DataFrame or Parquet files with the columns {@code row} (long, from 0),
 * {@code label} (int), {@code noise_seed} (long) and {@code png} (binary, an 8-bit PNG).
 *
 * <p>Row {@code r} is image {@code r mod K} of class {@code r / K}; its noise is
 * {@code NoiseSampler.sample(spec, 1, new SplittableRandom(noise_seed))}, so
 * {@code generator.generate(new int[] {label}, noise_seed)} regenerates it (to the rounding of a batch of
 * another size). Rows are generated in fixed batches of {@code rowsPerBatch} consecutive rows, and Spark's
 * partitions are made of whole batches: the same arguments give the same rows, byte for byte, whatever
 * the number of partitions.
 */
public final class SyntheticData {

    /** The schema of the rows. */
    public static final StructType SCHEMA = new StructType()
            .add("row", DataTypes.LongType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("noise_seed", DataTypes.LongType, false)
            .add("png", DataTypes.BinaryType, false);

    private SyntheticData() {}

    /**
     * What to generate.
     *
     * @param perClass       {@code K}, images per class
     * @param seed           the seed every row's noise seed derives from
     * @param partitions     Spark partitions (tasks) to spread the batches over
     * @param rowsPerBatch   rows per generator call
     * @param backend        the backend's name on the executors, or {@code null} for the default selection
     * @param threadsPerTask compute threads of each task's backend, 0 for the backend's default
     */
    public record Options(int perClass, long seed, int partitions, int rowsPerBatch, String backend, int threadsPerTask)
            implements Serializable {

        private static final long serialVersionUID = 1L;

        /** Checks the ranges, naming the field. */
        public Options {
            if (perClass < 1) {
                throw new IllegalArgumentException("images per class must be at least 1, got " + perClass);
            }
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
            }
            if (rowsPerBatch < 1) {
                throw new IllegalArgumentException("rows per batch must be at least 1, got " + rowsPerBatch);
            }
            if (threadsPerTask < 0) {
                throw new IllegalArgumentException("threads per task must be >= 0, got " + threadsPerTask);
            }
        }

        /** {@code K} per class from {@code seed} over {@code partitions}; 100 rows per batch, default backend. */
        public static Options of(int perClass, long seed, int partitions) {
            return new Options(perClass, seed, partitions, 100, null, 0);
        }

        /** The same with another batch size. */
        public Options withRowsPerBatch(int rows) {
            return new Options(perClass, seed, partitions, rows, backend, threadsPerTask);
        }

        /** The same with a backend name. */
        public Options withBackend(String name) {
            return new Options(perClass, seed, partitions, rowsPerBatch, name, threadsPerTask);
        }

        /** The same with compute threads per task (0: the backend's default). */
        public Options withThreadsPerTask(int threads) {
            return new Options(perClass, seed, partitions, rowsPerBatch, backend, threads);
        }
    }

    /** The noise seed of row {@code row}. */
    public static long noiseSeed(long seed, long row) {
        return SeedStreams.derive(seed, SeedStreams.Purpose.SAMPLES, row);
    }

    /**
     * The rows as a DataFrame (lazy: nothing is generated until an action). The checkpoint (training or
     * generator-only) is read on the driver and broadcast, so executors need no access to its file.
     *
     * @throws dev.acgan.api.checkpoint.CheckpointException when the checkpoint cannot be read, naming the file
     * @throws IllegalArgumentException                     when the model has no class-conditional generator
     */
    public static Dataset<Row> generate(SparkSession spark, Path checkpoint, Options options) {
        Checkpoint c = Checkpoint.read(checkpoint);
        ModelSpec spec = c.metadata().spec();
        if (!spec.kind().conditionalGenerator()) {
            throw new IllegalArgumentException(checkpoint + ": model " + spec.name() + " (" + spec.kind()
                    + ") has no class-conditional generator; images per class need one");
        }
        Backends.discover().select(options.backend()); // fails here, on the driver, when it is missing
        NamedTensors weights = c.generatorWeights();
        Payload payload = new Payload(SpecJson.toJson(spec), SafeTensors.encode(weights, Map.of()));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Payload> bc = jsc.broadcast(payload);
        long total = (long) spec.numClasses() * options.perClass();
        long batches = (total + options.rowsPerBatch() - 1) / options.rowsPerBatch();
        List<Long> ids = LongStream.range(0, batches).boxed().collect(Collectors.toList());
        JavaRDD<Row> rows = jsc.parallelize(ids, options.partitions())
                .mapPartitions(new MakeRows(bc, options, total, checkpoint.toString()));
        return spark.createDataFrame(rows, SCHEMA);
    }

    /** Generates the rows and writes them as Parquet to {@code out} (which must not exist); returns the rows. */
    public static long writeParquet(SparkSession spark, Path checkpoint, Options options, Path out) {
        Dataset<Row> df = generate(spark, checkpoint, options);
        df.write()
                .mode(SaveMode.ErrorIfExists)
                .parquet(out.toAbsolutePath().toUri().toString());
        return spark.read().parquet(out.toAbsolutePath().toUri().toString()).count();
    }

    /** What executors need to build the generator. */
    record Payload(String specJson, byte[] weights) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** One partition's batches to rows. */
    static final class MakeRows implements FlatMapFunction<Iterator<Long>, Row> {

        private static final long serialVersionUID = 1L;

        private final Broadcast<Payload> payload;
        private final Options options;
        private final long total;
        private final String source;

        MakeRows(Broadcast<Payload> payload, Options options, long total, String source) {
            this.payload = payload;
            this.options = options;
            this.total = total;
            this.source = source;
        }

        @Override
        public Iterator<Row> call(Iterator<Long> batches) {
            List<Row> out = new ArrayList<>();
            if (!batches.hasNext()) {
                return out.iterator();
            }
            SparkTraining.applyThreads(options.threadsPerTask());
            Payload p = payload.value();
            ModelSpec spec = SpecJson.fromJson(p.specJson());
            NamedTensors weights = SafeTensors.decode(p.weights(), source).tensors();
            GanBackend backend = Backends.discover().select(options.backend());
            try (Generator g = backend.loadGenerator(spec, weights)) {
                while (batches.hasNext()) {
                    long b = batches.next();
                    long from = b * options.rowsPerBatch();
                    int n = (int) Math.min(options.rowsPerBatch(), total - from);
                    int latent = spec.latentDim();
                    float[] noise = new float[n * latent];
                    int[] labels = new int[n];
                    long[] seeds = new long[n];
                    for (int i = 0; i < n; i++) {
                        long row = from + i;
                        labels[i] = (int) (row / options.perClass());
                        seeds[i] = noiseSeed(options.seed(), row);
                        Tensor z = NoiseSampler.sample(spec, 1, new SplittableRandom(seeds[i]));
                        System.arraycopy(z.data(), 0, noise, i * latent, latent);
                    }
                    ImageBatch images = g.generate(new Tensor(new int[] {n, latent}, noise), labels);
                    for (int i = 0; i < n; i++) {
                        out.add(RowFactory.create(from + i, labels[i], seeds[i], png(images, i)));
                    }
                }
            }
            return out.iterator();
        }
    }

    /** Image {@code i} of a batch as PNG bytes (gray for one channel, RGB for three). */
    static byte[] png(ImageBatch batch, int i) {
        ImageBatch b = batch.toLayout(dev.acgan.api.tensor.Layout.NHWC);
        int h = b.height();
        int w = b.width();
        int c = b.channels();
        BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        int base = i * h * w * c;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = base + (y * w + x) * c;
                if (c == 1) {
                    img.getRaster().setSample(x, y, 0, ImageBatch.pixelToByte(b.pixels()[at]));
                } else {
                    int r = ImageBatch.pixelToByte(b.pixels()[at]);
                    int gr = ImageBatch.pixelToByte(b.pixels()[at + 1]);
                    int bl = ImageBatch.pixelToByte(b.pixels()[at + 2]);
                    img.setRGB(x, y, (r << 16) | (gr << 8) | bl);
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
