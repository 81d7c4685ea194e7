package dev.acgan.samples.run;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code metrics.csv}: the header, then one {@link MetricsRow} per step, flushed as written. */
public final class MetricsCsv implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsCsv.class);

    private final Path file;
    private final List<MetricsRow> rows;
    private final BufferedWriter out;

    private MetricsCsv(Path file, List<MetricsRow> rows, BufferedWriter out) {
        this.file = file;
        this.rows = rows;
        this.out = out;
    }

    /**
     * Opens the file for a run that continues after step {@code keepUpTo}: rows of later steps (written
     * after the checkpoint being resumed) are dropped. {@code keepUpTo < 0} starts an empty file.
     */
    public static MetricsCsv open(Path file, long keepUpTo) {
        List<MetricsRow> kept = new ArrayList<>();
        if (keepUpTo >= 0) {
            kept.addAll(readKeeping(file, keepUpTo));
        }
        try {
            StringBuilder text = new StringBuilder(MetricsRow.HEADER).append('\n');
            for (MetricsRow r : kept) {
                text.append(r.toCsv()).append('\n');
            }
            dev.acgan.eval.render.Images.writeAtomically(
                    file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
            BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            return new MetricsCsv(file, kept, w);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** The rows of a metrics file up to the step (all for {@code Long.MAX_VALUE}); empty when missing. */
    public static List<MetricsRow> readKeeping(Path file, long upTo) {
        List<MetricsRow> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                MetricsRow r = MetricsRow.parse(lines.get(i));
                if (r.step() <= upTo) {
                    out.add(r);
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("{} line {} skipped: {}", file, i + 1, e.getMessage());
            }
        }
        return out;
    }

    /** Appends a row and flushes. */
    public void append(MetricsRow row) {
        rows.add(row);
        try {
            out.write(row.toCsv());
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every row of the file so far. */
    public List<MetricsRow> rows() {
        return Collections.unmodifiableList(rows);
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("cannot close {}: {}", file, e.toString());
        }
    }
}
