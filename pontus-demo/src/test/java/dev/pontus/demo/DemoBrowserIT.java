package dev.pontus.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.spring.PontusProperties;
import dev.pontus.test.LocalS3;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The demo in real headless Chromium (Debian's chromium and chromium-driver): files picked on the page go to the
 * embedded S3 and through validation. Screenshots of each final state land in target/screenshots/.
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class DemoBrowserIT {
    private static final int PORT = DemoTests.freePort();
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static Path files;
    private static WebDriver browser;

    @Autowired
    LocalS3 s3;

    @Autowired
    PontusProperties pontus;

    @DynamicPropertySource
    static void demo(DynamicPropertyRegistry registry) throws IOException {
        DemoTests.demo(registry, PORT);
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        files = Files.createTempDirectory("pontus-demo-files");
        Files.createDirectories(SCREENSHOTS);
        browser = Chromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private WebElement upload(Path file, String outcomeClass) {
        browser.get("http://localhost:" + PORT + "/");
        browser.findElement(By.id("file-input")).sendKeys(file.toAbsolutePath().toString());
        By item = By.cssSelector("#uploads li." + outcomeClass + "[data-file='" + file.getFileName() + "']");
        return new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> {
            List<WebElement> found = d.findElements(item);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    private static void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private List<String> keys() {
        return s3.client().listObjectsV2(b -> b.bucket(pontus.getBucket())).contents().stream()
                .map(o -> o.key())
                .toList();
    }

    @Test
    void uploadsJpegThatIsPromotedAndShownAsThumbnail() throws IOException {
        Path jpeg = files.resolve("sunset.jpg");
        ImageIO.write(picture(), "jpg", jpeg.toFile());

        WebElement item = upload(jpeg, "ok");

        WebElement thumb = item.findElement(By.cssSelector("img.thumb"));
        new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(d ->
                        (Long) ((JavascriptExecutor) d).executeScript("return arguments[0].naturalWidth", thumb) > 0);
        assertThat(item.getText()).contains("Validated as image/jpeg and promoted to files/");
        assertThat(browser.findElements(By.cssSelector("#files li"))).isNotEmpty();
        assertThat(keys()).anyMatch(k -> k.matches("files/[A-Za-z0-9_-]{16}/sunset\\.jpg")); // no MAC in the key
        new WebDriverWait(browser, Duration.ofSeconds(10)) // the original is deleted just after the answer
                .until(d -> keys().stream().noneMatch(k -> k.startsWith("unvalidated/") && k.endsWith("/sunset.jpg")));
        screenshot("jpeg-promoted");
    }

    @Test
    void uploadsSeveralFilesAtOnceAndKeepsTheListAcrossAReload() throws IOException {
        Path first = files.resolve("first.png");
        Path second = files.resolve("second.gif");
        ImageIO.write(picture(), "png", first.toFile());
        ImageIO.write(picture(), "gif", second.toFile());
        browser.get("http://localhost:" + PORT + "/");

        browser.findElement(By.id("file-input")).sendKeys(first.toAbsolutePath() + "\n" + second.toAbsolutePath());

        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> d.findElements(By.cssSelector("#uploads li.ok")).size() == 2);
        browser.navigate().refresh();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> {
            String list = d.findElement(By.id("files")).getText();
            return list.contains("first.png") && list.contains("second.gif");
        });
    }

    @Test
    void refusesFileOverTheLimitAtS3() throws IOException {
        Path big = files.resolve("huge-scan.pdf");
        byte[] content = new byte[11 * 1024 * 1024];
        byte[] header = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, content, 0, header.length);
        Files.write(big, content);

        WebElement item = upload(big, "bad");

        assertThat(item.getText()).contains("Refused by").contains("10.0 MB");
        assertThat(keys()).noneMatch(k -> k.endsWith("/huge-scan.pdf"));
        screenshot("over-limit-refused");
    }

    @Test
    void refusesHtmlNamedPhotoJpgByValidationAndDeletesIt() throws IOException {
        Path disguised = files.resolve("photo.jpg");
        Files.writeString(
                disguised, "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>");

        WebElement item = upload(disguised, "bad");

        assertThat(item.getText())
                .contains("Refused by validation and deleted")
                .contains("The file's content is text/html");
        assertThat(keys()).noneMatch(k -> k.endsWith("/photo.jpg"));
        screenshot("disguised-html-refused");
    }

    @Test
    void showsEveryFailedStepOnItsRow() throws IOException {
        Path first = files.resolve("offline.png");
        Path second = files.resolve("gateway.png");
        ImageIO.write(picture(), "png", first.toFile());
        ImageIO.write(picture(), "png", second.toFile());
        browser.get("http://localhost:" + PORT + "/");
        // The network fails when signing the first file; a proxy answers HTML 502 to validating the second.
        ((JavascriptExecutor) browser).executeScript("""
                const original = window.fetch;
                window.fetch = (url, options) => {
                  if (String(url).includes('offline.png')) return Promise.reject(new TypeError('Failed to fetch'));
                  if (String(url).endsWith('/validate')) return Promise.resolve(new Response(
                      '<html><h1>502 Bad Gateway</h1></html>', { status: 502, statusText: 'Bad Gateway' }));
                  return original(url, options);
                };""");

        browser.findElement(By.id("file-input")).sendKeys(first.toAbsolutePath() + "\n" + second.toAbsolutePath());

        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> d.findElements(By.cssSelector("#uploads li.bad")).size() == 2);
        assertThat(browser.findElement(By.cssSelector("#uploads li.bad[data-file='offline.png']"))
                        .getText())
                .contains("Signing failed: Failed to fetch. Try again.");
        assertThat(browser.findElement(By.cssSelector("#uploads li.bad[data-file='gateway.png']"))
                        .getText())
                .contains("Validating failed: the server answered 502 Bad Gateway without details. Try again.");
        assertThat(browser.findElement(By.id("rules")).getText())
                .contains("image/jpeg")
                .contains("10.0 MB");
        screenshot("failed-steps");
    }

    private static BufferedImage picture() {
        BufferedImage image = new BufferedImage(480, 320, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(255, 140, 60), 0, 320, new Color(90, 40, 140)));
        g.fillRect(0, 0, 480, 320);
        g.setColor(new Color(255, 220, 120));
        g.fillOval(180, 150, 120, 120);
        g.dispose();
        return image;
    }
}
