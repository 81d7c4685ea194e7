package dev.acgan.spark;

import dev.acgan.api.data.DatasetException;
import dev.acgan.api.data.DatasetInfo;
import dev.acgan.api.data.DatasetSource;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.tensor.ImageBatch;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.HashPartitioner;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Training images that Spark reads itself, split into the workers' shares on the executors:
 *
 * <ul>
 *   <li>{@code parquet:PATH}: a Parquet file or directory with the columns {@code label} (int) and {@code
 *       png} (binary: the bytes of a PNG, or any image file the API decodes), as {@link SyntheticData} writes
 *       it. The rows are ordered by {@code row} (long) when that column exists, then by {@code label} and
 *       {@code png}; without {@code row}, by {@code label} and the image bytes.</li>
 *   <li>{@code binaryfile:DIR}: Spark's {@code binaryFile} source over {@code DIR/CLASS/FILE} (files ending
 *       in .png, .jpg, .jpeg, .bmp or .gif, as {@code images:DIR} reads them), the label being the index of
 *       the class folder's name among the folder names sorted (as {@code images:DIR}); ordered by path.</li>
 * </ul>
 *
 * <p>Row {@code k} of that order goes to worker {@code k mod N}, whatever Spark's partitioning of the files,
 * so a worker's share is exactly what {@link PartitionView} gives it of the same images read by the API.
 * The executors decode every image with {@link Datasets#decodeImage} at the model's image shape and check
 * the label against the model's classes; the first bad row fails the load with an error naming its file and
 * row. The decoded shares stay cached in Spark (memory, then disk) for the run.
 */
final class SparkDataset implements AutoCloseable {

    /** The spec prefixes of the datasets read by Spark. */
    static final String PARQUET = "parquet:";

    static final String BINARY_FILE = "binaryfile:";

    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private final String spec;
    private final int size;
    private final DatasetInfo info;
    private final JavaPairRDD<Integer, Example> shares;

    private SparkDataset(String spec, int size, DatasetInfo info, JavaPairRDD<Integer, Example> shares) {
        this.spec = spec;
        this.size = size;
        this.info = info;
        this.shares = shares;
    }

    /** Whether {@code spec} names a dataset read by Spark. */
    static boolean handles(String spec) {
        return spec.startsWith(PARQUET) || spec.startsWith(BINARY_FILE);
    }

    /** One decoded example: its position in the order, its label and its image as bytes (NHWC). */
    record Example(long index, int label, byte[] pixels) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    String spec() {
        return spec;
    }

    int size() {
        return size;
    }

    DatasetInfo info() {
        return info;
    }

    /** The decoded examples keyed by worker, partition {@code k} holding worker {@code k}'s. */
    JavaPairRDD<Integer, Example> shares() {
        return shares;
    }

    /**
     * Reads, orders, decodes and validates the dataset named by {@code spec} for {@code workers} workers and
     * a model of {@code model}'s image shape and classes.
     *
     * @throws DatasetException naming the file (and row) of the first image that cannot be used
     */
    static SparkDataset load(JavaSparkContext spark, String spec, ModelSpec model, int workers) {
        ImageShape shape = model.image();
        int numClasses = model.numClasses();
        Source source = Source.open(spark, spec);
        Dataset<Row> ordered = source.ordered();
        List<String> classNames;
        if (source.folders() == null) {
            classNames =
                    IntStream.range(0, numClasses).mapToObj(Integer::toString).collect(Collectors.toList());
        } else {
            classNames = source.folders();
            if (classNames.size() > numClasses) {
                throw new DatasetException(spec + ": " + classNames.size() + " class folders " + classNames
                        + " but model " + model.name() + " has " + numClasses + " classes");
            }
        }
        int n = workers;
        int height = shape.height();
        int width = shape.width();
        int channels = shape.channels();
        JavaPairRDD<Integer, Example> shares = ordered.javaRDD()
                .zipWithIndex()
                .mapToPair(t -> {
                    long k = t._2();
                    return new Tuple2<>(
                            (int) (k % n), decode(t._1(), k, new ImageShape(height, width, channels), numClasses));
                })
                .partitionBy(new HashPartitioner(n))
                .persist(StorageLevel.MEMORY_AND_DISK());
        long count;
        try {
            spark.setJobDescription("acgan: read and decode " + spec);
            count = shares.count();
        } catch (Exception e) { // a failed job is a SparkException, thrown unchecked through Scala
            shares.unpersist(false);
            throw rootDatasetError(spec, e);
        }
        if (count == 0) {
            shares.unpersist(false);
            throw new DatasetException(spec + ": holds no images");
        }
        if (count < n) {
            shares.unpersist(false);
            throw new DatasetException(spec + ": " + count + " images for " + n + " workers; each needs at least one");
        }
        if (count > Integer.MAX_VALUE) {
            shares.unpersist(false);
            throw new DatasetException(spec + ": " + count + " images, more than a run takes");
        }
        DatasetInfo info = new DatasetInfo(spec, (int) count, shape, classNames);
        return new SparkDataset(spec, (int) count, info, shares);
    }

    /**
     * What the dataset named by {@code spec} holds, for choosing a model: the shape of its first image in
     * order (1 channel if greyscale, else 3) and its classes (the class folders; for Parquet, 0 to the
     * largest label).
     */
    static DatasetInfo describe(JavaSparkContext spark, String spec) {
        Source source = Source.open(spark, spec);
        List<Row> first = source.ordered().limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new DatasetException(spec + ": holds no images");
        }
        Row r = first.get(0);
        String where =
                (r.isNullAt(0) ? "?" : r.getString(0)) + (r.isNullAt(1) ? ": first image" : ": row " + r.getLong(1));
        ImageShape shape = Datasets.imageShape(r.isNullAt(3) ? null : (byte[]) r.get(3), where);
        List<String> classes = source.folders();
        if (classes == null) {
            Row max = source.ordered()
                    .agg(functions.max("label"), functions.min("label"))
                    .first();
            if (max.isNullAt(0) || max.getInt(1) < 0) {
                throw new DatasetException(spec + ": labels must be 0 or more (smallest: "
                        + (max.isNullAt(1) ? "null" : max.getInt(1)) + ")");
            }
            classes = IntStream.range(0, max.getInt(0) + 1)
                    .mapToObj(Integer::toString)
                    .collect(Collectors.toList());
        }
        long count = source.ordered().count();
        return new DatasetInfo(spec, (int) Math.min(count, Integer.MAX_VALUE), shape, classes);
    }

    /** The session of the driver's thread, else the default one, else one on {@code spark}'s context. */
    private static SparkSession session(JavaSparkContext spark) {
        scala.Option<SparkSession> active = SparkSession.getActiveSession();
        if (active.isDefined()) {
            return active.get();
        }
        scala.Option<SparkSession> fallback = SparkSession.getDefaultSession();
        if (fallback.isDefined()) {
            return fallback.get();
        }
        return SparkSession.builder().config(spark.getConf()).getOrCreate();
    }

    /** The rows in their order (columns file, row, label, image) and, for folders, the class names. */
    private record Source(Dataset<Row> ordered, List<String> folders) {

        static Source open(JavaSparkContext spark, String spec) {
            SparkSession session = session(spark);
            if (spec.startsWith(PARQUET)) {
                String path = spec.substring(PARQUET.length());
                Dataset<Row> df = read(spec, () -> session.read().parquet(path));
                requireColumn(spec, df, "label", DataTypes.IntegerType);
                requireColumn(spec, df, "png", DataTypes.BinaryType);
                boolean hasRow = Arrays.asList(df.columns()).contains("row");
                if (hasRow) {
                    requireColumn(spec, df, "row", DataTypes.LongType);
                }
                Column row = hasRow ? functions.col("row") : functions.lit(null).cast(DataTypes.LongType);
                Dataset<Row> ordered = df.select(
                                functions.input_file_name().as("file"),
                                row.as("row"),
                                functions.col("label"),
                                functions.col("png").as("image"))
                        .orderBy(functions.col("row"), functions.col("label"), functions.col("image"));
                return new Source(ordered, null);
            }
            String dir = spec.substring(BINARY_FILE.length());
            Dataset<Row> df = read(
                            spec, () -> session.read().format("binaryFile").load(dir.replaceAll("/+$", "") + "/*/*"))
                    .select(functions.col("path"), functions.col("content"));
            df = df.filter(functions
                            .lower(functions.regexp_extract(functions.col("path"), "\\.([^./]+)$", 1))
                            .isin(EXTENSIONS.toArray()))
                    .filter(functions.not(functions
                            .regexp_extract(functions.col("path"), "([^/]+)$", 1)
                            .startsWith(".")));
            Dataset<Row> withClass = df.withColumn(
                            "class", functions.regexp_extract(functions.col("path"), "([^/]+)/[^/]+$", 1))
                    .filter(functions.not(functions.col("class").startsWith(".")));
            List<String> classNames = withClass.select("class").distinct().collectAsList().stream()
                    .map(r -> r.getString(0))
                    .sorted(Comparator.naturalOrder())
                    .collect(Collectors.toList());
            if (classNames.isEmpty()) {
                throw new DatasetException(spec + ": no images in class folders: expected " + dir
                        + "/CLASS/IMAGE with images ending in "
                        + EXTENSIONS.stream().sorted().map(e -> "." + e).collect(Collectors.joining(", ")));
            }
            Column label = functions.lit(-1);
            for (int i = 0; i < classNames.size(); i++) {
                label = functions
                        .when(functions.col("class").equalTo(classNames.get(i)), i)
                        .otherwise(label);
            }
            Dataset<Row> ordered = withClass
                    .select(
                            functions.col("path").as("file"),
                            functions.lit(null).cast(DataTypes.LongType).as("row"),
                            label.as("label"),
                            functions.col("content").as("image"))
                    .orderBy(functions.col("file"));
            return new Source(ordered, classNames);
        }
    }

    private static Dataset<Row> read(String spec, java.util.function.Supplier<Dataset<Row>> reader) {
        try {
            return reader.get();
        } catch (RuntimeException e) {
            throw new DatasetException(spec + ": cannot read: " + firstLine(e.getMessage()), e);
        }
    }

    private static void requireColumn(String spec, Dataset<Row> df, String name, DataType type) {
        for (StructField f : df.schema().fields()) {
            if (f.name().equals(name)) {
                if (!f.dataType().equals(type)) {
                    throw new DatasetException(spec + ": column '" + name + "' is "
                            + f.dataType().simpleString() + ", expected " + type.simpleString());
                }
                return;
            }
        }
        throw new DatasetException(spec + ": no column '" + name + "' (expected label: int, png: binary; found "
                + df.schema().simpleString() + ")");
    }

    /** Decodes and checks one row; errors name its file and row. */
    static Example decode(Row r, long index, ImageShape shape, int numClasses) {
        String file = r.isNullAt(0) ? "?" : r.getString(0);
        String where = file + (r.isNullAt(1) ? ": image " + index + " in order" : ": row " + r.getLong(1));
        if (r.isNullAt(2)) {
            throw new DatasetException(where + ": label is null");
        }
        int label = r.getInt(2);
        if (label < 0 || label >= numClasses) {
            throw new DatasetException(
                    where + ": label " + label + " is outside 0.." + (numClasses - 1) + " (the model's classes)");
        }
        byte[] bytes = r.isNullAt(3) ? null : (byte[]) r.get(3);
        return new Example(index, label, Datasets.decodeImage(bytes, where, shape));
    }

    /** The dataset error at the root of a failed Spark job, or a dataset error carrying the job's message. */
    static RuntimeException rootDatasetError(String spec, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DatasetException d) {
                return new DatasetException(d.getMessage(), e);
            }
        }
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        int at = msg.indexOf(DatasetException.class.getName() + ": ");
        if (at >= 0) {
            return new DatasetException(
                    firstLine(
                            msg.substring(at + DatasetException.class.getName().length() + 2)),
                    e);
        }
        if (e instanceof RuntimeException r && !(e.getCause() instanceof SparkException)) {
            return r;
        }
        return new DatasetException(spec + ": cannot read: " + firstLine(msg), e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Worker {@code worker}'s share as a dataset, from its partition's examples (in any order). */
    static DatasetSource share(Iterator<Tuple2<Integer, Example>> rows, DatasetInfo all, int worker, int workers) {
        List<Example> list = new ArrayList<>();
        while (rows.hasNext()) {
            Tuple2<Integer, Example> t = rows.next();
            if (t._1() != worker) {
                throw new IllegalStateException(
                        "example " + t._2().index() + " of worker " + t._1() + " in the partition of worker " + worker);
            }
            list.add(t._2());
        }
        list.sort(Comparator.comparingLong(Example::index));
        int expected = PartitionView.sizeOf(all.size(), worker, workers);
        if (list.size() != expected) {
            throw new IllegalStateException(
                    "worker " + worker + " holds " + list.size() + " examples, expected " + expected);
        }
        String name = workers == 1 ? all.name() : all.name() + " [part " + worker + " of " + workers + "]";
        return new Share(new DatasetInfo(name, list.size(), all.image(), all.classNames()), list);
    }

    /** Frees the cached shares. */
    @Override
    public void close() {
        shares.unpersist(false);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%d images)", spec, size);
    }

    /** A worker's share in memory. */
    private static final class Share implements DatasetSource {
        private final DatasetInfo info;
        private final List<Example> examples;

        Share(DatasetInfo info, List<Example> examples) {
            this.info = info;
            this.examples = examples;
        }

        @Override
        public DatasetInfo info() {
            return info;
        }

        @Override
        public int label(int index) {
            return examples.get(index).label();
        }

        @Override
        public void readImage(int index, float[] dst, int offset) {
            byte[] px = examples.get(index).pixels();
            Objects.checkFromIndexSize(offset, px.length, dst.length);
            for (int i = 0; i < px.length; i++) {
                dst[offset + i] = ImageBatch.byteToPixel(px[i] & 0xff);
            }
        }
    }
}
