package dev.pontus.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.spring.PontusProperties;
import dev.pontus.test.LocalS3;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Real Uppy, with its default options, in headless Chromium against the demo (embedded S3Proxy): a 101 MiB file
 * goes by Companion's multipart routes (parts PUT straight to S3) and ends validated and promoted by the complete
 * call; a small file goes by POST and is then validated with its key alone. Uppy 6 in Companion mode
 * ({@code companionEndpoint}) and Uppy 5 in Companion mode ({@code endpoint}), both from the npm registry.
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class UppyIT {
    private static final int PORT = DemoTests.freePort();
    private static final int BIG = 101 * 1024 * 1024 + 7; // over Uppy's 100 MiB multipart threshold
    private static WebDriver browser;

    @Autowired
    LocalS3 s3;

    @Autowired
    PontusProperties pontus;

    @DynamicPropertySource
    static void demo(DynamicPropertyRegistry registry) throws IOException {
        DemoTests.demo(registry, PORT);
        registry.add("pontus.max-file-size", () -> "200MB");
    }

    @BeforeAll
    static void startBrowser() {
        browser = Chromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @ParameterizedTest(name = "Uppy {0} ({1})")
    @CsvSource({"6.0.1, companionEndpoint", "5.2.4, endpoint"})
    void uploadsABigFileByMultipartAndASmallOneByPostBothEndingValidated(String version, String option)
            throws IOException {
        byte[] jpeg = jpeg();
        browser.get("http://localhost:" + PORT + "/");
        JavascriptExecutor js = (JavascriptExecutor) browser;
        browser.manage().timeouts().scriptTimeout(Duration.ofMinutes(3));
        js.executeScript(UppyBundle.script(Path.of("target", "uppy"), version));
        String prefix = "uppy" + version.charAt(0) + "-";

        long start = System.nanoTime();
        @SuppressWarnings("unchecked")
        Map<String, Object> run = (Map<String, Object>)
                js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const [jpegBase64, big, option, prefix] = [arguments[0], arguments[1], arguments[2], arguments[3]];
                const jpeg = Uint8Array.from(atob(jpegBase64), c => c.charCodeAt(0));
                const calls = [];
                const open = XMLHttpRequest.prototype.open;
                XMLHttpRequest.prototype.open = function (method, url) {
                  calls.push(method + ' ' + url);
                  return open.apply(this, arguments);
                };
                const fetch = window.fetch;
                window.fetch = (url, options) => {
                  calls.push(((options && options.method) || 'GET') + ' ' + url);
                  return fetch(url, options);
                };
                const bigBytes = new Uint8Array(big);
                bigBytes.set(jpeg, 0);
                bigBytes[big - 1] = 42;
                const uppy = new Uppy.Uppy();
                uppy.use(Uppy.AwsS3, { [option]: location.origin }); // Uppy's defaults otherwise
                const answers = {};
                uppy.on('upload-success', (file, response) => { answers[file.name] = response.body; });
                uppy.addFile({ name: prefix + 'small.jpg', type: 'image/jpeg', data: new Blob([jpeg], { type: 'image/jpeg' }) });
                uppy.addFile({ name: prefix + 'big-scan.jpg', type: 'image/jpeg', data: new Blob([bigBytes], { type: 'image/jpeg' }) });
                uppy.upload().then(async result => {
                  // The app's own step for a POST upload: validate with the key Uppy handed over, nothing else.
                  const small = answers[prefix + 'small.jpg'] || {};
                  const validated = await fetch('/s3/validate', { method: 'POST',
                      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ key: small.key }) });
                  done({ failed: result.failed.map(f => f.name + ': ' + f.error),
                         big: JSON.stringify(answers[prefix + 'big-scan.jpg'] || {}),
                         smallKey: small.key || '', validateStatus: validated.status,
                         validated: await validated.text(), calls });
                }).catch(e => done({ failed: [String(e)], calls }));
                """, Base64.getEncoder().encodeToString(jpeg), BIG, option, prefix);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(run.get("failed")).asList().isEmpty();
        @SuppressWarnings("unchecked")
        List<String> calls = (List<String>) run.get("calls");
        long parts = calls.stream()
                .filter(c -> c.startsWith("PUT ") && c.contains("partNumber="))
                .count();
        assertThat(parts).isEqualTo((BIG + 5L * 1024 * 1024 - 1) / (5L * 1024 * 1024)); // Uppy's 5 MiB parts
        assertThat(calls)
                .anyMatch(c -> c.matches("POST .*/s3/multipart"))
                .anyMatch(c -> c.matches("POST .*/s3/multipart/.+/complete\\?key=.*"))
                .anyMatch(c -> c.matches("GET .*/s3/params\\?filename=" + prefix + "small\\.jpg.*"));

        // The big file: completion validated and promoted it; Uppy's answer carries the final key and location.
        String big = (String) run.get("big");
        String bigKey = keys().stream()
                .filter(k -> k.endsWith("/" + prefix + "big-scan.jpg"))
                .findFirst()
                .orElseThrow();
        assertThat(bigKey).startsWith("files/");
        assertThat(big)
                .contains("\"key\":\"" + bigKey + "\"")
                .contains("\"location\":\"" + s3.endpoint() + "/" + pontus.getBucket() + "/" + bigKey);
        byte[] expected = Arrays.copyOf(jpeg, BIG);
        expected[BIG - 1] = 42;
        byte[] stored = s3.client()
                .getObjectAsBytes(b -> b.bucket(pontus.getBucket()).key(bigKey))
                .asByteArray();
        assertThat(stored.length).isEqualTo(BIG);
        assertThat(Arrays.equals(stored, expected))
                .as("the promoted bytes equal the file's")
                .isTrue();

        // The small file: POSTed to the unvalidated prefix, then validated with its key alone.
        String smallKey = (String) run.get("smallKey");
        assertThat(smallKey).matches("unvalidated/[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{22}/" + prefix + "small\\.jpg");
        assertThat(run.get("validateStatus")).isEqualTo(200L);
        String smallFinal = "files/" + smallKey.substring("unvalidated/".length(), smallKey.indexOf('.')) + "/" + prefix
                + "small.jpg"; // the key's MAC stays out of the promoted key
        assertThat((String) run.get("validated")).contains("\"key\":\"" + smallFinal + "\"");
        assertThat(keys()).contains(smallFinal).noneMatch(k -> k.startsWith("unvalidated/") && k.contains(prefix));
        assertThat(s3.client()
                        .listMultipartUploads(b -> b.bucket(pontus.getBucket()))
                        .uploads())
                .isEmpty();
        System.out.printf(
                "[uppy] Uppy %s: %d-byte file in %d parts and a %d-byte file, uploaded and validated in" + " %d ms%n",
                version, BIG, parts, jpeg.length, millis);
    }

    private List<String> keys() {
        return s3.client().listObjectsV2(b -> b.bucket(pontus.getBucket())).contents().stream()
                .map(o -> o.key())
                .toList();
    }

    private static byte[] jpeg() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "jpg", out);
        return out.toByteArray();
    }
}
