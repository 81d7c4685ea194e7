package dev.acgan.samples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code acgan serve} under abuse on loopback (docs/RELIABILITY.md): oversized and malformed request lines,
 * query strings and bodies, slow clients that never finish their request, more event streams than allowed,
 * path traversal on static files. Each gets a clear 4xx (or its connection closed), and after each the server
 * still answers a normal request within seconds.
 */
class ServeAbuseTest {

    static WebServer server;
    static int port;

    @BeforeAll
    static void start() {
        server = WebFixture.server(WebFixture.trainedRun(), "abuse-runs");
        port = server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void oversizedAndMalformedRequestsAre4xx() throws Exception {
        String big = "a".repeat(200_000);
        assertStatus(400, "GET /api/generate.png?class=" + big + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertStatus(400, "GET /api/generate.png?" + "x=1&".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        // Not a URI at all: the JDK's server answers 400 itself, before any handler.
        assertTrue(exchange("GET /api/generate.png?class=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .startsWith("HTTP/1.1 400"));
        assertStatus(400, "GET /api/generate.png?count=99999999999999999999999 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertStatus(400, "GET /api/generate.png?seed=1e400&count=-1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertStatus(400, "GET /api/generate.png?class=%00%ff%fe HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        // A body over the 64 KiB limit, announced or not.
        String body = "{\"steps\":\"" + "9".repeat(1 << 20) + "\"}";
        assertStatus(
                413,
                "POST /api/train/start HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        assertStatus(
                413,
                "POST /api/train/start HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body
                        + "\r\n0\r\n\r\n");
        assertStatus(
                400,
                "POST /api/train/start HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 8\r\n\r\n{\"a\":[[[");
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertStatus(
                400,
                "POST /api/train/start HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + deep.length() + "\r\n\r\n" + deep);
        // Garbage instead of HTTP: the connection is closed or answered 400, never anything else.
        for (String junk : List.of(
                "\u0000\u0001\u0002\r\n\r\n",
                "GET\r\n\r\n",
                "BREW /coffee HTCPCP/1.0\r\n\r\n",
                "GET /" + "%".repeat(10_000) + " HTTP/1.1\r\n\r\n")) {
            String answer = exchange(junk);
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 4"), junk.strip() + " -> " + firstLine(answer));
        }
        for (String p : List.of(
                "/static/../../../../etc/passwd",
                "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                "/static/..\\..\\pom.xml",
                "/static//etc/passwd",
                "/static/%252e%252e/pom.xml",
                "/static/app.css%00.html",
                "//etc/passwd",
                "/static/./app.css")) {
            String answer = exchange("GET " + p + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertTrue(
                    answer.startsWith("HTTP/1.1 404") || answer.startsWith("HTTP/1.1 400"),
                    p + " -> " + firstLine(answer));
            assertFalse(answer.contains("root:") || answer.contains("<project"), p + " leaked a file");
        }
        assertServing();
    }

    @Test
    void slowClientsDoNotStopTheServer() throws Exception {
        // More half-sent requests than the server has threads (64): headers that never end, and bodies that
        // never come. Each holds a connection; none may stop the others being served.
        List<Socket> slow = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                Socket s = new Socket("127.0.0.1", port);
                OutputStream out = s.getOutputStream();
                if (i % 2 == 0) {
                    out.write("GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                            .getBytes(StandardCharsets.US_ASCII));
                } else {
                    out.write(("POST /api/train/start HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: 1000\r\n\r\n{\"st")
                            .getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                slow.add(s);
            }
            // Requests queue behind the slow ones, which the server cuts after maxReqTime (15 s); one queued for
            // that long may be cut with them, so a client retries as browsers do.
            String answer = "";
            while (!answer.startsWith("HTTP/1.1 200") && System.nanoTime() - t0 < 45_000_000_000L) {
                answer = exchange("GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 20);
            }
            assertTrue(answer.startsWith("HTTP/1.1 200"), "served within 45 s: " + firstLine(answer));
            double waited = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    java.util.Locale.ROOT, "100 slow clients: a normal request was answered after %.1f s%n", waited);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        assertServing();
    }

    @Test
    void manyEventStreamsAreCappedAndTheServerKeepsServing() throws Exception {
        List<Socket> streams = new ArrayList<>();
        try {
            int accepted = 0;
            int refused = 0;
            for (int i = 0; i < EventHub.MAX_CLIENTS + 10; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.setSoTimeout(10_000);
                s.getOutputStream()
                        .write("GET /api/train/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                String head = readHead(s.getInputStream());
                if (head.startsWith("HTTP/1.1 200")) {
                    accepted++;
                    streams.add(s);
                } else {
                    assertTrue(head.startsWith("HTTP/1.1 503"), head);
                    refused++;
                    s.close();
                }
            }
            assertEquals(EventHub.MAX_CLIENTS, accepted);
            assertEquals(10, refused);
            assertServing();
        } finally {
            for (Socket s : streams) {
                s.close();
            }
        }
        assertServing();
    }

    private static void assertStatus(int status, String request) throws IOException {
        String answer = exchange(request);
        assertTrue(
                answer.startsWith("HTTP/1.1 " + status),
                () -> request.substring(0, Math.min(80, request.length())) + "... -> " + firstLine(answer));
        assertTrue(answer.contains("\"error\""), answer);
        assertServing();
    }

    /** A normal request answers 200 within 10 s. */
    static void assertServing() throws IOException {
        assertServing(10);
    }

    /** A normal request answers 200 within {@code seconds}. */
    static void assertServing(int seconds) throws IOException {
        String answer = exchange("GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", seconds);
        assertTrue(answer.startsWith("HTTP/1.1 200"), "the server still serves: " + firstLine(answer));
    }

    /** Sends raw bytes and reads the answer until the server closes or 10 s pass (empty when closed at once). */
    static String exchange(String request) throws IOException {
        return exchange(request, 10);
    }

    static String exchange(String request, int seconds) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(seconds * 1000);
            try {
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            } catch (IOException e) {
                // the server may close before reading everything (e.g. after a 413): read what it said
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                InputStream in = s.getInputStream();
                for (int n; (n = in.read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                    if (complete(got.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError(
                        "no complete answer within " + seconds + " s to "
                                + request.substring(0, Math.min(60, request.length())) + "...; got: " + got,
                        e);
            } catch (IOException e) {
                // reset after the answer was sent
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Whether an HTTP/1.1 answer with a Content-Length has arrived whole. */
    private static boolean complete(String s) {
        int end = s.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(s);
        return m.find() && m.start() < end && s.length() - end - 4 >= Long.parseLong(m.group(1));
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("(connection closed without an answer)");
    }
}
