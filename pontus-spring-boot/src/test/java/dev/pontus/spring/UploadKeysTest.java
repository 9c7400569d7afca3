package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
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
    void finalNamesDropTheMacAndKeepTheIdAndFileName() {
        for (String name : new String[] {"cat.jpg", "a.b.c", "no extension", ".hidden", "é ✓.png"}) {
            String key = keys.issue(name, "alice");
            String id = key.substring("unvalidated/".length(), key.indexOf('.'));
            String mac = key.substring(key.indexOf('.') + 1, key.indexOf('/', "unvalidated/".length()));

            String finalName = UploadKeys.finalName(key.substring("unvalidated/".length()));

            assertThat(finalName).isEqualTo(id + "/" + name).doesNotContain(mac);
        }
        assertThat(UploadKeys.finalName("plain/name.jpg")).isEqualTo("plain/name.jpg");
        assertThat(UploadKeys.finalName("name.jpg")).isEqualTo("name.jpg");
        assertThat(UploadKeys.finalName("v1.2/a.pdf")) // not an issued name: an app's own key stays as it is
                .isEqualTo("v1.2/a.pdf");
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

    @Test
    void ownerComesFromTheUploaderMetadataAndHoldsOnlyWhenTheMacDoes() {
        String user = "zoë+admin@example.com";
        String key = keys.issue("cat.jpg", user);
        Map<String, String> metadata = Map.of(UploadKeys.UPLOADER_METADATA, UploadKeys.uploaderMetadata(user));

        assertThat(UploadKeys.uploaderMetadata(user)).matches("\\p{ASCII}+");
        assertThat(keys.owner(key, metadata)).contains(user);
        assertThat(keys.owner(key, Map.of())).isEmpty();
        assertThat(keys.owner(key, Map.of(UploadKeys.UPLOADER_METADATA, "mallory")))
                .isEmpty();
        assertThat(keys.owner(key, Map.of(UploadKeys.UPLOADER_METADATA, "%zz"))).isEmpty();
        assertThat(keys.owner("unvalidated/abc.def/cat.jpg", metadata)).isEmpty();
        String anonymous = keys.issue("a.jpg", "");
        assertThat(UploadKeys.uploaderMetadata("")).isNull();
        assertThat(keys.owner(anonymous, Map.of())).isEqualTo(Optional.of(""));
    }
}
