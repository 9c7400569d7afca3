package dev.pontus.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds S3Proxy's runtime classpath: the {@code pontus.s3proxy.classpath} system property if set, else a
 * cached list, else one resolved from Maven Central by running {@code mvn dependency:build-classpath} on a
 * small pom (about 150 jars, resolved once into the local Maven repository).
 */
final class S3ProxyClasspath {
    static final String VERSION = version();
    private static final String PROPERTY = "pontus.s3proxy.classpath";

    private S3ProxyClasspath() {
    }

    static synchronized String resolve() {
        String given = System.getProperty(PROPERTY);
        if (given != null && !given.isBlank()) {
            return given;
        }
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "pontus", "s3proxy-" + VERSION + ".classpath");
        try {
            if (Files.isRegularFile(cache) && complete(Files.readString(cache))) {
                return Files.readString(cache).strip();
            }
            Files.createDirectories(cache.getParent());
            System.getLogger(S3ProxyClasspath.class.getName()).log(System.Logger.Level.INFO,
                    "Resolving S3Proxy " + VERSION + " from Maven Central with 'mvn' (first run only; about a minute)");
            Path dir = Files.createTempDirectory("pontus-s3proxy-pom");
            Path pom = dir.resolve("pom.xml");
            try (InputStream in = S3ProxyClasspath.class.getResourceAsStream("s3proxy-pom.xml")) {
                Files.copy(in, pom);
            }
            Path out = dir.resolve("classpath.txt");
            Path log = dir.resolve("mvn.log");
            Process mvn = new ProcessBuilder(mvn(), "-B", "-q", "-f", pom.toString(),
                    "dependency:build-classpath", "-Dmdep.includeScope=runtime", "-Dmdep.outputFile=" + out)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!mvn.waitFor(10, TimeUnit.MINUTES) || mvn.exitValue() != 0 || !Files.isRegularFile(out)) {
                mvn.destroyForcibly();
                throw new IllegalStateException("Resolving S3Proxy " + VERSION + " with Maven failed; its output:\n"
                        + tail(log) + "\nCheck that Maven Central is reachable, or set -D" + PROPERTY + "=<classpath>");
            }
            String classpath = Files.readString(out).strip();
            Files.writeString(cache, classpath);
            return classpath;
        } catch (IOException e) {
            throw new IllegalStateException("Resolving S3Proxy " + VERSION + " needs Maven ('mvn' on the PATH or"
                    + " MAVEN_HOME set) or -D" + PROPERTY + "=<classpath>: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while resolving S3Proxy", e);
        }
    }

    private static boolean complete(String classpath) {
        List<String> jars = Arrays.asList(classpath.strip().split(java.io.File.pathSeparator));
        return jars.size() > 10 && jars.stream().allMatch(jar -> Files.isRegularFile(Path.of(jar)));
    }

    private static String mvn() {
        for (String env : new String[] {"MAVEN_HOME", "M2_HOME"}) {
            String home = System.getenv(env);
            if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
                return Path.of(home, "bin", "mvn").toString();
            }
        }
        return "mvn";
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static String version() {
        try (InputStream in = S3ProxyClasspath.class.getResourceAsStream("s3proxy-pom.xml")) {
            String pom = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int at = pom.indexOf("<artifactId>s3proxy</artifactId>");
            int start = pom.indexOf("<version>", at) + "<version>".length();
            return pom.substring(start, pom.indexOf("</version>", start));
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("pontus-test is missing its s3proxy-pom.xml resource", e);
        }
    }
}
