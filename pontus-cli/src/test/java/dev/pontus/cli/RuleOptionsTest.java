package dev.pontus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pontus.spring.PontusProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

class RuleOptionsTest {
    @TempDir
    Path folder;

    @Test
    void readsTheStartersSettingsFromYamlAndFlagsWin() throws Exception {
        Path yml = folder.resolve("application.yml");
        Files.writeString(yml, """
                pontus:
                  bucket: photos
                  max-file-size: 5MB
                  allowed-content-types: [image/*, application/pdf]
                  denied-content-types: image/gif
                  max-image-pixels: 1000
                  scan: full
                server:
                  port: 8080
                """);
        RuleOptions options = new RuleOptions();
        options.config = yml;
        PontusProperties fromFile = options.properties();
        assertThat(fromFile.getMaxFileSize()).isEqualTo(DataSize.ofMegabytes(5));
        assertThat(fromFile.getAllowedContentTypes()).containsExactly("image/*", "application/pdf");
        assertThat(fromFile.getDeniedContentTypes()).containsExactly("image/gif");
        assertThat(fromFile.getMaxImagePixels()).isEqualTo(1000);
        assertThat(fromFile.getScan()).isEqualTo(PontusProperties.Scan.FULL);

        options.maxSize = DataSize.ofKilobytes(10);
        options.allow = List.of("image/png");
        options.deny = List.of("video/*", "application/zip");
        options.scan = "head-and-tail";
        PontusProperties withFlags = options.properties();
        assertThat(withFlags.getMaxFileSize()).isEqualTo(DataSize.ofKilobytes(10));
        assertThat(withFlags.getAllowedContentTypes()).containsExactly("image/png");
        assertThat(withFlags.getDeniedContentTypes()).containsExactly("video/*", "application/zip");
        assertThat(withFlags.getScan()).isEqualTo(PontusProperties.Scan.HEAD_AND_TAIL);
        assertThat(withFlags.getMaxImagePixels()).isEqualTo(1000);
    }

    @Test
    void readsPropertiesFilesWithRelaxedNames() throws Exception {
        Path properties = folder.resolve("application.properties");
        Files.writeString(properties, "pontus.maxFileSize=2MB\npontus.allow-active-content=true\n");
        RuleOptions options = new RuleOptions();
        options.config = properties;
        assertThat(options.properties().getMaxFileSize()).isEqualTo(DataSize.ofMegabytes(2));
        assertThat(options.properties().isAllowActiveContent()).isTrue();
    }

    @Test
    void aBadValueInTheFileNamesThePropertyTheValueAndTheFile() throws Exception {
        Path yml = folder.resolve("application.yml");
        Files.writeString(yml, "pontus:\n  max-file-size: lots\n");
        RuleOptions options = new RuleOptions();
        options.config = yml;
        assertThatThrownBy(options::properties)
                .isInstanceOf(CliException.class)
                .hasMessageContaining("pontus.max-file-size = 'lots'")
                .hasMessageContaining("application.yml");
    }

    @Test
    void aMissingOrUnknownFileIsOneClearLine() {
        RuleOptions options = new RuleOptions();
        options.config = folder.resolve("nope.yml");
        assertThatThrownBy(options::properties).hasMessageContaining("there is no file at");
        options.config = folder.resolve("app.json");
        assertThatThrownBy(options::properties).hasMessageContaining("neither .yml, .yaml nor .properties");
    }

    @Test
    void sizesAreSpringBootSizes() {
        RuleOptions.SizeConverter sizes = new RuleOptions.SizeConverter();
        assertThat(sizes.convert("10MB")).isEqualTo(DataSize.ofMegabytes(10));
        assertThat(sizes.convert("512KB")).isEqualTo(DataSize.ofKilobytes(512));
        assertThatThrownBy(() -> sizes.convert("ten")).hasMessageContaining("'ten' is not a size");
        assertThatThrownBy(() -> sizes.convert("-1MB")).hasMessageContaining("is not a size");
    }
}
