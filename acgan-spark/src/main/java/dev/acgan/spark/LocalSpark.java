package dev.acgan.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark context on this machine only: local mode, no web UI, driver bound to 127.0.0.1 (no port on
 * another interface), nothing that reaches the network.
 */
public final class LocalSpark {

    private LocalSpark() {}

    /** The configuration of a loopback-only context with {@code master} (e.g. {@code local[2]}). */
    public static SparkConf conf(String master) {
        return new SparkConf()
                .setMaster(master)
                .setAppName("acgan")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.sql.shuffle.partitions", "2")
                .set("spark.sql.adaptive.enabled", "false");
    }

    /** Starts (or joins) a session with {@link #conf}. */
    public static SparkSession session(String master) {
        return SparkSession.builder().config(conf(master)).getOrCreate();
    }

    /** The Java context of a session, for {@link SparkTraining}. */
    public static JavaSparkContext context(SparkSession session) {
        return JavaSparkContext.fromSparkContext(session.sparkContext());
    }
}
