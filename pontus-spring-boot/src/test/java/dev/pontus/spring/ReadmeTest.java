package dev.pontus.spring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.yaml.snakeyaml.Yaml;

/** The README's code blocks can be copied as they are. */
class ReadmeTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern BLOCK = Pattern.compile("(?ms)^```(\\w*)\\n(.*?)^```");
    private static final Pattern INLINE_COMMENT = Pattern.compile("\\s[#!]");

    record Block(String language, String text) {}

    static List<Block> blocks(Path markdown) throws IOException {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(Files.readString(markdown, UTF_8));
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2)));
        }
        return blocks;
    }

    /** Lines of a .properties block that hold a value followed by what its author meant as a comment. */
    static List<String> inlineComments(String properties) {
        return properties
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#") && !line.startsWith("!"))
                .filter(line -> INLINE_COMMENT.matcher(line).find())
                .toList();
    }

    @Test
    void detectsAnInlineCommentAfterAPropertiesValue() {
        assertThat(inlineComments("pontus.key-secret=${PONTUS_KEY_SECRET}   # same on every instance\n"))
                .hasSize(1);
        assertThat(inlineComments("# a comment line\npontus.bucket=my-uploads\n! another\n"))
                .isEmpty();
    }

    @Test
    void propertiesBlocksHaveNoInlineComments() throws IOException {
        List<Block> properties = blocks(README).stream()
                .filter(b -> b.language().equals("properties"))
                .toList();
        assertThat(properties).as("the README's .properties blocks").isNotEmpty();
        for (Block block : properties) {
            assertThat(inlineComments(block.text()))
                    .as("Java properties have no inline comments: the text after the value becomes part of it."
                            + " Put the comment on its own line, or use YAML")
                    .isEmpty();
        }
    }

    @Test
    void propertiesAndYamlBlocksParse() throws IOException {
        for (Block block : blocks(README)) {
            if (block.language().equals("properties")) {
                Properties parsed = new Properties();
                parsed.load(new StringReader(block.text()));
                assertThat(parsed).as(block.text()).isNotEmpty();
            } else if (block.language().equals("yaml")) {
                assertThat((Object) new Yaml().load(block.text()))
                        .as(block.text())
                        .isNotNull();
            }
        }
    }

    /** A key secret copied from the docs is known to everyone who read them: start-up must refuse each. */
    @Test
    void everyKeySecretTheDocsShowIsRefused() throws IOException {
        List<String> shown = new ArrayList<>();
        Pattern secret = Pattern.compile("key-secret\\s*[=:]\\s*(.+)");
        try (Stream<Path> docs = Files.list(Path.of("..", "docs"))) {
            for (Path markdown : Stream.concat(
                            Stream.of(README), docs.filter(p -> p.toString().endsWith(".md")))
                    .toList()) {
                for (Block block : blocks(markdown)) {
                    boolean yaml = block.language().equals("yaml");
                    block.text()
                            .lines()
                            .map(secret::matcher)
                            .filter(Matcher::find)
                            .forEach(m -> shown.add(
                                    yaml
                                            ? m.group(1)
                                                    .replaceFirst("\\s+#.*", "")
                                                    .strip()
                                            : m.group(1)));
                }
            }
        }
        assertThat(shown).as("the README shows how to set the key secret").isNotEmpty();
        for (String value : shown) {
            assertThatThrownBy(() -> KeySecrets.requireUnguessable(value))
                    .as("key secret shown in the docs: %s", value)
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class);
        }
    }

    /** The README's {@code @SpringBootTest} is the one that runs: {@code example/UploadFlowIT}. */
    @Test
    void theSpringBootTestIsTheOneThatRuns() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/pontus/spring/example/UploadFlowIT.java"), UTF_8);
        String imports = source.lines().filter(l -> l.startsWith("import ")).reduce("", (a, b) -> a + b + "\n");
        String body = source.substring(
                source.indexOf("// README-BEGIN\n") + "// README-BEGIN\n".length(), source.indexOf("// README-END"));
        String shown = blocks(README).stream()
                .filter(b -> b.language().equals("java") && b.text().contains("@AutoConfigureLocalS3\nclass"))
                .map(Block::text)
                .findFirst()
                .orElseThrow(() -> new AssertionError("README.md shows no @SpringBootTest with @AutoConfigureLocalS3"));
        assertThat(shown).isEqualTo(imports + "\n" + body);
    }
}
