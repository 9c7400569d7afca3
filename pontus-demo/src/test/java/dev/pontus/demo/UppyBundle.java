package dev.pontus.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Uppy's browser bundle ({@code uppy/dist/uppy.min.js}) from the npm registry, fetched once into a folder. */
final class UppyBundle {
    private UppyBundle() {}

    static String script(Path folder) throws IOException {
        return script(folder, System.getProperty("uppy.version", "6.0.1"));
    }

    static String script(Path folder, String version) throws IOException {
        Path bundle = folder.resolve("uppy-" + version + ".min.js");
        if (!Files.isRegularFile(bundle)) {
            Files.createDirectories(folder);
            run(folder, "npm", "pack", "--silent", "uppy@" + version);
            run(folder, "tar", "-xzf", "uppy-" + version + ".tgz", "package/dist/uppy.min.js");
            Files.move(folder.resolve("package/dist/uppy.min.js"), bundle);
        }
        return Files.readString(bundle);
    }

    private static void run(Path folder, String... command) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(folder.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("The Uppy test needs '" + command[0] + "' (apt-get install -y npm): " + e);
        }
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while fetching Uppy", e);
        }
    }
}
