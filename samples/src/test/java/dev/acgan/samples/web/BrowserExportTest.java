package dev.acgan.samples.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.model.Generator;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.Layout;
import dev.acgan.eval.render.ImageGrid;
import dev.acgan.eval.render.SampleGrid;
import dev.acgan.export.OnnxExporter;
import dev.acgan.export.WebPage;
import dev.acgan.samples.cli.Cli;
import dev.acgan.samples.run.CheckpointStore;
import dev.acgan.tck.ParityTolerances;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code acgan export --format web} in Debian's headless Chromium: the exported directory served by a plain static
 * server on loopback (which sends {@code .mjs}, {@code .wasm} and {@code .json} as {@code application/octet-stream}, as
 * a server that does not know them would), the page's noise and images compared with the backend's generator and with {@code acgan serve}'s
 * picture for the same seed and class, {@code acgan serve}'s own {@code /browser/} page, and the messages for a missing
 * and a damaged model. Screenshots go to {@code target/screenshots/}. Skipped when the browser or the bundled runtime
 * is missing, except on CI ({@code CI} set).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserExportTest {

    static WebDriver driver;
    static HttpServer files;
    static WebServer serve;
    static Path root;
    static Path shots;
    static Path checkpoint;

    @BeforeAll
    static void start() throws IOException {
        boolean browser = Files.isExecutable(Path.of(BrowserTest.CHROMIUM))
                && Files.isExecutable(Path.of(BrowserTest.CHROMEDRIVER));
        boolean runtime = WebPage.runtimeBundled();
        String ci = System.getenv("CI");
        if (!browser || !runtime) {
            String why = !browser
                    ? "no " + BrowserTest.CHROMIUM + " / " + BrowserTest.CHROMEDRIVER
                    : "acgan-export was built without onnxruntime-web (npm missing at build time)";
            if (ci != null && !ci.isBlank()) {
                fail("CI is set but " + why + " (.ci/run installs chromium, chromium-driver, nodejs and npm)");
            }
            Assumptions.assumeTrue(false, why + "; the in-browser page's test is skipped");
        }
        Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
        shots = Path.of(System.getProperty("basedir", ".")).resolve("target").resolve("screenshots");
        Files.createDirectories(shots);
        Path run = WebFixture.trainedRun();
        checkpoint = CheckpointStore.resolve(run).orElseThrow();

        // The export, and two copies of it: one without the model, one with a damaged model.
        root = Files.createTempDirectory(WebFixture.root(), "static");
        Path web = root.resolve("web");
        Cli.Result r = Cli.run("export", "--checkpoint", run.toString(), "--format", "web", "--out", web.toString())
                .expect(0);
        assertTrue(r.out().contains("Page " + web.resolve(WebPage.INDEX)), r.out());
        copy(web, root.resolve("missing"));
        Files.delete(root.resolve("missing").resolve(OnnxExporter.MODEL_FILE));
        copy(web, root.resolve("damaged"));
        Path model = root.resolve("damaged").resolve(OnnxExporter.MODEL_FILE);
        byte[] bytes = Files.readAllBytes(model);
        Files.write(model, java.util.Arrays.copyOf(bytes, bytes.length / 3));

        files = staticServer(root);
        serve = WebFixture.server(run, "browser-export-runs");

        System.setProperty("webdriver.chrome.driver", BrowserTest.CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BrowserTest.CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(WebFixture.root(), "chromium-profile"),
                "--window-size=1280,1400",
                "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(BrowserTest.CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (files != null) {
            files.stop(0);
        }
        if (serve != null) {
            serve.close();
        }
    }

    @Test
    @Order(1)
    void generatesTheBackendsImagesInTheBrowser() throws Exception {
        driver.get(staticUrl("web/"));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(90));
        wait.until(d -> !"loading".equals(byId("model-info").getAttribute("data-state")));
        assertEquals(
                "loaded",
                byId("model-info").getAttribute("data-state"),
                byId("model-info").getText());
        assertTrue(
                byId("model-info").getText().contains("acgan-fast"),
                byId("model-info").getText());
        ModelSpec spec = Checkpoint.read(checkpoint).metadata().spec();

        // On load: every class, 10 each, seed 42; the noise is SampleGrid's for that seed, to the bit.
        wait.until(d -> runs("gen-time") >= 1);
        int[] classes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        SampleGrid all = SampleGrid.classes(spec, classes, 10, new SplittableRandom(42));
        assertArrayEquals(all.noise().data(), floats(last("gen-image", "noise")), "noise of seed 42");
        assertArrayEquals(all.labels(), ints(last("gen-image", "labels")));
        wait.until(d -> runs("walk-time") >= 1);

        // One class, as acgan serve's Generate page would be asked.
        new Select(byId("class")).selectByValue("7");
        type("count", "3");
        type("seed", "5");
        new Select(byId("scale")).selectByValue("3");
        long before = runs("gen-time");
        byId("generate").click();
        wait.until(
                d -> runs("gen-time") > before && byId("gen-time").getText().contains("3 images of class 7, seed 5"));
        assertTrue(byId("error").getAttribute("hidden") != null, "no error shown");
        SampleGrid one = SampleGrid.oneClass(spec, 7, 3, 10, new SplittableRandom(5));
        assertArrayEquals(one.noise().data(), floats(last("gen-image", "noise")), "noise of seed 5");
        assertArrayEquals(new long[] {3, 28, 28, 1}, longs(last("gen-image", "dims")));
        float[] inBrowser = floats(last("gen-image", "images"));

        // The backend's generator on the same inputs: equal within the TCK's output tolerance.
        ImageBatch expected;
        Checkpoint ckpt = Checkpoint.read(checkpoint);
        try (Generator g = Backends.discover()
                .select("tensorflow")
                .loadGenerator(ckpt.metadata().spec(), ckpt.tensors())) {
            expected = one.generate(g);
        }
        float[] want = expected.toLayout(Layout.NHWC).pixels();
        assertEquals(want.length, inBrowser.length);
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            double diff = Math.abs(want[i] - inBrowser[i]);
            worst = Math.max(worst, diff);
            double allowed = ParityTolerances.OUTPUT_ATOL + ParityTolerances.OUTPUT_RTOL * Math.abs(want[i]);
            if (diff > allowed) {
                fail("pixel " + i + ": backend " + want[i] + ", browser " + inBrowser[i] + " (allowed " + allowed
                        + ")");
            }
        }
        System.out.printf("browser vs tensorflow generator: max |diff| %.3g over %d values%n", worst, want.length);

        // The picture itself against acgan serve's PNG for the same request: the same grid, a level apart at most
        // (a value within the tolerance of a rounding edge).
        BufferedImage page = dataUrl(byId("gen-image").getAttribute("src"));
        BufferedImage server = png(serve.url().resolve("/api/generate.png?class=7&count=3&seed=5&scale=3"));
        assertEquals(server.getWidth(), page.getWidth());
        assertEquals(server.getHeight(), page.getHeight());
        assertEquals((3 * (28 + ImageGrid.PAD) + ImageGrid.PAD) * 3, page.getWidth());
        int off = 0;
        for (int y = 0; y < server.getHeight(); y++) {
            for (int x = 0; x < server.getWidth(); x++) {
                int a = server.getRaster().getSample(x, y, 0);
                int b = page.getRaster().getSample(x, y, 0);
                assertTrue(Math.abs(a - b) <= 1, "pixel (" + x + ", " + y + "): server " + a + ", page " + b);
                off += a != b ? 1 : 0;
            }
        }
        System.out.printf(
                "browser vs acgan serve picture: %d of %d pixels one level apart%n",
                off, server.getWidth() * server.getHeight());

        // The sliders regenerate the latent picture as they move; the walk's noise is SampleGrid's too.
        long latent = runs("latent-time");
        ((JavascriptExecutor) driver)
                .executeScript("const s = document.getElementById('z0'); s.value = s.value > 0 ? -0.8 : 0.8;"
                        + "s.dispatchEvent(new Event('input'));");
        wait.until(d -> runs("latent-time") > latent);
        assertTrue(
                byId("latent-time").getText().contains("z[0..4]"),
                byId("latent-time").getText());
        long walks = runs("walk-time");
        type("walk-steps", "6");
        byId("interpolate").click();
        wait.until(d -> runs("walk-time") > walks);
        SampleGrid walk = SampleGrid.interpolation(spec, new int[] {7}, 6, 1, 2);
        assertArrayEquals(walk.noise().data(), floats(last("walk-image", "noise")), "interpolation noise");
        screenshot("browser-export.png");

        type("count", "999");
        byId("generate").click();
        wait.until(d -> byId("error").isDisplayed());
        assertTrue(
                byId("error").getText().contains("count must be between 1 and 400, got 999"),
                byId("error").getText());
    }

    @Test
    @Order(2)
    void acganServeOffersTheSamePage() throws Exception {
        driver.get(serve.url().resolve("/").toString());
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(90));
        wait.until(d -> "loaded".equals(byId("model-info").getAttribute("data-state")));
        assertTrue(byId("browser-link").getAttribute("href").endsWith("/browser/?source=checkpoint"));
        byId("browser-link").click();
        wait.until(d -> !"loading".equals(byId("model-info").getAttribute("data-state")));
        assertEquals(
                "loaded",
                byId("model-info").getAttribute("data-state"),
                byId("model-info").getText());
        wait.until(d -> runs("gen-time") >= 1);
        int[] classes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        ModelSpec spec = Checkpoint.read(checkpoint).metadata().spec();
        assertArrayEquals(
                SampleGrid.classes(spec, classes, 10, new SplittableRandom(42))
                        .noise()
                        .data(),
                floats(last("gen-image", "noise")));
        assertEquals(
                OnnxExporter.generator(Checkpoint.read(checkpoint)).length,
                ((Number) js("return acganWeb.modelBytes;")).intValue());
        screenshot("browser-serve.png");
    }

    @Test
    @Order(3)
    void saysWhenTheModelIsMissingOrDamaged() throws IOException {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(90));
        driver.get(staticUrl("missing/"));
        wait.until(d -> "error".equals(byId("model-info").getAttribute("data-state")));
        assertTrue(byId("error").isDisplayed());
        assertTrue(
                byId("error").getText().contains("generator.onnx (the generator) is missing: the server answered 404"),
                byId("error").getText());
        assertTrue(!byId("generate").isEnabled(), "Generate is off without a model");

        driver.get(staticUrl("damaged/"));
        wait.until(d -> "error".equals(byId("model-info").getAttribute("data-state")));
        assertTrue(
                byId("error").getText().startsWith("generator.onnx is damaged or not an ONNX model"),
                byId("error").getText());
        screenshot("browser-export-damaged.png");
    }

    // ---------------------------------------------------------------------------------------------

    /** A minimal static file server: .html, .js, .css and .svg typed, everything else application/octet-stream. */
    private static HttpServer staticServer(Path dir) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        Map<String, String> types = Map.of(
                "html", "text/html; charset=utf-8", "js", "text/javascript", "css", "text/css", "svg", "image/svg+xml");
        s.createContext("/", ex -> {
            try (ex) {
                String path = ex.getRequestURI().getPath();
                Path f = dir.resolve(path.substring(1) + (path.endsWith("/") ? WebPage.INDEX : ""))
                        .normalize();
                if (!f.startsWith(dir) || !Files.isRegularFile(f)) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                String name = f.getFileName().toString();
                String ext = name.substring(name.lastIndexOf('.') + 1);
                ex.getResponseHeaders().set("Content-Type", types.getOrDefault(ext, "application/octet-stream"));
                ex.sendResponseHeaders(200, Files.size(f));
                try (OutputStream out = ex.getResponseBody()) {
                    Files.copy(f, out);
                }
            }
        });
        s.start();
        return s;
    }

    private static String staticUrl(String path) {
        return "http://127.0.0.1:" + files.getAddress().getPort() + "/" + path;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** A field of the inputs and outputs of a picture ({@code acganWeb.pictures}) as a plain array. */
    private static List<?> last(String img, String field) {
        return (List<?>) js("const v = acganWeb.pictures['" + img + "']['" + field + "'];"
                + " return v === null ? null : Array.from(v);");
    }

    private static float[] floats(List<?> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).floatValue();
        }
        return out;
    }

    private static int[] ints(List<?> values) {
        return values.stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    private static long[] longs(List<?> values) {
        return values.stream().mapToLong(v -> ((Number) v).longValue()).toArray();
    }

    private static long runs(String id) {
        String v = byId(id).getAttribute("data-run");
        return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
    }

    private static BufferedImage dataUrl(String src) throws IOException {
        assertTrue(src.startsWith("data:image/png;base64,"), src.substring(0, Math.min(40, src.length())));
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1))));
    }

    private static BufferedImage png(URI url) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), () -> new String(r.body()));
        return ImageIO.read(new ByteArrayInputStream(r.body()));
    }

    private static WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    private static void type(String id, String text) {
        WebElement e = byId(id);
        e.clear();
        e.sendKeys(text);
    }

    private static void screenshot(String name) throws IOException {
        Path tmp = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.move(tmp, shots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
