package dev.acgan.samples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.acgan.eval.render.ImageGrid;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
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
 * The two pages of {@code acgan serve} in Debian's headless Chromium, driven by Selenium through
 * Debian's chromedriver (never a downloaded one): generating digits, an error shown on the page, and a
 * short training watched live, paused, resumed and stopped. Screenshots go to
 * {@code target/screenshots/}. Skipped when the browser is missing, except on CI ({@code CI} set).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserTest {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final int CELL = 28 + ImageGrid.PAD;

    static WebServer server;
    static WebDriver driver;
    static Path userData;
    static Path shots;

    @BeforeAll
    static void start() throws IOException {
        boolean present = Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
        String ci = System.getenv("CI");
        if (!present) {
            if (ci != null && !ci.isBlank()) {
                fail("CI is set but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing (Debian packages chromium "
                        + "and chromium-driver; .ci/run installs them)");
            }
            Assumptions.assumeTrue(false, "no " + CHROMIUM + " / " + CHROMEDRIVER + "; browser tests skipped");
        }
        Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
        shots = Path.of(System.getProperty("basedir", ".")).resolve("target").resolve("screenshots");
        Files.createDirectories(shots);
        server = WebFixture.server(WebFixture.trainedRun(), "browser-runs");

        // Both paths are given, so Selenium Manager never runs and nothing is downloaded.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        userData = Files.createTempDirectory(WebFixture.root(), "chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
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
                "--user-data-dir=" + userData,
                "--window-size=1280,1500",
                "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
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
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void generatesADigitOfAChosenClassAndShowsErrors() throws IOException {
        driver.get(server.url().toString());
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
        wait.until(d -> "loaded".equals(byId("model-info").getAttribute("data-state")));
        assertTrue(
                byId("model-info").getText().contains("acgan-fast"),
                byId("model-info").getText());
        // The page generates on load: all classes, 10 each, at scale 2.
        wait.until(d -> naturalWidth("gen-image") == ImageGrid.extent(10, 28) * 2);

        new Select(byId("class")).selectByValue("7");
        type("count", "3");
        type("seed", "5");
        new Select(byId("scale")).selectByValue("3");
        byId("generate").click();
        // both sizes in one wait: choosing the scale generates too, so a second image may start loading between
        // two separate reads, and an image that is loading has natural size 0
        wait.until(d -> naturalWidth("gen-image") == (3 * CELL + ImageGrid.PAD) * 3
                && naturalHeight("gen-image") == (CELL + ImageGrid.PAD) * 3);
        String time = byId("gen-time").getText();
        assertTrue(time.matches("3 images in \\d+ ms.*class 7, seed 5.*"), time);
        assertTrue(byId("error").getAttribute("hidden") != null, "no error shown");
        String download = byId("download").getAttribute("download");
        assertTrue(download.endsWith("class-7-seed-5.png"), download);

        // The sliders regenerate the latent picture as they move.
        wait.until(d -> naturalWidth("latent-image") == ImageGrid.extent(1, 28));
        String before = byId("latent-time").getText();
        ((JavascriptExecutor) driver)
                .executeScript("const s = document.getElementById('z0'); s.value = s.value > 0 ? -0.8 : 0.8;"
                        + "s.dispatchEvent(new Event('input'));");
        wait.until(d -> !byId("latent-time").getText().equals(before));
        assertTrue(
                byId("latent-time").getText().contains("z[0..4]"),
                byId("latent-time").getText());
        wait.until(d -> naturalWidth("walk-image") == ImageGrid.extent(10, 28));
        screenshot("generate.png");

        type("count", "999");
        byId("generate").click();
        wait.until(d -> byId("error").isDisplayed());
        assertTrue(
                byId("error").getText().contains("count must be between 1 and 400, got 999"),
                byId("error").getText());
        screenshot("generate-error.png");
        type("count", "3");
        byId("generate").click();
        wait.until(d -> !byId("error").isDisplayed());
    }

    @Test
    @Order(2)
    void trainsLiveThenPausesResumesAndStops() throws IOException {
        driver.get(server.url().resolve("/train").toString());
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(90));
        wait.until(d -> "open".equals(byId("conn").getAttribute("data-conn")));
        wait.until(d -> new Select(byId("backend")).getOptions().size() >= 1);
        assertEquals("idle", byId("state").getText().toLowerCase());
        new Select(byId("model")).selectByValue("acgan");
        type("steps", "2000");
        type("batchSize", "4");
        type("sampleEvery", "2");
        type("checkpointEvery", "0");
        type("evalEvery", "3");
        byId("start").click();
        wait.until(d -> List.of("starting", "running").contains(byId("state").getAttribute("data-state")));
        wait.until(d -> "running".equals(byId("state").getAttribute("data-state")));
        wait.until(d -> gridStep() >= 2);
        String firstSrc = byId("grid").getAttribute("src");
        wait.until(d -> points() >= 4);
        wait.until(d -> !byId("grid").getAttribute("src").equals(firstSrc));
        wait.until(d -> naturalWidth("grid") == ImageGrid.extent(10, 28));
        assertTrue(
                byId("step-label").getText().matches("step \\d+ / 2000"),
                byId("step-label").getText());
        wait.until(d ->
                !byId("ips").getText().equals("–") && !byId("eta").getText().equals("–"));
        // Quality every 3 steps: the accuracy / FID stat and the quality chart fill in.
        wait.until(d -> byId("last-quality").getText().matches("\\d+\\.\\d% / \\d+\\.\\d"));
        wait.until(d -> Integer.parseInt(byId("quality-chart").getAttribute("data-points")) >= 1);

        // A second start is refused politely.
        byId("start").click();
        wait.until(d -> byId("train-error").isDisplayed());
        assertEquals("409", byId("train-error").getAttribute("data-status"));
        assertTrue(
                byId("train-error").getText().contains("already running"),
                byId("train-error").getText());
        screenshot("train-running.png");

        byId("pause").click();
        wait.until(d -> "paused".equals(byId("state").getAttribute("data-state")));
        assertFalse(byId("pause").isEnabled());
        assertTrue(byId("resume").isEnabled());
        byId("resume").click();
        wait.until(d -> "running".equals(byId("state").getAttribute("data-state")));
        int seen = points();
        wait.until(d -> points() > seen);

        byId("stop").click();
        wait.until(d -> "stopped".equals(byId("state").getAttribute("data-state")));
        String message = byId("run-message").getText();
        assertTrue(message.matches("stopped at step \\d+; checkpoint checkpoints/step-\\d+ written"), message);
        assertEquals("false", byId("download-ckpt").getAttribute("aria-disabled"));
        assertFalse(byId("stop").isEnabled());
        int step = Integer.parseInt(byId("step-label").getText().replaceAll("step (\\d+) / .*", "$1"));
        assertNotEquals(0, step);
        wait.until(d -> points() == step);
        screenshot("train-stopped.png");

        // Its checkpoint feeds the Generate page.
        byId("open-generate").click();
        wait.until(d -> "loaded".equals(byId("model-info").getAttribute("data-state")));
        assertEquals(
                "training", new Select(byId("source")).getFirstSelectedOption().getAttribute("value"));
        assertTrue(
                byId("model-info").getText().contains("step " + step),
                byId("model-info").getText());
        wait.until(d -> naturalWidth("gen-image") == ImageGrid.extent(10, 28) * 2);
    }

    // ---------------------------------------------------------------------------------------------

    private static WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    private static void type(String id, String text) {
        WebElement e = byId(id);
        e.clear();
        e.sendKeys(text);
    }

    private static long naturalWidth(String id) {
        Object v = ((JavascriptExecutor) driver)
                .executeScript(
                        "const i = document.getElementById(arguments[0]); return i.complete ? i.naturalWidth : 0;", id);
        return ((Number) v).longValue();
    }

    private static long naturalHeight(String id) {
        Object v = ((JavascriptExecutor) driver)
                .executeScript("return document.getElementById(arguments[0]).naturalHeight;", id);
        return ((Number) v).longValue();
    }

    private static int points() {
        return Integer.parseInt(byId("loss-chart").getAttribute("data-points"));
    }

    private static long gridStep() {
        String s = byId("grid").getAttribute("data-step");
        return s == null || s.isEmpty() ? -1 : Long.parseLong(s);
    }

    private static void screenshot(String name) throws IOException {
        Path tmp = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.move(tmp, shots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
