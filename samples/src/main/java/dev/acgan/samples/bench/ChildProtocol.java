package dev.acgan.samples.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * The parent/child protocol of {@code acgan bench}. The parent starts {@link BenchChild} with a
 * {@link ChildTask} as JSON in its only argument. The child writes protocol lines on its standard output,
 * each {@value #PREFIX} followed by a kind and a payload:
 * <pre>
 * &#64;&#64;acgan-bench progress step 3/13 1.52 s      (free text, shown by the parent)
 * &#64;&#64;acgan-bench result {"backend":...}          (one {@link ChildResult} as JSON, last)
 * &#64;&#64;acgan-bench error java.lang.OutOfMemoryError  (instead of a result)
 * </pre>
 * Anything else on either stream (TensorFlow's absl lines, native {@code printf}s, logging) is not
 * protocol: the parent keeps it as the child's log and shows it with {@code --verbose} or on failure.
 * The child points {@code System.out} at its standard error, so only the protocol writer uses file
 * descriptor 1 from Java.
 */
public final class ChildProtocol {

    /** Start of every protocol line. */
    public static final String PREFIX = "@@acgan-bench ";
    /** A progress message. */
    public static final String PROGRESS = "progress";
    /** The result. */
    public static final String RESULT = "result";
    /** A failure. */
    public static final String ERROR = "error";

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final ObjectMapper PRETTY = JSON.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private ChildProtocol() {}

    /** Indented JSON of a value. */
    public static String prettyJson(Object value) throws JsonProcessingException {
        return PRETTY.writeValueAsString(value);
    }

    /** Compact JSON of a value. */
    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads JSON. */
    public static <T> T fromJson(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one protocol line (the payload on one line). */
    static void emit(PrintStream out, String kind, String payload) {
        synchronized (out) {
            out.println(PREFIX + kind + " " + payload.replace('\n', ' ').replace('\r', ' '));
            out.flush();
        }
    }

    /**
     * A parsed protocol line.
     *
     * @param kind    {@link #PROGRESS}, {@link #RESULT} or {@link #ERROR}
     * @param payload the rest of the line
     */
    record Line(String kind, String payload) {
        /** The protocol line in {@code text}, or {@code null} when it is not one. */
        static Line parse(String text) {
            if (text == null || !text.startsWith(PREFIX)) {
                return null;
            }
            String rest = text.substring(PREFIX.length());
            int space = rest.indexOf(' ');
            return space < 0 ? new Line(rest, "") : new Line(rest.substring(0, space), rest.substring(space + 1));
        }
    }
}
