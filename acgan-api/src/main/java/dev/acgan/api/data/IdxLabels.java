package dev.acgan.api.data;

import java.util.Objects;

/**
 * The contents of an IDX labels file: one unsigned byte per example. Produced by {@link IdxReader};
 * the array is shared, not copied, and must not be modified.
 *
 * @param source      where the data came from (a path or {@code classpath:} name), used in error messages
 * @param headerBytes size of the file's header, so that label {@code i} sits at byte offset
 *                    {@code headerBytes + i} (8 for a regular labels file)
 * @param labels      one byte per example, 0..255 when read as unsigned
 */
public record IdxLabels(String source, int headerBytes, byte[] labels) {

    /** Checks the arguments. */
    public IdxLabels {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(labels, "labels");
        if (headerBytes < 0) {
            throw new IllegalArgumentException("negative header size " + headerBytes);
        }
    }

    /** Number of labels. */
    public int count() {
        return labels.length;
    }

    /** Label {@code i} as an int in 0..255. */
    public int label(int i) {
        return labels[i] & 0xff;
    }

    /** The largest label value, or -1 when there are none. */
    public int maxLabel() {
        int max = -1;
        for (byte b : labels) {
            max = Math.max(max, b & 0xff);
        }
        return max;
    }
}
