package dev.acgan.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The static page of {@link ExportFormat#WEB}: generation in the browser with {@value OnnxExporter#MODEL_FILE} on
 * onnxruntime-web's WebAssembly (CPU) backend, one thread, with no server but a static one. Its files come from this
 * jar ({@code dev/acgan/export/web/}); the runtime's two files ({@value #RUNTIME_MODULE} and {@value #RUNTIME_WASM}) are
 * the npm package {@code onnxruntime-web}, copied in when the jar is built (see {@link #runtimeBundled()}).
 *
 * <p>{@code acgan serve} serves the same files (its "in your browser" page) with the served checkpoint's model.
 */
public final class WebPage {

    /** The page's entry file. */
    public static final String INDEX = "index.html";
    /** onnxruntime-web's ES module (the WebAssembly build with its loader inside). */
    public static final String RUNTIME_MODULE = "ort/ort.wasm.bundle.min.mjs";
    /** onnxruntime-web's WebAssembly binary (SIMD; run with one thread). */
    public static final String RUNTIME_WASM = "ort/ort-wasm-simd-threaded.wasm";

    private static final String ROOT = "/dev/acgan/export/web/";
    private static final List<String> PAGE = List.of(INDEX, "acgan-web.js", "app.css", "favicon.svg");
    private static final List<String> RUNTIME = List.of(RUNTIME_MODULE, RUNTIME_WASM, "ort/package.json");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "wasm", "application/wasm",
            "json", "application/json",
            "onnx", "application/octet-stream");

    private WebPage() {}

    /** The page's own files and the runtime's, as paths relative to the export directory. */
    public static List<String> files() {
        return java.util.stream.Stream.concat(PAGE.stream(), RUNTIME.stream()).toList();
    }

    /** Whether this jar carries onnxruntime-web (it is built in where npm was present at build time). */
    public static boolean runtimeBundled() {
        return WebPage.class.getResource(ROOT + RUNTIME_WASM) != null
                && WebPage.class.getResource(ROOT + RUNTIME_MODULE) != null;
    }

    /** The bundled onnxruntime-web's version, e.g. {@code 1.30.0}. */
    public static String runtimeVersion() {
        checkRuntime();
        try (InputStream in = WebPage.class.getResourceAsStream(ROOT + "ort/package.json")) {
            if (in == null) {
                return "unknown";
            }
            String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"")
                    .matcher(json);
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The bytes of one of {@link #files()}.
     *
     * @throws ExportException when the runtime is not in this jar, or the name is not one of the page's files
     */
    public static byte[] read(String name) {
        if (!files().contains(name)) {
            throw new ExportException("not a file of the web page: " + name);
        }
        if (RUNTIME.contains(name)) {
            checkRuntime();
        }
        try (InputStream in = WebPage.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new ExportException("resource " + ROOT + name + " is missing from acgan-export's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + ROOT + name, e);
        }
    }

    /** The Content-Type to serve a file of the page (or {@value OnnxExporter#MODEL_FILE}) with. */
    public static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    private static void checkRuntime() {
        if (!runtimeBundled()) {
            throw new ExportException("this build of acgan-export has no browser runtime (onnxruntime-web): it is "
                    + "copied in from npm when the jar is built, and npm was not found (install Node.js and npm, e.g. "
                    + "Debian's nodejs and npm, and build again, or build with -Pweb-runtime)");
        }
    }
}
