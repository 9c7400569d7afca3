package dev.pontus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyFilterTest {

    private static KeyFilter filter(List<String> includes, List<String> excludes) {
        return new KeyFilter(includes, excludes, Shard.ALL, null);
    }

    @Test
    void aGlobWithoutSlashMatchesTheFileName() {
        KeyFilter jpegs = filter(List.of("*.jpg", "*.{png,gif}"), List.of());
        assertThat(jpegs.accepts("photos/2026/cat.jpg")).isTrue();
        assertThat(jpegs.accepts("cat.png")).isTrue();
        assertThat(jpegs.accepts("a/b.gif")).isTrue();
        assertThat(jpegs.accepts("photos/cat.jpg.txt")).isFalse();
        assertThat(jpegs.accepts("photos/cat.jpeg")).isFalse();
    }

    @Test
    void aGlobWithSlashMatchesTheWholeKey() {
        KeyFilter thumbs = filter(List.of(), List.of("thumbs/**", "tmp/*.part"));
        assertThat(thumbs.accepts("thumbs/a/b/c.jpg")).isFalse();
        assertThat(thumbs.accepts("tmp/x.part")).isFalse();
        assertThat(thumbs.accepts("tmp/deeper/x.part")).isTrue(); // '*' stays within one segment
        assertThat(thumbs.accepts("photos/thumbs/a.jpg")).isTrue();
    }

    @Test
    void questionMarkIsOneCharacterAndRegexCharactersAreLiteral() {
        KeyFilter filter = filter(List.of("file-?.(1)+.txt"), List.of());
        assertThat(filter.accepts("dir/file-a.(1)+.txt")).isTrue();
        assertThat(filter.accepts("dir/file-ab.(1)+.txt")).isFalse();
        assertThat(filter.accepts("dir/file-a.1.txt")).isFalse();
    }

    @Test
    void excludeWinsOverIncludeAndTheQuarantineIsNeverAudited() {
        KeyFilter filter = new KeyFilter(List.of("*.jpg"), List.of("*-thumb.jpg"), Shard.ALL, "quarantine/");
        assertThat(filter.accepts("a/cat.jpg")).isTrue();
        assertThat(filter.accepts("a/cat-thumb.jpg")).isFalse();
        assertThat(filter.accepts("quarantine/a/cat.jpg")).isFalse();
    }

    @Test
    void refusesAnEmptyOrUnclosedGlob() {
        assertThatThrownBy(() -> filter(List.of(""), List.of())).hasMessageContaining("a glob is empty");
        assertThatThrownBy(() -> filter(List.of("*.{jpg"), List.of())).hasMessageContaining("opens a '{'");
    }
}
