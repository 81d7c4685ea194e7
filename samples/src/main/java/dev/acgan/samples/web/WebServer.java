package dev.acgan.samples.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.acgan.api.checkpoint.CheckpointException;
import dev.acgan.api.data.DatasetException;
import dev.acgan.api.spec.SpecException;
import dev.acgan.api.spi.BackendException;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.export.ExportException;
import dev.acgan.export.Exporter;
import dev.acgan.export.OnnxExporter;
import dev.acgan.export.WebPage;
import dev.acgan.samples.config.TrainSettings;
import dev.acgan.samples.run.FileNames;
import dev.acgan.samples.run.TrainingSession;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web demo: the JDK's {@link HttpServer} serving the Generate page ({@code /}), the Train page
 * ({@code /train}), their scripts and styles ({@code /static/...}, from the jar), and the JSON / PNG /
 * event-stream API under {@code /api/}. Every route is matched exactly on the raw path; every query
 * parameter is checked; answers that fail carry {@code {"error": ..., "status": ...}}. POST requests
 * must be JSON from the page's own origin, and when bound to a loopback address only loopback host
 * names are answered (no DNS rebinding).
 */
@Singleton
public final class WebServer implements AutoCloseable {

    private static final java.util.regex.Pattern LOOPBACK_V4 =
            java.util.regex.Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /** The page that generates in the browser (acgan export's web format), for this server's generator. */
    static final String BROWSER = "/browser/";

    /** Guards starting and stopping. */
    private final Object lock = new Object();

    private static final int MAX_THREADS = 64;
    /** Requests waiting for a thread at most; beyond, the JDK server closes the new connection. */
    private static final int MAX_QUEUED = 512;
    /**
     * Seconds a request may take to arrive and be answered before the JDK server closes its connection
     * ({@code sun.net.httpserver.maxReqTime}, unlimited by default). The JDK server reads request headers and
     * bodies on its worker threads, so without it 64 clients that never finish a request held every thread
     * for as long as they liked (found by ServeAbuseTest). An event stream is in its response, not its request,
     * and is not cut.
     */
    static final String MAX_REQUEST_SECONDS = "15";

