package dev.pontus.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PostPolicyRequestTest {

    private static PostPolicyRequest.Builder valid() {
        return PostPolicyRequest.builder().bucket("photos").key("a.jpg");
    }

    private static void refused(UnaryOperator<PostPolicyRequest.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void hasThePontusDefaults() {
        PostPolicyRequest request = valid().build();

        assertThat(request.contentLengthRange()).isEqualTo(new Condition.ContentLengthRange(1, 20 * 1024 * 1024));
        assertThat(request.expiresIn()).isEqualTo(Duration.ofMinutes(10));
        assertThat(request.fields())
                .containsEntry("success_action_status", "201")
                .doesNotContainKey("acl");
    }

    @Test
    void refusesBadKeys() {
        refused(b -> b.key(""), "key: must not be empty");
        refused(b -> b.key("k".repeat(1025)), "key: is 1025 bytes");
        refused(b -> b.key("a\nb"), "key: contains control character U+000A");
        refused(b -> b.key(null), "key: is not set");
    }

    @Test
    void refusesBadBucketNames() {
        refused(b -> b.bucket(null), "bucket: is not set");
        refused(b -> b.bucket("Photos"), "bucket: 'Photos' is not a valid S3 bucket name");
        refused(b -> b.bucket("ab"), "is not a valid S3 bucket name");
        refused(b -> b.bucket("a..b"), "is not a valid S3 bucket name");
        refused(b -> b.bucket("192.168.1.1"), "is not a valid S3 bucket name");
    }

    @Test
    void refusesBadSizes() {
        refused(b -> b.contentLengthRange(10, 5), "contentLengthRange: min 10 is greater than max 5");
        refused(b -> b.contentLengthRange(-1, 5), "contentLengthRange: sizes must not be negative");
    }

    @Test
    void refusesBadExpiry() {
        refused(b -> b.expiresIn(Duration.ZERO), "expiresIn: must be positive");
        refused(b -> b.expiresIn(Duration.ofSeconds(-1)), "expiresIn: must be positive");
        refused(b -> b.expiresIn(Duration.ofDays(7).plusSeconds(1)), "longer than the 7 days SigV4 allows");
    }

    @Test
    void refusesControlCharactersInAnyField() {
        refused(b -> b.metadata("note", "a\u0000b"), "x-amz-meta-note: contains control character U+0000");
        refused(b -> b.contentTypeStartsWith("image/\r"), "content-type: contains control character U+000D");
    }

    @Test
    void refusesFieldsWithoutAMatchingCondition() {
        refused(b -> b.formField("x-amz-meta-owner", "42"), "x-amz-meta-owner: form field has no policy condition");
        refused(
                b -> b.startsWith("x-amz-meta-owner", "4").formField("x-amz-meta-owner", "52"),
                "x-amz-meta-owner: value '52' does not satisfy");
        assertThat(valid().startsWith("x-amz-meta-owner", "4")
                        .formField("x-amz-meta-owner", "42")
                        .build()
                        .fields())
                .containsEntry("x-amz-meta-owner", "42");
    }

    @Test
    void refusesFieldsTheSignerWrites() {
        refused(b -> b.field("Policy", "x"), "policy: is set by the signer");
        refused(b -> b.field("key", "x"), "key: is set by key(...)");
        refused(b -> b.field("x-amz-credential", "x"), "x-amz-credential: is set by the signer");
        refused(b -> b.field("bad name", "x"), "must be a non-empty HTTP token");
    }

    @Test
    void refusesUnknownAclAndStatus() {
        refused(b -> b.acl("public"), "acl: 'public' is not a canned ACL");
        assertThatThrownBy(() -> valid().successActionStatus(302)).hasMessageContaining("must be 200, 201 or 204");
    }

    @Test
    void redirectReplacesTheStatus() {
        PostPolicyRequest request =
                valid().successActionRedirect("https://app.example/done").build();

        assertThat(request.fields())
                .containsEntry("success_action_redirect", "https://app.example/done")
                .doesNotContainKey("success_action_status");
        assertThat(request.conditions()).doesNotContain(new Condition.Eq("success_action_status", "201"));
    }
}
