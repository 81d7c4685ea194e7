package dev.acgan.samples.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The pages, scripts and styles, read once from the jar ({@code dev/acgan/samples/web/}). Only the
 * files listed here are served, by exact name, so no request path ever reaches the file system.
 */
final class StaticFiles {

    /** A file to serve. */
    record File(String name, String contentType, byte[] bytes) {}

    private static final String ROOT = "/dev/acgan/samples/web/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml");
    /** Files under {@code /static/}. */
    static final String[] ASSETS = {"app.css", "common.js", "chart.js", "generate.js", "train.js", "favicon.svg"};

    private final Map<String, File> files = new LinkedHashMap<>();

    StaticFiles() {
        load("index.html");
        load("train.html");
        for (String a : ASSETS) {
            load(a);
        }
    }

    private void load(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + ROOT + name + " is missing from the jar");
            }
            String ext = name.substring(name.lastIndexOf('.') + 1);
            files.put(name, new File(name, TYPES.get(ext), in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + ROOT + name, e);
        }
    }

    /** The file of that exact name, if it is one of ours. */
    Optional<File> get(String name) {
        return Optional.ofNullable(files.get(name));
    }
}
