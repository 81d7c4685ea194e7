package dev.acgan.samples.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writing answers with the headers every answer carries. */
final class Http {

    /** Request bodies larger than this are refused (413). */
    static final int MAX_BODY = 64 * 1024;

    static final String JSON = "application/json; charset=utf-8";

    private Http() {}

    /** Headers on every answer: no sniffing, no framing, no referrer, scripts and styles from this server only. */
    static void securityHeaders(Headers h) {
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; "
                        + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    }

    /** Sends a complete body. */
    static void send(HttpExchange ex, int status, String contentType, byte[] body, Map<String, String> extra)
            throws IOException {
        Headers h = ex.getResponseHeaders();
        securityHeaders(h);
        h.set("Content-Type", contentType);
        if (!h.containsKey("Cache-Control")) {
            h.set("Cache-Control", "no-store");
        }
        if (extra != null) {
            extra.forEach(h::set);
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** Sends a value as JSON. */
    static void json(HttpExchange ex, int status, Object value) throws IOException {
        send(ex, status, JSON, Json.write(value).getBytes(StandardCharsets.UTF_8), null);
    }

    /** Sends {@code {"error": message, "status": status}}. */
    static void error(HttpExchange ex, int status, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        json(ex, status, body);
    }

    /** Reads the request body (at most {@link #MAX_BODY} bytes; 413 beyond). */
    static byte[] body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > MAX_BODY) {
                    throw new WebException(413, "the request body is larger than " + MAX_BODY + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }
}
