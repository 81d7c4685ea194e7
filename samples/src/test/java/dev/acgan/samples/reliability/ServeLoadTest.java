package dev.acgan.samples.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.samples.cli.Cli;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code acgan serve} under load (docs/RELIABILITY.md): a real server in a child JVM, serving an acgan-mnist
 * checkpoint on loopback, gets generate requests from {@value #CLIENTS} concurrent clients (random class, count
 * 1-16 and seed, one in ten malformed) while {@value #STREAMS} pages hold event streams open. Every valid request
 * must be a PNG and every malformed one a 400; then a training is started and a second one is refused with 409.
 * Latency (p50/p99), throughput and the server's resident memory (VmRSS sampled every second) are reported,
 * not asserted: speed and memory are benchmark figures.
 *
 * <p>{@code mvn verify} loads it for 10 s; {@code -Dacgan.load.seconds=60} is the long mode. The report goes to
 * {@code target/reliability/serve-load.txt}.
 */
class ServeLoadTest {

    static final int CLIENTS = 8;
    static final int STREAMS = 8;
    private static final int SECONDS = Integer.getInteger("acgan.load.seconds", 10);

    @TempDir
    Path tmp;

    @Test
    void concurrentGenerateRequestsAreAllAnsweredAndTheServerKeepsServing() throws Exception {
        Path run = tmp.resolve("run");
        Cli.run(
                        "train",
                        "--model",
                        "acgan",
                        "--batch-size",
                        "8",
                        "--steps",
                        "2",
                        "--sample-every",
                        "0",
                        "--checkpoint-every",
                        "0",
                        "--outdir",
                        run.toString())
                .expect(0);
        ChildCli.Child server = ChildCli.start(
                tmp.resolve("logs"),
                "serve",
                null,
                List.of(
                        "serve",
                        "--checkpoint",
                        run.toString(),
                        "--port",
                        "0",
                        "--outdir",
                        tmp.resolve("web").toString()));
        try {
            URI base = awaitUrl(server);
            long pid = server.process.pid();
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            get(http, base.resolve("/api/generate.png?class=all&count=10")); // warm-up: loads the generator

            List<Socket> streams = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                Socket s = new Socket(base.getHost(), base.getPort());
                s.getOutputStream()
                        .write(("GET /api/train/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                streams.add(s);
            }
            List<long[]> rss = new ArrayList<>();
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            AtomicLong errors = new AtomicLong();
            AtomicLong bad = new AtomicLong();
            List<String> errorSamples = java.util.Collections.synchronizedList(new ArrayList<>());
            long t0 = System.nanoTime();
            long end = t0 + SECONDS * 1_000_000_000L;
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                SplittableRandom random = new SplittableRandom(c);
                clients.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        boolean malformed = random.nextInt(10) == 0;
                        String query = malformed
                                ? "class=" + (10 + random.nextInt(1000)) + "&count=" + random.nextInt(1000)
                                : "class=" + (random.nextInt(11) == 10 ? "all" : random.nextInt(10)) + "&count="
                                        + (1 + random.nextInt(16)) + "&seed=" + random.nextInt(1_000_000);
                        long s = System.nanoTime();
                        try {
                            HttpResponse<byte[]> r = http.send(
                                    HttpRequest.newBuilder(base.resolve("/api/generate.png?" + query))
                                            .timeout(Duration.ofSeconds(30))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
                            long took = System.nanoTime() - s;
                            boolean ok = malformed ? r.statusCode() == 400 : r.statusCode() == 200 && isPng(r.body());
                            if (!ok) {
                                errors.incrementAndGet();
                                errorSamples.add(query + " -> " + r.statusCode());
                            } else if (malformed) {
                                bad.incrementAndGet();
                            } else {
                                latencies.add(took);
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            errorSamples.add(query + " -> " + e);
                        }
                    }
                    return null;
                }));
            }
            while (System.nanoTime() < end) {
                rss.add(new long[] {(System.nanoTime() - t0) / 1_000_000_000L, rssKiB(pid)});
                Thread.sleep(1000);
            }
            for (Future<?> f : clients) {
                f.get();
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - t0) / 1e9;
            rss.add(new long[] {Math.round(seconds), rssKiB(pid)});

            // One training at a time: the second request while the first runs is a 409.
            String start = "{\"model\":\"gan\",\"steps\":200,\"batchSize\":8,\"sampleEvery\":100}";
            assertEquals(
                    202, post(http, base.resolve("/api/train/start"), start).statusCode());
            HttpResponse<String> second = post(http, base.resolve("/api/train/start"), start);
            assertEquals(409, second.statusCode(), second.body());
            assertTrue(second.body().contains("already running"), second.body());
            assertEquals(200, post(http, base.resolve("/api/train/stop"), "{}").statusCode());
            assertEquals(200, get(http, base.resolve("/api/info")).statusCode(), "still serving");
            for (Socket s : streams) {
                assertTrue(readsEvents(s), "event stream still open");
                s.close();
            }

            long[] sorted =
                    latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            long settled = rss.get(Math.min(rss.size() - 1, Math.max(1, rss.size() / 4)))[1];
            long last = rss.get(rss.size() - 1)[1];
            long max = rss.stream().mapToLong(r -> r[1]).max().orElse(0);
            String report = String.format(
                    Locale.ROOT,
                    "acgan serve under load: %d s, %d clients, %d event streams open%n"
                            + "  generate requests answered: %d (%.1f/s), malformed ones answered 400: %d, errors: %d (%.2f%%)%n"
                            + "  latency ms: p50 %.1f, p90 %.1f, p99 %.1f, max %.1f%n"
                            + "  server VmRSS MiB: after %d s %d, at the end %d (%+.1f%%), max %d; samples %s%n"
                            + "  second training while one runs: %d%s%n",
                    SECONDS,
                    CLIENTS,
                    STREAMS,
                    sorted.length,
                    sorted.length / seconds,
                    bad.get(),
                    errors.get(),
                    100.0 * errors.get() / Math.max(1, sorted.length + bad.get() + errors.get()),
                    pct(sorted, 50),
                    pct(sorted, 90),
                    pct(sorted, 99),
                    pct(sorted, 100),
                    rss.get(Math.min(rss.size() - 1, Math.max(1, rss.size() / 4)))[0],
                    settled >> 10,
                    last >> 10,
                    100.0 * (last - settled) / settled,
                    max >> 10,
                    rssSeries(rss),
                    second.statusCode(),
                    errorSamples.isEmpty()
                            ? ""
                            : String.format(
                                    "%n  first errors: %s", errorSamples.subList(0, Math.min(5, errorSamples.size()))));
            System.out.print(report);
            Path file = Path.of("target", "reliability", "serve-load.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, report, StandardCharsets.UTF_8);
            assertEquals(0, errors.get(), report);
            assertTrue(sorted.length > 0, report);
        } finally {
            server.process.destroy();
            server.await(60);
        }
    }

    private static URI awaitUrl(ChildCli.Child server) throws Exception {
        Pattern url = Pattern.compile("acgan serve: (http://\\S+/)");
        long end = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < end) {
            Matcher m = url.matcher(server.stdout());
            if (m.find()) {
                return URI.create(m.group(1));
            }
            if (!server.process.isAlive()) {
                throw new AssertionError("acgan serve exited: " + server.stderr());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("acgan serve printed no address within 120 s: " + server.stderr());
    }

    private static HttpResponse<byte[]> get(HttpClient http, URI uri) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean isPng(byte[] b) {
        return b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    /** Whether the stream's answer began with 200 and carries events. */
    private static boolean readsEvents(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[1 << 16];
        int n = in.read(buf);
        String got = n > 0 ? new String(buf, 0, n, StandardCharsets.UTF_8) : "";
        return got.startsWith("HTTP/1.1 200") && got.contains("event: ");
    }

    private static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static String rssSeries(List<long[]> rss) {
        int step = Math.max(1, rss.size() / 12);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < rss.size(); i += step) {
            out.add(rss.get(i)[0] + "s:" + (rss.get(i)[1] >> 10));
        }
        return String.join(" ", out);
    }
}
