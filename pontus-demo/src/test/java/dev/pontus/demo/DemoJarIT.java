package dev.pontus.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar pontus-demo.jar} as a new user runs it: Java alone on the PATH (no Maven), a fresh, empty home
 * folder, and no way out to the network (an unreachable proxy for every download). It must start its embedded S3
 * and sign an upload.
 */
class DemoJarIT {
    private static final Path JAR = Path.of("target", "pontus-demo.jar");

    @Test
    void runsWithJavaAloneOfflineInAFreshHomeFolder() throws Exception {
        assertThat(JAR).as("the runnable jar, made in the package phase").isRegularFile();
        Path home = Files.createTempDirectory("pontus-fresh-home");
        int port = DemoTests.freePort();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(
                        java.toString(),
                        "-Duser.home=" + home,
                        "-Dhttp.proxyHost=127.0.0.1",
                        "-Dhttp.proxyPort=9",
                        "-Dhttps.proxyHost=127.0.0.1",
                        "-Dhttps.proxyPort=9",
                        "-Dhttp.nonProxyHosts=localhost|127.0.0.1",
                        "-Dmaven.repo.local=" + home.resolve("no-repository"),
                        "-jar",
                        JAR.toAbsolutePath().toString(),
                        "--server.port=" + port)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("out.log").toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("HOME", home.toString());
        env.put("PATH", java.getParent().toString());
        Process demo = builder.start();
        try {
            HttpClient http =
                    HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            HttpResponse<String> params = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline && demo.isAlive()) {
                try {
                    params = http.send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://127.0.0.1:" + port + "/s3/params?filename=a.jpg&type=image/jpeg"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    break;
                } catch (IOException notYet) {
                    demo.waitFor(200, TimeUnit.MILLISECONDS); // the next try, or at once if the demo exits
                }
            }
            assertThat(params)
                    .as("the demo answered; its output:\n%s", Files.readString(home.resolve("out.log")))
                    .isNotNull();
            assertThat(params.statusCode()).isEqualTo(200);
            assertThat(params.body()).contains("\"url\":\"http://127.0.0.1:").contains("unvalidated/");
            assertThat(home.resolve(".cache/pontus/" + "s3proxy-4.1.0-jar-with-dependencies.jar"))
                    .isRegularFile();
            assertThat(home.resolve("pontus-demo-data")).isDirectory();
        } finally {
            demo.destroy();
            demo.waitFor();
        }
    }

    /** The test kit's LocalS3 runs the embedded store; the test libraries it is built for stay out of the jar. */
    @Test
    void shipsNoTestLibraries() throws IOException {
        List<String> libraries;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            libraries = jar.stream()
                    .map(entry -> entry.getName())
                    .filter(name -> name.startsWith("BOOT-INF/lib/"))
                    .toList();
        }
        assertThat(libraries).anyMatch(name -> name.contains("pontus-test"));
        assertThat(libraries)
                .noneMatch(name -> name.contains("junit")
                        || name.contains("assertj")
                        || name.contains("opentest4j")
                        || name.contains("apiguardian"));
    }
}
