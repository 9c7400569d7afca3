package dev.pontus.spring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.S3Names;
import dev.pontus.test.LocalS3;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of the library modules (core, the Spring Boot integration, the test kit), rendered from their
 * classes and compared with the checked-in baseline {@code api/pontus.api}, so that every change to it shows in
 * review. After a change on purpose: {@code mvn verify -Dpontus.api.update=true} rewrites the baseline.
 */
class ApiBaselineTest {
    private static final Path BASELINE = Path.of("..", "api", "pontus.api");

    @Test
    void publicApiMatchesTheCheckedInBaseline() throws Exception {
        List<String> api = new ArrayList<>();
        for (Class<?> anchor : List.of(S3Names.class, PontusAutoConfiguration.class, LocalS3.class)) {
            api.addAll(module(anchor));
        }
        String current = String.join("\n", api.stream().sorted().toList()) + "\n";
        if (Boolean.getBoolean("pontus.api.update")) {
            Files.writeString(BASELINE, current, UTF_8);
        }
        assertThat(BASELINE)
                .as("The API baseline is missing: restore api/pontus.api from git, or for a new baseline run"
                        + " 'mvn verify -Dpontus.api.update=true' and commit it.")
                .isRegularFile();
        assertThat(current)
                .as("The public API changed. If on purpose, run 'mvn verify -Dpontus.api.update=true'"
                        + " and commit api/pontus.api with the change.")
                .isEqualTo(Files.readString(BASELINE, UTF_8));
    }

    /** Every public type under {@code anchor}'s code location, with its public and protected members. */
    private static List<String> module(Class<?> anchor) throws IOException, URISyntaxException, ClassNotFoundException {
        Path location = Path.of(
                anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> lines = new ArrayList<>();
        if (Files.isDirectory(location)) {
            addClasses(location, location, lines);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(location, Map.of())) {
                addClasses(jar.getPath("/"), jar.getPath("/"), lines);
            }
        }
        return lines;
    }

    private static void addClasses(Path root, Path dir, List<String> lines) throws IOException, ClassNotFoundException {
        List<Path> classes;
        try (Stream<Path> files = Files.walk(dir)) {
            classes = files.filter(
                            f -> f.toString().endsWith(".class") && f.toString().contains("dev/pontus/"))
                    .filter(f -> !f.getFileName().toString().equals("package-info.class"))
                    .toList();
        }
        for (Path file : classes) {
            String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
            Class<?> type = Class.forName(name, false, ApiBaselineTest.class.getClassLoader());
            if (visible(type)) {
                lines.addAll(type(type));
            }
        }
    }

    /** Public, and reachable: every enclosing class public too. */
    private static boolean visible(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> type(Class<?> type) {
        String name = type.getName();
        List<String> lines = new ArrayList<>();
        StringBuilder head = new StringBuilder(Modifier.toString(type.getModifiers() & ~Modifier.STATIC))
                .append(' ')
                .append(type.isRecord() ? "record" : type.isEnum() ? "enum" : type.isInterface() ? "" : "class ")
                .append(' ')
                .append(name);
        if (type.getGenericSuperclass() != null
                && type.getSuperclass() != Object.class
                && !type.isEnum()
                && !type.isRecord()) {
            head.append(" extends ").append(type.getGenericSuperclass().getTypeName());
        }
        if (type.getGenericInterfaces().length > 0) {
            head.append(" implements ")
                    .append(String.join(
                            ", ",
                            Arrays.stream(type.getGenericInterfaces())
                                    .map(Type::getTypeName)
                                    .toList()));
        }
        lines.add(name + " | " + head.toString().replaceAll("\\s+", " ").strip());
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            member(lines, name, c);
        }
        for (Method m : type.getDeclaredMethods()) {
            if (!m.isSynthetic() && !m.isBridge()) {
                member(lines, name, m);
            }
        }
        for (Field f : type.getDeclaredFields()) {
            if (!f.isSynthetic() && (Modifier.isPublic(f.getModifiers()) || Modifier.isProtected(f.getModifiers()))) {
                lines.add(name + " | " + f.toGenericString());
            }
        }
        return lines;
    }

    private static void member(List<String> lines, String type, Executable member) {
        if (Modifier.isPublic(member.getModifiers()) || Modifier.isProtected(member.getModifiers())) {
            lines.add(type + " | " + member.toGenericString());
        }
    }
}
