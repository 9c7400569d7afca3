package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering the build keeps: demo, starter and test kit on top of core; inside core, signing knows nothing of
 * validation; core knows nothing of Spring; the Spring module's main code never uses the test kit.
 */
class PackageRulesTest {
    private static final Path ROOT = Path.of("..");

    private static List<String> imports(String module, String packagePath) {
        Path sources = ROOT.resolve(module).resolve("src/main/java").resolve(packagePath);
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(PackageRulesTest::importLines)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<String> importLines(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(l -> l.startsWith("import "))
                    .map(l -> ROOT.relativize(file) + ": " + l);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void signingNeverImportsValidationOrMultipart() {
        assertThat(imports("pontus-core", "dev/pontus/sign"))
                .noneMatch(l -> l.contains("dev.pontus.validate") || l.contains("dev.pontus.multipart"));
    }

    @Test
    void coreKnowsNothingOfSpringNorTheTestKit() {
        assertThat(imports("pontus-core", "dev/pontus"))
                .noneMatch(l -> l.contains("org.springframework")
                        || l.contains("dev.pontus.test")
                        || l.contains("dev.pontus.spring"));
    }

    @Test
    void nothingImportsAnInternalPackageAndCoreHasNone() {
        assertThat(ROOT.resolve("pontus-core/src/main/java/dev/pontus/internal"))
                .doesNotExist();
        for (String module : List.of("pontus-core", "pontus-spring-boot", "pontus-test", "pontus-demo")) {
            assertThat(imports(module, "dev/pontus")).noneMatch(l -> l.contains(".internal."));
        }
    }

    @Test
    void theSpringModuleNeverImportsTheTestKit() {
        assertThat(imports("pontus-spring-boot", "dev/pontus/spring"))
                .isNotEmpty()
                .noneMatch(l -> l.contains("dev.pontus.test"));
    }

    /** Spring is an optional dependency of the test kit, for its Spring test wiring only. */
    @Test
    void theTestKitKnowsNothingOfSpringOutsideItsSpringWiring() {
        assertThat(imports("pontus-test", "dev/pontus/test"))
                .filteredOn(l -> !l.startsWith("pontus-test/src/main/java/dev/pontus/test/spring/"))
                .isNotEmpty()
                .noneMatch(l -> l.contains("org.springframework"));
    }
}
