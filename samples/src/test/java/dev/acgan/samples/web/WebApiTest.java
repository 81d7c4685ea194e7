package dev.acgan.samples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acgan.eval.render.ImageGrid;
import dev.acgan.eval.render.PictureFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API of {@code acgan serve} with plain requests: pictures, validation, errors, one training at a time. */
class WebApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int CELL = 28 + ImageGrid.PAD;
    static WebServer server;
    static HttpClient http;
    static URI base;

    @BeforeAll
    static void start() {
        server = WebFixture.server(WebFixture.trainedRun(), "api-runs");
        base = server.url();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Generate

    @Test
    void infoListsBackendsModelsDatasetsAndLimits() throws Exception {
        JsonNode info = json(get("/api/info"), 200);
        assertTrue(info.get("backends").size() >= 1);
        assertEquals("acgan", info.get("models").get(0).asText());
        assertEquals("mnist", info.get("datasets").get(0).get("name").asText());
        assertEquals(400, info.get("limits").get("maxImages").asInt());
        assertEquals("checkpoint", info.get("sources").get(0).asText(), "--checkpoint is the default source");
    }

    @Test
    void modelDescribesTheCheckpoint() throws Exception {
        JsonNode m = json(get("/api/model"), 200);
        assertEquals("acgan-fast", m.get("model").asText());
        assertEquals(10, m.get("classes").asInt());
        assertEquals(100, m.get("latentDim").asInt());
        assertEquals(2, m.get("step").asInt());
        assertTrue(m.get("checkpoint").asText().endsWith("step-000000002"), m.toString());
    }

    @Test
    void generatesOneClassAsAPngOfTheRightSize() throws Exception {
        HttpResponse<byte[]> r = get("/api/generate.png?class=3&count=4&seed=7&scale=2");
        assertEquals(200, r.statusCode());
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
        BufferedImage img = png(r);
        assertEquals((4 * CELL + ImageGrid.PAD) * 2, img.getWidth());
        assertEquals((CELL + ImageGrid.PAD) * 2, img.getHeight());
        assertEquals("4", r.headers().firstValue("X-Images").orElse(""));
        assertTrue(Long.parseLong(r.headers().firstValue("X-Generate-Millis").orElseThrow()) >= 0);
        assertEquals("2", r.headers().firstValue("X-Model-Step").orElse(""));
        assertTrue(r.headers().firstValue("Content-Disposition").orElse("").contains("class-3-seed-7"));
        BufferedImage again = png(get("/api/generate.png?class=3&count=4&seed=7&scale=2"));
        assertTrue(PictureFiles.samePixels(img, again), "the same seed gives the same images");
        assertFalse(PictureFiles.samePixels(img, png(get("/api/generate.png?class=3&count=4&seed=8&scale=2"))));
    }

    @Test
    void allClassesGiveOneRowEach() throws Exception {
        BufferedImage img = png(get("/api/generate.png?class=all&count=2&seed=1"));
        assertEquals(ImageGrid.extent(2, 28), img.getWidth());
        assertEquals(ImageGrid.extent(10, 28), img.getHeight());
    }

    @Test
    void latentSlidersChangeTheImageAndTheWalkStartsAtTheSeedsVector() throws Exception {
        BufferedImage plain = png(get("/api/latent.png?class=4&seed=11"));
        assertEquals(ImageGrid.extent(1, 28), plain.getWidth());
        BufferedImage moved = png(get("/api/latent.png?class=4&seed=11&z=0.9,-0.9,0.9"));
        assertFalse(PictureFiles.samePixels(plain, moved), "moving sliders changes the picture");
        BufferedImage row = png(get("/api/latent.png?class=all&seed=11&z=0.5"));
        assertEquals(ImageGrid.extent(10, 28), row.getWidth());
        assertEquals(ImageGrid.extent(1, 28), row.getHeight());

        BufferedImage walk = png(get("/api/interpolate.png?class=4&from=11&to=12&steps=5"));
        assertEquals(ImageGrid.extent(5, 28), walk.getWidth());
        assertEquals(ImageGrid.extent(1, 28), walk.getHeight());
        BufferedImage first = walk.getSubimage(0, 0, ImageGrid.extent(1, 28), ImageGrid.extent(1, 28));
        assertTrue(PictureFiles.samePixels(plain, first), "the walk starts at the noise vector of its first seed");

        JsonNode noise = json(get("/api/noise?seed=11&dims=3"), 200);
        assertEquals(3, noise.get("values").size());
        for (JsonNode v : noise.get("values")) {
            assertTrue(v.asDouble() >= noise.get("min").asDouble()
                    && v.asDouble() <= noise.get("max").asDouble());
        }
    }

    @Test
    void badParametersAre400WithAMessage() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("/api/generate.png?class=10", "class must be 'all' or between 0 and 9");
        cases.put("/api/generate.png?class=-1", "class must be 'all' or between 0 and 9");
        cases.put("/api/generate.png?class=seven", "class must be a whole number");
        cases.put("/api/generate.png?count=0", "count must be between 1 and 400");
        cases.put("/api/generate.png?count=401&class=1", "count must be between 1 and 400");
        cases.put("/api/generate.png?count=41&class=all", "at most 400");
        cases.put("/api/generate.png?seed=abc", "seed must be a whole number");
        cases.put("/api/generate.png?seed=99999999999999999", "seed must be between");
        cases.put("/api/generate.png?scale=9", "scale must be between 1 and 8");
        cases.put("/api/generate.png?source=elsewhere", "source must be one of checkpoint, training");
        cases.put("/api/generate.png?source=../../etc", "source must be one of");
        cases.put("/api/generate.png?checkpoint=/etc", "unknown parameter 'checkpoint'");
        cases.put("/api/generate.png?seed=1&seed=2", "given twice");
        cases.put("/api/latent.png?z=1,2,3,4,5,6,7,8,9", "at most 8");
        cases.put("/api/latent.png?z=NaN", "finite");
        cases.put("/api/latent.png?z=7", "between -5.0 and 5.0");
        cases.put("/api/latent.png?z=0.1,,0.2", "z[1] must be a number");
        cases.put("/api/interpolate.png?steps=1", "steps must be between 2 and 40");
        cases.put("/api/interpolate.png?steps=41", "steps must be between 2 and 40");
        cases.put("/api/interpolate.png?from=x", "from must be a whole number");
        cases.put("/api/noise?dims=9", "dims must be between 1 and 8");
        cases.put("/api/train/grid.png?step=abc", "step must be a whole number");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<byte[]> r = get(c.getKey());
            JsonNode body = json(r, 400);
            assertTrue(body.get("error").asText().contains(c.getValue()), c.getKey() + " -> " + body);
            assertEquals(400, body.get("status").asInt());
        }
        String answer = raw("GET /api/generate.png?seed=%zz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer); // refused before it reaches a handler
    }

    @Test
    void unknownPathsAre404AndPathsNeverReachTheFileSystem() throws Exception {
        for (String p : List.of(
                "/nope",
                "/api/nope",
                "/static/nope.js",
                "/static/",
                "/static/../pom.xml",
                "/static/..%2f..%2fpom.xml",
                "/static/%2e%2e/%2e%2e/pom.xml",
                "/../../../../etc/passwd",
                "/static/app.css/../../../pom.xml",
                "/index.html")) {
            String answer = raw("GET " + p + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
            assertTrue(
                    answer.startsWith("HTTP/1.1 404"),
                    p + " -> " + answer.lines().findFirst().orElse(""));
            assertFalse(answer.contains("<project"), p + " leaked a file");
            assertTrue(answer.contains("\"error\""), p);
        }
        HttpResponse<byte[]> css = get("/static/app.css");
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
        assertEquals(200, get("/").statusCode());
        assertEquals(200, get("/train").statusCode());
    }

    @Test
    void methodsOriginsAndHostsAreChecked() throws Exception {
        assertEquals(
                405,
                send(HttpRequest.newBuilder(base.resolve("/api/generate.png"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .header("Content-Type", "application/json")));
        assertEquals(405, get("/api/train/start").statusCode());
        assertEquals(
                415,
                send(HttpRequest.newBuilder(base.resolve("/api/train/start"))
                        .POST(HttpRequest.BodyPublishers.ofString("steps=5"))
                        .header("Content-Type", "application/x-www-form-urlencoded")));
        assertEquals(403, send(post("/api/train/start", "{}").header("Origin", "http://evil.example")));
        assertEquals(400, send(post("/api/train/stop?force=1", "{}")), "POST routes take no query parameters");
        String answer = raw("GET /api/info HTTP/1.0\r\nHost: attacker.example:" + base.getPort() + "\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
        String rebinding =
                raw("GET /api/info HTTP/1.0\r\nHost: 127.0.0.1.attacker.example:" + base.getPort() + "\r\n\r\n");
        assertTrue(rebinding.startsWith("HTTP/1.1 403"), "a name that starts like a loopback address: " + rebinding);
        assertTrue(raw("GET /api/info HTTP/1.0\r\nHost: localhost:" + base.getPort() + "\r\n\r\n")
                .startsWith("HTTP/1.1 200"));
        assertTrue(raw("GET /api/info HTTP/1.0\r\nHost: 127.0.0.1:" + base.getPort() + "\r\n\r\n")
                .startsWith("HTTP/1.1 200"));
    }

    @Test
    void badTrainingOptionsAre400() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(
                "{\"model\":\"biggan\"}",
                "model must be one of acgan, acgan-hq, acgan-hq-wide, acgan-mnist, cgan, gan");
        cases.put("{\"dataset\":\"images:/etc\"}", "dataset must be one of mnist, fashion-mnist");
        cases.put("{\"dataset\":\"../../x\"}", "dataset must be one of");
        cases.put("{\"backend\":\"cuda\"}", "unknown backend 'cuda'");
        cases.put("{\"batchSize\":0}", "batchSize must be between 1 and 1024");
        cases.put("{\"batchSize\":\"lots\"}", "batchSize must be a whole number");
        cases.put("{\"batchSize\":2.5}", "batchSize must be a whole number");
        cases.put("{\"steps\":\"0\"}", "steps must be between 1 and 10000000");
        cases.put("{\"epochs\":1001}", "epochs must be between 1 and 1000");
        cases.put("{\"learningRate\":\"-0.1\"}", "learningRate must be greater than 0");
        cases.put("{\"learningRate\":\"fast\"}", "learningRate must be a number");
        cases.put("{\"sampleEvery\":0}", "sampleEvery must be between 1");
        cases.put("{\"checkpointEvery\":-1}", "checkpointEvery must be between 0");
        cases.put("{\"seed\":\"x\"}", "seed must be a whole number");
        cases.put("{\"outdir\":\"/etc\"}", "unknown option 'outdir'");
        cases.put("[1,2]", "must be a JSON object");
        cases.put("{not json", "not valid JSON");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            JsonNode body = json(
                    http.send(post("/api/train/start", c.getKey()).build(), HttpResponse.BodyHandlers.ofByteArray()),
                    400);
            assertTrue(body.get("error").asText().contains(c.getValue()), c.getKey() + " -> " + body);
        }
    }

    @Test
    void oneTrainingAtATimeWithPauseResumeStopAndItsCheckpoint() throws Exception {
        // Before any training: nothing to show, nothing to control.
        assertEquals(404, get("/api/train/checkpoint.zip").statusCode());
        assertEquals(404, get("/api/train/grid.png").statusCode());
        assertEquals(404, get("/api/model?source=training").statusCode());
        assertTrue(json(http.send(post("/api/train/stop", "{}").build(), HttpResponse.BodyHandlers.ofByteArray()), 409)
                .get("error")
                .asText()
                .contains("no training is running"));

        HttpResponse<byte[]> started = http.send(
                post(
                                "/api/train/start",
                                "{\"model\":\"gan\",\"steps\":\"100000\",\"batchSize\":\"4\",\"sampleEvery\":\"3\","
                                        + "\"checkpointEvery\":\"0\",\"seed\":\"5\"}")
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        JsonNode s = json(started, 202);
        assertTrue(s.get("active").asBoolean());
        Path dir = Path.of(s.get("dir").asText());
        assertTrue(dir.getFileName().toString().startsWith("web-"), dir.toString());
        assertTrue(dir.startsWith(WebFixture.root().resolve("api-runs")), dir + " is under --outdir");

        JsonNode second =
                json(http.send(post("/api/train/start", "{}").build(), HttpResponse.BodyHandlers.ofByteArray()), 409);
        assertTrue(second.get("error").asText().contains("already running"), second.toString());

        JsonNode running = awaitState("running", 60);
        assertEquals("gan-mlp", running.get("model").asText());
        awaitStep(4, 60);
        JsonNode paused =
                json(http.send(post("/api/train/pause", "{}").build(), HttpResponse.BodyHandlers.ofByteArray()), 200);
        assertEquals("paused", paused.get("state").asText());
        // The step in flight finishes first (however long it takes on a loaded machine); then it holds.
        long at = json(get("/api/train/status"), 200).get("step").asLong();
        for (int i = 0; i < 120; i++) {
            Thread.sleep(500);
            long now = json(get("/api/train/status"), 200).get("step").asLong();
            if (now == at) {
                break;
            }
            at = now;
        }
        Thread.sleep(1000);
        assertEquals(at, json(get("/api/train/status"), 200).get("step").asLong(), "a paused training holds");
        assertEquals(
                409,
                http.send(post("/api/train/pause", "{}").build(), HttpResponse.BodyHandlers.ofByteArray())
                        .statusCode(),
                "already paused");
        assertEquals(
                "running",
                json(http.send(post("/api/train/resume", "{}").build(), HttpResponse.BodyHandlers.ofByteArray()), 200)
                        .get("state")
                        .asText());
        awaitStep(at + 2, 60);

        // The event stream starts with a snapshot holding the loss points so far.
        List<String> lines = firstEventLines();
        assertEquals("event: snapshot", lines.get(0));
        JsonNode snap = JSON.readTree(lines.get(1).substring("data: ".length()));
        assertTrue(snap.get("points").size() >= 1, snap.toString());
        assertEquals(3, snap.get("points").get(0).size(), "[step, d, g]");

        JsonNode stopping =
                json(http.send(post("/api/train/stop", "{}").build(), HttpResponse.BodyHandlers.ofByteArray()), 200);
        assertTrue(List.of("stopping", "stopped").contains(stopping.get("state").asText()));
        JsonNode stopped = awaitState("stopped", 60);
        long step = stopped.get("step").asLong();
        assertEquals(step, stopped.get("checkpointStep").asLong(), "stopping writes a checkpoint");
        assertTrue(stopped.get("message").asText().contains("stopped at step " + step));
        assertTrue(Files.isRegularFile(dir.resolve("config.yaml")));
        assertTrue(Files.readString(dir.resolve("metrics.csv")).lines().count() > step, "one metrics row per step");

        HttpResponse<byte[]> zip = get("/api/train/checkpoint.zip");
        assertEquals(200, zip.statusCode());
        assertEquals("application/zip", zip.headers().firstValue("Content-Type").orElse(""));
        assertEquals(
                zip.body().length,
                zip.headers().firstValueAsLong("Content-Length").orElse(-1),
                "built whole before sending, so a checkpoint pruned meanwhile cannot cut it short");
        assertTrue(zip.headers()
                .firstValue("Content-Disposition")
                .orElse("")
                .contains(String.format("step-%09d.zip", step)));
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        String stepDir = String.format("step-%09d/", step);
        assertEquals(List.of(stepDir + "checkpoint.json", stepDir + "tensors.safetensors"), names);

        BufferedImage grid = png(get("/api/train/grid.png"));
        assertEquals(ImageGrid.extent(10, 28), grid.getWidth(), "10x10 samples of the vanilla GAN");
        JsonNode model = json(get("/api/model?source=training"), 200);
        assertEquals("gan-mlp", model.get("model").asText());
        assertEquals(step, model.get("step").asLong());
        assertEquals(200, get("/api/generate.png?source=training&count=3").statusCode());
        assertTrue(json(get("/api/generate.png?source=training&class=3"), 400)
                .get("error")
                .asText()
                .contains("unconditional"));
        assertEquals(
                409,
                http.send(post("/api/train/resume", "{}").build(), HttpResponse.BodyHandlers.ofByteArray())
                        .statusCode(),
                "nothing to resume");
    }

    // ---------------------------------------------------------------------------------------------

    private static JsonNode awaitState(String state, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        JsonNode s;
        do {
            s = json(get("/api/train/status"), 200);
            if (s.get("state").asText().equals(state)) {
                return s;
            }
            assertNotEquals("failed", s.get("state").asText(), s.toString());
            Thread.sleep(100);
        } while (System.nanoTime() < end);
        throw new AssertionError("state " + state + " not reached: " + s);
    }

    private static void awaitStep(long step, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (json(get("/api/train/status"), 200).get("step").asLong() >= step) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("step " + step + " not reached");
    }

    private static List<String> firstEventLines() throws Exception {
        HttpResponse<Stream<String>> r = http.send(
                HttpRequest.newBuilder(base.resolve("/api/train/events"))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String> out = new ArrayList<>();
        try (Stream<String> lines = r.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext() && out.size() < 2) {
                String l = it.next();
                if (l.startsWith("event:") || (l.startsWith("data:") && !out.isEmpty())) {
                    out.add(l);
                }
            }
        }
        return out;
    }

    static HttpResponse<byte[]> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + pathAndQuery))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static int send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static JsonNode json(HttpResponse<byte[]> r, int status) throws IOException {
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(status, r.statusCode(), () -> r.uri() + " -> " + text);
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), text);
        return JSON.readTree(text);
    }

    static BufferedImage png(HttpResponse<byte[]> r) throws IOException {
        assertEquals(200, r.statusCode(), () -> r.uri() + " -> " + new String(r.body(), StandardCharsets.UTF_8));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertNotNull(img, r.uri() + " is a picture");
        return img;
    }

    /** Sends a request as written (no normalisation of the path) and returns the whole answer. */
    private static String raw(String request) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
