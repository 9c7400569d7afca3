package dev.pontus.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.pontus.test.LocalS3;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Runs {@code pontus} in this JVM (with the S3 client open to changes) or as {@code java -jar target/pontus.jar}. */
final class Cli {
    private Cli() {}

    /** What a run printed and its exit status. */
    record Run(int exit, String out, String err) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\r?\n"));
        }

        List<String> errLines() {
            return err.isEmpty() ? List.of() : Arrays.asList(err.split("\r?\n"));
        }
    }

    /** {@code pontus audit LOCATION ARGS} against {@code s3} (path-style, no progress), in this JVM. */
    static Run audit(LocalS3 s3, String location, String... args) {
        return audit(s3.endpoint(), s3.accessKey(), s3.secretKey(), b -> {}, location, args);
    }

    static Run audit(
            URI endpoint,
            String accessKey,
            String secretKey,
            Consumer<S3ClientBuilder> customizer,
            String location,
            String... args) {
        List<String> all = new ArrayList<>(
                List.of("audit", location, "--endpoint", endpoint.toString(), "--path-style", "--progress", "none"));
        all.addAll(List.of(args));
        // The default credentials chain reads system properties first.
        System.setProperty("aws.accessKeyId", accessKey);
        System.setProperty("aws.secretAccessKey", secretKey);
        try {
            return run(customizer, all.toArray(String[]::new));
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    static Run run(Consumer<S3ClientBuilder> customizer, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = PontusCommand.commandLine(customizer);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** {@code java -jar target/pontus.jar ARGS} with {@code env} added to (or, for null values, taken from) ours. */
    static Run jar(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path jar = Path.of("target/pontus.jar");
        if (!jar.toFile().isFile()) {
            throw new IllegalStateException("target/pontus.jar is missing: run 'mvn package' (failsafe runs after it)");
        }
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        env.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        Path out = Path.of("target/jar-out.txt");
        Path err = Path.of("target/jar-err.txt");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("pontus.jar " + args[0] + " did not end in 2 minutes");
        }
        return new Run(process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    }

    private static String java() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
