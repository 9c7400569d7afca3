package dev.pontus.demo;

import dev.pontus.test.LocalSqs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/** What the demo's browser tests share: a port of their own and a fresh data folder for the embedded S3. */
final class DemoTests {
    private DemoTests() {}

    static int freePort() {
        return LocalSqs.freePort();
    }

    /** The demo on {@code port}, storing into a new temporary folder. */
    static void demo(DynamicPropertyRegistry registry, int port) throws IOException {
        Path data = Files.createTempDirectory("pontus-demo-data");
        registry.add("server.port", () -> port);
        registry.add("demo.data-dir", data::toString);
    }
}