    static {
        // Read once, when the JDK's server class initialises: set before the first server is created.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
        }
    }

    /** Handles one request. */
    @FunctionalInterface
    private interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    private record Route(String method, Handler handler) {}

    private final ServeOptions options;
    private final GeneratorService generator;
    private final TrainingManager training;
    private final EventHub hub;
    private final Backends backends;
    private final StaticFiles files = new StaticFiles();
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private HttpServer server;
    private ThreadPoolExecutor executor;
    private boolean closed;

    @Inject
    WebServer(
            ServeOptions options,
            GeneratorService generator,
            TrainingManager training,
            EventHub hub,
            Backends backends) {
        this.options = options;
        this.generator = generator;
        this.training = training;
        this.hub = hub;
        this.backends = backends;
        page("/", "index.html");
        get("/browser", ex -> {
            ex.getResponseHeaders().set("Location", BROWSER);
            Http.send(ex, 301, "text/plain; charset=utf-8", new byte[0], Map.of());
        });
        page("/train", "train.html");
        get("/api/info", this::info);
        get("/api/model", this::model);
        get("/api/generate.png", this::generate);
        get("/api/latent.png", this::latent);
        get("/api/interpolate.png", this::interpolate);
        get("/api/noise", this::noise);
        get("/api/train/status", ex -> {
            Query.parse(ex.getRequestURI().getRawQuery(), Set.of());
            Http.json(ex, 200, training.status());
        });
        get("/api/train/events", this::events);
        get("/api/train/grid.png", this::grid);
        get("/api/train/checkpoint.zip", this::checkpointZip);
        post("/api/train/start", ex -> {
            TrainRequest req = TrainRequest.parse(Json.readObject(Http.body(ex)), backends);
            Http.json(ex, 202, training.start(req));
        });
        post("/api/train/pause", ex -> Http.json(ex, 200, training.pause()));
        post("/api/train/resume", ex -> Http.json(ex, 200, training.resume()));
        post("/api/train/stop", ex -> Http.json(ex, 200, training.stop()));
    }

    private void page(String path, String file) {
        get(path, ex -> {
            Query.parse(ex.getRequestURI().getRawQuery(), Set.of("source"));
            sendFile(ex, files.get(file).orElseThrow());
        });
    }

    private void get(String path, Handler h) {
        routes.put(path, new Route("GET", h));
    }

    private void post(String path, Handler h) {
        routes.put(path, new Route("POST", h));
    }

    // ---------------------------------------------------------------------------------------------
    // Life cycle

    /**
     * Binds and starts serving.
     *
     * @throws UncheckedIOException when the address cannot be bound (e.g. the port is taken)
     */
    public WebServer start() {
        synchronized (lock) {
            if (server != null) {
                return this;
            }
            AtomicInteger n = new AtomicInteger();
            // A queue rather than a hand-off: while every thread is busy (or held by a slow client until
            // maxReqTime), new requests wait instead of having their connection closed.
            executor = new ThreadPoolExecutor(
                    MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(MAX_QUEUED), r -> {
                        Thread t = new Thread(r, "acgan-web-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            executor.allowCoreThreadTimeOut(true);
            try {
                server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 64);
            } catch (IOException e) {
                executor.shutdownNow();
                throw new UncheckedIOException(
                        "cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage()
                                + (options.port() != 0 ? " (try another --port, or --port 0 for a free one)" : ""),
                        e);
            }
            server.setExecutor(executor);
            server.createContext("/", this::dispatch);
            server.start();
            LOG.debug("listening on {}", url());
            return this;
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The address of the Generate page, e.g. {@code http://127.0.0.1:8080/}. */
    public URI url() {
        String host = options.host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** The training manager (for tests and the command). */
    public TrainingManager training() {
        return training;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops: a running training finishes its step and writes its checkpoint (waiting at most
     * {@value TrainingSession#STOP_WAIT_SECONDS} s), the event streams end, the server closes.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            training.shutdown(TrainingSession.STOP_WAIT_SECONDS);
            hub.close();
            if (server != null) {
                server.stop(0);
            }
            if (executor != null) {
                executor.shutdownNow();
            }
            generator.close();
            LOG.info("server stopped");
        } finally {
            stopped.countDown();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Dispatch

    private void dispatch(HttpExchange ex) {
        String path = ex.getRequestURI().getRawPath();
        try {
            checkHost(ex);
            Route route = routes.get(path);
            if (route == null && path.startsWith("/static/")) {
                String name = path.substring("/static/".length());
                route = new Route("GET", e -> {
                    Query.parse(e.getRequestURI().getRawQuery(), Set.of("v"));
                    sendFile(e, files.get(name).orElseThrow(() -> WebException.notFound("no such file")));
                });
                if (files.get(name).isEmpty()) {
                    throw WebException.notFound("no such file: " + Query.shorten(path));
                }
            }
            if (route == null && path.startsWith(BROWSER)) {
                String name = path.substring(BROWSER.length());
                route = new Route("GET", e -> browserFile(e, name));
            }
            if (route == null) {
                throw WebException.notFound("nothing at " + Query.shorten(path)
                        + (path.startsWith("/api/")
                                ? ""
                                : "; the pages are / (Generate), /train (Train) and " + BROWSER
                                        + " (in your browser)"));
            }
            String method = ex.getRequestMethod();
            if (!route.method().equals(method)) {
                ex.getResponseHeaders().set("Allow", route.method());
                throw new WebException(405, method + " is not allowed here; use " + route.method());
            }
            if (method.equals("POST")) {
                checkPost(ex);
                Query.parse(ex.getRequestURI().getRawQuery(), Set.of());
            }
            route.handler().handle(ex);
        } catch (WebException e) {
            fail(ex, e.status(), e.getMessage(), null);
        } catch (SpecException e) {
            fail(ex, 500, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            fail(ex, 400, e.getMessage(), null);
        } catch (CheckpointException | BackendException | DatasetException | UncheckedIOException e) {
            fail(ex, 500, e.getMessage(), e);
        } catch (IOException e) {
            LOG.debug("{} {}: {}", ex.getRequestMethod(), path, e.toString());
        } catch (RuntimeException | LinkageError e) {
            fail(ex, 500, "internal error: " + e, e);
        } finally {
            ex.close();
        }
    }

    private void fail(HttpExchange ex, int status, String message, Throwable cause) {
        if (cause != null) {
            LOG.warn("{} {}: {}", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), message);
            LOG.debug("stack trace", cause);
        }
        if (ex.getResponseCode() != -1) {
            return; // the answer has begun (a stream); the connection just ends
        }
        try {
            Http.error(ex, status, message == null ? "(no message)" : message.strip());
        } catch (IOException e) {
            LOG.debug("cannot send the error: {}", e.toString());
        }
    }

    private void checkHost(HttpExchange ex) {
        if (!isLoopback(options.host())) {
            return;
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return;
        }
        String h = host.toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        String name = colon > 0 && !h.endsWith("]") ? h.substring(0, colon) : h;
        // Literal loopback addresses only: a name such as 127.x.attacker.example must not pass (DNS rebinding).
        if (!(name.equals("localhost")
                || name.equals("[::1]")
                || LOOPBACK_V4.matcher(name).matches())) {
            throw new WebException(403, "this server answers only to localhost addresses");
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    private static void checkPost(HttpExchange ex) {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        String host = ex.getRequestHeaders().getFirst("Host");
        if (origin != null && !origin.equalsIgnoreCase("http://" + host)) {
            throw new WebException(403, "cross-origin request refused");
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new WebException(415, "send a JSON body (Content-Type: application/json)");
        }
    }

    /**
     * The page of {@code acgan export --format web} (from acgan-export's jar), with the ONNX model and description of
     * this server's generator: {@code ?source=} as the Generate page, which the page passes on to both.
     */
    private void browserFile(HttpExchange ex, String name) throws IOException {
        Query q = Query.parse(ex.getRequestURI().getRawQuery(), Set.of("source"));
        byte[] body;
        String file = name.isEmpty() ? WebPage.INDEX : name;
        if (file.equals(OnnxExporter.MODEL_FILE) || file.equals(Exporter.DESCRIPTION_FILE)) {
            GeneratorService.BrowserModel m = generator.browserModel(generator.source(q));
            body = file.equals(OnnxExporter.MODEL_FILE) ? m.onnx() : m.description();
        } else if (WebPage.files().contains(file)) {
            try {
                body = WebPage.read(file);
            } catch (ExportException e) {
                throw WebException.notFound(e.getMessage());
            }
        } else {
            throw WebException.notFound("no such file: " + Query.shorten(BROWSER + name));
        }
        // WebAssembly compilation needs 'wasm-unsafe-eval'; everything else as the other pages.
        Http.send(
                ex,
                200,
                WebPage.contentType(file),
                body,
                Map.of(
                        "Cache-Control",
                        "no-cache",
                        "Content-Security-Policy",
                        "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self' "
                                + "'wasm-unsafe-eval'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                                + "form-action 'self'"));
    }

    private static void sendFile(HttpExchange ex, StaticFiles.File f) throws IOException {
        Http.send(ex, 200, f.contentType(), f.bytes(), Map.of("Cache-Control", "no-cache"));
    }

    // ---------------------------------------------------------------------------------------------
    // Generate

    private void info(HttpExchange ex) throws IOException {
        Query.parse(ex.getRequestURI().getRawQuery(), Set.of());
        Map<String, Object> m = new LinkedHashMap<>();
        String v = WebServer.class.getPackage().getImplementationVersion();
        m.put("version", v == null ? "0.1.0-SNAPSHOT" : v);
        List<Map<String, Object>> list = new ArrayList<>();
        for (GanBackend b : backends.all()) {
            list.add(Map.of("name", b.name(), "priority", b.priority()));
        }
        m.put("backends", list);
        m.put("defaultBackend", generator.backendName());
        m.put(
                "checkpoint",
                options.checkpoint() == null ? null : options.checkpoint().toString());
        m.put("sources", generator.sources());
        m.put("models", TrainRequest.MODELS);
        List<Map<String, Object>> data = new ArrayList<>();
        for (String d : TrainRequest.DATASETS) {
            data.add(Map.of("name", d, "available", TrainRequest.available(d)));
        }
        m.put("datasets", data);
        m.put("outdir", options.outdir().toString());
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("maxImages", GeneratorService.MAX_IMAGES);
        limits.put("maxScale", GeneratorService.MAX_SCALE);
        limits.put("maxSliders", GeneratorService.MAX_SLIDERS);
        limits.put("maxWalkSteps", GeneratorService.MAX_WALK_STEPS);
        limits.put("maxEpochs", TrainRequest.MAX_EPOCHS);
        limits.put("maxSteps", TrainRequest.MAX_STEPS);
        limits.put("maxBatchSize", TrainRequest.MAX_BATCH);
        limits.put("maxLearningRate", TrainRequest.MAX_LEARNING_RATE);
        limits.put("maxSeed", Query.MAX_SEED);
        m.put("limits", limits);
        m.put(
                "trainDefaults",
                Map.of(
                        "model",
                        TrainSettings.DEFAULT_MODEL,
                        "dataset",
                        TrainSettings.DEFAULT_DATASET,
                        "steps",
                        TrainSettings.QUICK_STEPS,
                        "batchSize",
                        TrainSettings.DEFAULT_BATCH_SIZE,
                        "learningRate",
                        TrainSettings.DEFAULT_LEARNING_RATE,
                        "sampleEvery",
                        TrainRequest.DEFAULT_SAMPLE_EVERY,
                        "checkpointEvery",
                        TrainSettings.DEFAULT_CHECKPOINT_EVERY,
                        "evalEvery",
                        TrainSettings.DEFAULT_EVAL_EVERY,
                        "seed",
                        TrainSettings.DEFAULT_SEED));
        Http.json(ex, 200, m);
    }

    private static final Set<String> SAMPLE_PARAMS = Set.of("source", "class", "count", "seed", "scale");
    private static final Set<String> LATENT_PARAMS = Set.of("source", "class", "seed", "z", "scale");
    private static final Set<String> WALK_PARAMS = Set.of("source", "class", "from", "to", "steps", "scale");

    private void model(HttpExchange ex) throws IOException {
        Query q = Query.parse(ex.getRequestURI().getRawQuery(), Set.of("source"));
        Http.json(ex, 200, generator.describe(generator.source(q)));
    }

    private void generate(HttpExchange ex) throws IOException {
        Query q = Query.parse(ex.getRequestURI().getRawQuery(), SAMPLE_PARAMS);
        GeneratorService.Source source = generator.source(q);
        String cls = classParam(q);
        int count = q.intIn("count", 10, 1, GeneratorService.MAX_IMAGES);
        long seed = q.seed("seed", 42);
        int scale = q.intIn("scale", 1, 1, GeneratorService.MAX_SCALE);
        sendPicture(ex, generator.samples(source, cls, count, seed, scale), "class-" + cls + "-seed-" + seed);
    }

    private void latent(HttpExchange ex) throws IOException {
        Query q = Query.parse(ex.getRequestURI().getRawQuery(), LATENT_PARAMS);
        GeneratorService.Source source = generator.source(q);
        String cls = classParam(q);
        long seed = q.seed("seed", 42);
        int scale = q.intIn("scale", 1, 1, GeneratorService.MAX_SCALE);
        String zs = q.get("z");
        double[] z = new double[0];
        if (zs != null) {
            String[] parts = zs.split(",", -1);
            if (parts.length > GeneratorService.MAX_SLIDERS) {
                throw WebException.badRequest(
                        "z takes at most " + GeneratorService.MAX_SLIDERS + " values, got " + parts.length);
            }
            z = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                z[i] = Query.parseDouble(
                        "z[" + i + "]", parts[i].strip(), -GeneratorService.MAX_Z, GeneratorService.MAX_Z);
            }
        }
        sendPicture(ex, generator.latent(source, cls, seed, z, scale), "latent-class-" + cls + "-seed-" + seed);
    }

    private void interpolate(HttpExchange ex) throws IOException {
        Query q = Query.parse(ex.getRequestURI().getRawQuery(), WALK_PARAMS);
        GeneratorService.Source source = generator.source(q);
        String cls = classParam(q);
        long from = q.seed("from", 1);
        long to = q.seed("to", 2);
        int steps = q.intIn("steps", 10, 2, GeneratorService.MAX_WALK_STEPS);
        int scale = q.intIn("scale", 1, 1, GeneratorService.MAX_SCALE);
        sendPicture(
                ex,
                generator.walk(source, cls, from, to, steps, scale),
                "walk-class-" + cls + "-" + from + "-to-" + to);
    }

    private void noise(HttpExchange ex) throws IOException {
        Query q = Query.parse(ex.getRequestURI().getRawQuery(), Set.of("source", "seed", "dims"));
        GeneratorService.Source source = generator.source(q);
        long seed = q.seed("seed", 42);
        int dims = q.intIn("dims", 5, 1, GeneratorService.MAX_SLIDERS);
        Http.json(ex, 200, generator.noise(source, seed, dims));
    }

    /** {@code all} or a whole number (its range is checked against the model). */
    private static String classParam(Query q) {
        String c = q.get("class", "all");
        if (c.equalsIgnoreCase("all")) {
            return "all";
        }
        return Long.toString(Query.parseLong("class", c));
    }

    private static void sendPicture(HttpExchange ex, GeneratorService.Picture p, String what) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Generate-Millis", Long.toString(p.millis()));
        h.put("X-Load-Millis", Long.toString(p.loadMillis()));
        h.put("X-Images", Integer.toString(p.images()));
        h.put("X-Model", p.from().meta().spec().name());
        h.put("X-Model-Step", Long.toString(p.from().meta().position().step()));
        h.put("X-Description", p.what().replaceAll("[^\\x20-\\x7e]", "?"));
        String name = p.from().meta().spec().name() + "-step-"
                + p.from().meta().position().step() + "-" + what;
        h.put("Content-Disposition", "inline; filename=\"" + name.replaceAll("[^A-Za-z0-9._-]", "_") + ".png\"");
        Http.send(ex, 200, "image/png", p.png(), h);
    }

    // ---------------------------------------------------------------------------------------------
    // Train

    private void events(HttpExchange ex) throws IOException {
        Query.parse(ex.getRequestURI().getRawQuery(), Set.of());
        EventHub.Client client = training.subscribe();
        Http.securityHeaders(ex.getResponseHeaders());
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            hub.pump(client, out);
        }
    }

    private void grid(HttpExchange ex) throws IOException {
        Query q = Query.parse(ex.getRequestURI().getRawQuery(), Set.of("step", "run"));
        long step = q.longIn("step", -1, -1, Long.MAX_VALUE);
        q.intIn("run", 0, 0, Integer.MAX_VALUE);
        Path file = training.grid(step < 0 ? null : step)
                .orElseThrow(() -> WebException.notFound("no sample grid yet; start a training on this page"));
        Http.send(ex, 200, "image/png", Files.readAllBytes(file), Map.of("X-Grid-File", FileNames.name(file)));
    }

    private void checkpointZip(HttpExchange ex) throws IOException {
        Query.parse(ex.getRequestURI().getRawQuery(), Set.of("run"));
        // A running training prunes old checkpoints (--keep): the zip is built in memory from one consistent
        // read, and a checkpoint pruned while it was being read is replaced by the newer one.
        for (int attempt = 0; ; attempt++) {
            Path ckpt = training.latestCheckpoint()
                    .orElseThrow(() -> WebException.notFound(
                            "no checkpoint yet; a training writes one every 'checkpoint every' steps, at each epoch end and "
                                    + "when it stops"));
            byte[] body;
            try {
                body = zip(ckpt);
            } catch (NoSuchFileException e) {
                if (attempt < 2) {
                    continue;
                }
                throw e;
            }
            // RUN/checkpoints/step-N: named after the run
            Path checkpoints = ckpt.getParent();
            Path runDir = checkpoints == null ? null : checkpoints.getParent();
            String run = runDir == null ? "checkpoint" : FileNames.name(runDir);
            String name = (run + "-" + ckpt.getFileName()).replaceAll("[^A-Za-z0-9._-]", "_");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + name + ".zip\"");
            Http.send(ex, 200, "application/zip", body, Map.of());
            return;
        }
    }

    private static byte[] zip(Path ckpt) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(ckpt)) {
            entries = s.filter(Files::isRegularFile).sorted().toList();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Path f : entries) {
                byte[] content = Files.readAllBytes(f);
                zip.putNextEntry(new ZipEntry(ckpt.getFileName() + "/" + f.getFileName()));
                zip.write(content);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
