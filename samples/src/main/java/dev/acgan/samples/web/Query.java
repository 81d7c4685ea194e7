package dev.acgan.samples.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters of a request, checked against the parameters a route knows: an unknown or
 * repeated parameter, bad percent-encoding, or a value out of range is a 400 whose message names the
 * parameter and the allowed values.
 */
final class Query {

    /** Seeds are limited to what a browser's numbers hold exactly (2^53 - 1). */
    static final long MAX_SEED = 9_007_199_254_740_991L;

    private static final int MAX_VALUE_LENGTH = 1000;

    private final Map<String, String> values;

    private Query(Map<String, String> values) {
        this.values = values;
    }

    /** Parses a raw (still percent-encoded) query string; {@code allowed} are the known parameter names. */
    static Query parse(String rawQuery, Set<String> allowed) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String part : rawQuery.split("&")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String name = decode(eq < 0 ? part : part.substring(0, eq));
                String value = eq < 0 ? "" : decode(part.substring(eq + 1));
                if (!allowed.contains(name)) {
                    throw WebException.badRequest("unknown parameter '" + shorten(name) + "'"
                            + (allowed.isEmpty()
                                    ? "; this address takes none"
                                    : "; known: " + String.join(", ", new TreeSet<>(allowed))));
                }
                if (values.containsKey(name)) {
                    throw WebException.badRequest("parameter '" + name + "' is given twice");
                }
                if (value.length() > MAX_VALUE_LENGTH) {
                    throw WebException.badRequest("parameter '" + name + "' is too long");
                }
                values.put(name, value.strip());
            }
        }
        return new Query(values);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw WebException.badRequest("malformed query string (bad %-encoding)");
        }
    }

    static String shorten(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }

    /** The value, or {@code null} when not given or empty. */
    String get(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The value, or {@code def}. */
    String get(String name, String def) {
        String v = get(name);
        return v == null ? def : v;
    }

    /** A whole number in {@code [min, max]}, or {@code def} when not given. */
    int intIn(String name, int def, int min, int max) {
        String v = get(name);
        if (v == null) {
            return def;
        }
        return (int) checkRange(name, parseLong(name, v), min, max);
    }

    /** A whole number in {@code [min, max]}, or {@code def} when not given. */
    long longIn(String name, long def, long min, long max) {
        String v = get(name);
        if (v == null) {
            return def;
        }
        return checkRange(name, parseLong(name, v), min, max);
    }

    /** A seed: a whole number with at most 2^53 - 1 in magnitude. */
    long seed(String name, long def) {
        return longIn(name, def, -MAX_SEED, MAX_SEED);
    }

    /** One of {@code choices} (case-insensitive, returned in lower case), or {@code def}. */
    String choice(String name, String def, Set<String> choices) {
        String v = get(name);
        if (v == null) {
            return def;
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (!choices.contains(lower)) {
            throw WebException.badRequest(name + " must be one of " + String.join(", ", new TreeSet<>(choices))
                    + ", got '" + shorten(v) + "'");
        }
        return lower;
    }

    static long parseLong(String name, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw WebException.badRequest(name + " must be a whole number, got '" + shorten(v) + "'");
        }
    }

    static long checkRange(String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw WebException.badRequest(name + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    /** A finite number in {@code [min, max]}. */
    static double parseDouble(String name, String v, double min, double max) {
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw WebException.badRequest(name + " must be a number, got '" + shorten(v) + "'");
        }
        if (!Double.isFinite(d)) {
            throw WebException.badRequest(name + " must be a finite number, got '" + shorten(v) + "'");
        }
        if (d < min || d > max) {
            throw WebException.badRequest(name + " must be between " + min + " and " + max + ", got " + shorten(v));
        }
        return d;
    }
}
