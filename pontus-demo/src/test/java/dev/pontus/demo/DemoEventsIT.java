package dev.pontus.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pontus.spring.PontusProperties;
import dev.pontus.test.LocalS3;
import dev.pontus.test.S3Event;
import dev.pontus.test.S3EventFeed;
import jakarta.servlet.Filter;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code demo.events=true} in real headless Chromium: the page uploads and never calls {@code /validate}; the
 * embedded store's S3 events (S3EventFeed into the demo's ElasticMQ queue) reach the starter's consumer, which
 * validates and promotes, and the file appears under "Validated files".
 */
@SpringBootTest(
        classes = {DemoApplication.class, DemoEventsIT.CountValidateCalls.class},
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = "demo.events=true")
class DemoEventsIT {
    private static final int PORT = DemoTests.freePort();
    private static final AtomicInteger VALIDATE_CALLS = new AtomicInteger();
    private static Path files;
    private static WebDriver browser;

    @Autowired
    LocalS3 s3;

    @Autowired
    S3EventFeed feed;

    @Autowired
    PontusProperties pontus;

    @DynamicPropertySource
    static void demo(DynamicPropertyRegistry registry) throws IOException {
        DemoTests.demo(registry, PORT);
    }

    /** Counts requests to any validate endpoint, as the server sees them. */
    @TestConfiguration
    static class CountValidateCalls {
        @Bean
        Filter countValidateCalls() {
            return (request, response, chain) -> {
                String uri = ((jakarta.servlet.http.HttpServletRequest) request).getRequestURI();
                if (uri.endsWith("/validate") || uri.endsWith("/complete")) {
                    VALIDATE_CALLS.incrementAndGet();
                }
                chain.doFilter(request, response);
            };
        }
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        files = Files.createTempDirectory("pontus-demo-event-files");
        browser = Chromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void uploadIsValidatedFromItsS3EventWithoutThePageAsking() throws IOException {
        Path png = files.resolve("harbour at dusk.png");
        ImageIO.write(picture(), "png", png.toFile());
        browser.get("http://localhost:" + PORT + "/");

        browser.findElement(By.id("file-input")).sendKeys(png.toAbsolutePath().toString());

        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(d -> d.findElement(By.id("files")).getText().contains("harbour at dusk.png"));
        WebElement item = new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(d -> first(d.findElements(By.cssSelector("#uploads li.ok"))));
        assertThat(item.getText()).contains("Validated as image/png and promoted to files/");
        assertThat(VALIDATE_CALLS).hasValue(0);
        assertThat(feed.events())
                .extracting(S3Event::eventName, S3Event::key)
                .anyMatch(e -> e.toList().get(0).equals("ObjectCreated:Post")
                        && e.toList().get(1).toString().endsWith("/harbour at dusk.png"));
        assertThat(keys())
                .anyMatch(k -> k.matches("files/[A-Za-z0-9_-]{16}/harbour at dusk\\.png"))
                .noneMatch(k -> k.startsWith(pontus.getUnvalidatedPrefix()) && k.endsWith("/harbour at dusk.png"));
    }

    @Test
    void hostileUploadIsRefusedFromItsS3EventAndDeleted() throws IOException {
        Path disguised = files.resolve("invoice.png");
        Files.writeString(
                disguised, "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>");
        browser.get("http://localhost:" + PORT + "/");

        browser.findElement(By.id("file-input"))
                .sendKeys(disguised.toAbsolutePath().toString());

        WebElement item = new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(d -> first(d.findElements(By.cssSelector("#uploads li.bad[data-file='invoice.png']"))));
        assertThat(item.getText()).contains("Refused by validation and deleted");
        assertThat(VALIDATE_CALLS).hasValue(0);
        assertThat(keys()).noneMatch(k -> k.endsWith("/invoice.png"));
    }

    @Test
    void anotherStoreWithoutAQueueFailsAtStartSayingWhatToSet() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(DemoApplication.class)
                        .properties(
                                "demo.events=true",
                                "demo.embedded-s3=false",
                                "pontus.endpoint=http://127.0.0.1:9",
                                "pontus.path-style-access=true",
                                "server.port=0")
                        .run()
                        .close())
                .hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class)
                .rootCause()
                .hasMessageContaining("demo.events")
                .hasMessageContaining("--pontus.events.queue-url=");
    }

    private List<String> keys() {
        return s3.client().listObjectsV2(b -> b.bucket(pontus.getBucket())).contents().stream()
                .map(o -> o.key())
                .toList();
    }

    private static WebElement first(List<WebElement> found) {
        return found.isEmpty() ? null : found.get(0);
    }

    private static BufferedImage picture() {
        BufferedImage image = new BufferedImage(320, 200, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(new Color(30, 60, 120));
        g.fillRect(0, 0, 320, 200);
        g.setColor(new Color(250, 200, 90));
        g.fillOval(120, 60, 80, 80);
        g.dispose();
        return image;
    }
}
