package streaminfer.ops.dashboard;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import streaminfer.broker.KafkaBroker;
import streaminfer.config.ConfigBuilder;
import streaminfer.engine.Engine;

/**
 * The dashboard end to end in a real headless browser: the engine serves SSD and Mask R-CNN on a
 * live camera through a real broker, Debian's chromium (driven by its chromedriver) loads the page,
 * and the test watches the pictures change. It saves {@code target/dashboard-live.png}.
 *
 * <p>Needs the {@code chromium} and {@code chromium-driver} packages ({@code make deps} installs
 * them); without them it fails, saying so, rather than skip.
 */
class DashboardBrowserTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final Path SCREENSHOT = Path.of("target", "dashboard-live.png");

  @RegisterExtension final KafkaBroker broker = new KafkaBroker();

  @Test
  void showsALiveFrameWithBoxesAndMasksThatKeepsUpdating() throws Exception {
    try (Engine engine =
            Engine.start(
                ConfigBuilder.of(broker.bootstrapServers(), Path.of("models"))
                    .pipeline("ssd")
                    .pipeline("maskrcnn")
                    .set("ops.dashboard.enabled", true)
                    // Live mode: Mask R-CNN on shared cores skips what it cannot keep up with.
                    .defaults("maxInputAgeMillis", 1500)
                    .defaults("intraOpThreads", 1)
                    .defaults("warmup.runs", 1)
                    .build());
        LiveCamera camera = new LiveCamera(broker.bootstrapServers(), "frames", "cam", 15)) {
      WebDriver browser = chromium();
      try {
        browser.get("http://127.0.0.1:" + engine.httpPort() + "/dashboard/");
        Waiting wait = new Waiting(browser);

        WebElement ssd = wait.until(driver -> card(driver, "ssd", "shapes"));
        long firstSeq = Long.parseLong(ssd.getDomAttribute("data-seq"));
        String firstPixels = pixels(browser, ssd);
        wait.until(driver -> Long.parseLong(ssd.getDomAttribute("data-seq")) > firstSeq);
        wait.until(driver -> !pixels(driver, ssd).equals(firstPixels));
        assertNotEquals(firstPixels, pixels(browser, ssd), "the drawn picture changed");
        assertTrue(
            ssd.findElement(By.className("found")).getText().contains("found"),
            "the boxes are listed under the picture");

        wait.until(driver -> card(driver, "maskrcnn", "masks"));
        camera.sendGarbage("frames");
        wait.until(
            driver ->
                driver
                    .findElement(By.cssSelector("#dead-letters tbody"))
                    .getText()
                    .contains("ssd"));
        wait.until(
            driver ->
                driver.findElements(By.cssSelector("#pipelines tbody tr")).size() == 2
                    && !driver
                        .findElement(By.cssSelector("#pipelines tr[data-pipeline='ssd']"))
                        .getText()
                        .contains("–"));
        // A few seconds of sparklines before the picture is taken.
        Thread.sleep(3_000);
        screenshot(browser);
      } finally {
        browser.quit();
      }
    }
  }

  /** Polls a condition on the page until it holds (non-null, not false) or the deadline passes. */
  private record Waiting(WebDriver browser) {
    <T> T until(Function<WebDriver, T> condition) throws InterruptedException {
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (System.nanoTime() < deadline) {
        try {
          T value = condition.apply(browser);
          if (value != null && !Boolean.FALSE.equals(value)) {
            return value;
          }
        } catch (NoSuchElementException | StaleElementReferenceException notYet) {
          // The page redraws its tables every second: look again.
        }
        Thread.sleep(100);
      }
      throw new AssertionError("the dashboard did not get there within " + DEADLINE);
    }
  }

  /** The stream card of a pipeline once its picture shows at least one shape (or mask). */
  private static WebElement card(WebDriver driver, String pipeline, String counted) {
    List<WebElement> cards =
        driver.findElements(By.cssSelector(".stream-card[data-pipeline='" + pipeline + "']"));
    for (WebElement card : cards) {
      String count = card.getDomAttribute("data-" + counted);
      if (count != null && Integer.parseInt(count) > 0) {
        return card;
      }
    }
    return null;
  }

  /** The card's canvas as the browser drew it. */
  private static String pixels(WebDriver driver, WebElement card) {
    return (String)
        ((JavascriptExecutor) driver)
            .executeScript(
                "return arguments[0].querySelector('canvas').toDataURL('image/png');", card);
  }

  private static void screenshot(WebDriver browser) throws Exception {
    // The whole page: the window grows to its height (headless chromium's window has no limit).
    long height =
        (Long)
            ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollHeight;");
    Dimension window = browser.manage().window().getSize();
    long viewport =
        (Long) ((JavascriptExecutor) browser).executeScript("return window.innerHeight;");
    browser
        .manage()
        .window()
        .setSize(new Dimension(window.getWidth(), (int) (height + window.getHeight() - viewport)));
    File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
    Files.createDirectories(SCREENSHOT.getParent());
    Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Debian's chromium through Debian's chromedriver: nothing is downloaded. */
  private static WebDriver chromium() {
    Path browser = onPath("chromium", "chromium-browser");
    Path driver = onPath("chromedriver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser.toFile());
    // As root (CI, containers) chromium refuses to start with its sandbox.
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1440,940");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build();
    return new ChromeDriver(service, options);
  }

  private static Path onPath(String... names) {
    for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : names) {
        Path candidate = Path.of(directory, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    Optional<Path> usual =
        Stream.of(names)
            .map(name -> Path.of("/usr/bin", name))
            .filter(Files::isExecutable)
            .findFirst();
    return usual.orElseThrow(
        () ->
            new AssertionError(
                "none of "
                    + List.of(names)
                    + " is installed: the dashboard's browser test needs Debian's chromium and"
                    + " chromium-driver (make deps installs them)"));
  }
}
