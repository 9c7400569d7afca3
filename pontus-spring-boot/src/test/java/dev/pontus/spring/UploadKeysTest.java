package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UploadKeysTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    private final UploadKeys keys = new UploadKeys(SECRET, "unvalidated/");

    @Test
    void acceptsItsOwnKeysForTheSameUserOnAnyInstance() {
        String key = keys.issue("cat photo.jpg", "alice");

        assertThat(key).matches("unvalidated/[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{22}/cat photo\\.jpg");
        assertThat(keys.check(key, "alice")).isNull();
        assertThat(new UploadKeys(SECRET.clone(), "unvalidated/").check(key, "alice"))
                .isNull();
        assertThat(keys.issue("cat photo.jpg", "alice")).isNotEqualTo(key);
        assertThat(keys.check(keys.issue("a.jpg", ""), "")).isNull();
    }

    @Test
    void refusesKeysOfOtherUsersOtherSecretsAndAnyChange() {
        String key = keys.issue("cat.jpg", "alice");
        String id = key.substring("unvalidated/".length(), key.lastIndexOf('/'));

        assertThat(keys.check(key, "bob")).startsWith("was not issued by this server to this user");
        assertThat(keys.check(key, "")).startsWith("was not issued by this server to this user");
        byte[] other = Arrays.copyOf(SECRET, 32);
        other[0] = 'X';
        assertThat(new UploadKeys(other, "unvalidated/").check(key, "alice")).isNotNull();
        assertThat(keys.check("unvalidated/" + id + "/dog.jpg", "alice")).isNotNull();
        assertThat(keys.check(key.replace(id.substring(0, 3), "AAA"), "alice")).isNotNull();
        assertThat(keys.check("files/" + id + "/cat.jpg", "alice")).isNotNull();
        assertThat(keys.check("unvalidated/" + id + "/x/../cat.jpg", "alice")).isNotNull();
        assertThat(keys.check("unvalidated/cat.jpg", "alice")).isNotNull();
        assertThat(keys.check(null, "alice")).isNotNull();
        assertThat(keys.toString()).doesNotContain("0123");
    }
}
