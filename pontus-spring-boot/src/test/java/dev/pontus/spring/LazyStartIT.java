package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.spring.example.ExampleApp;
import dev.pontus.test.LocalS3;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With {@code pontus.fail-fast=false} an app starts before its bucket exists; until it does, the endpoints that
 * touch the store answer 503 naming the cause, never 500 "try again".
 */
@SpringBootTest(classes = ExampleApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LazyStartIT extends EndpointsClient {
    private static final LocalS3 S3 = LocalS3.shared();

    @DynamicPropertySource
    static void pontus(DynamicPropertyRegistry registry) {
        store(registry, S3, "pontus-not-created-yet");
        registry.add("pontus.access-key", S3::accessKey);
        registry.add("pontus.secret-key", S3::secretKey);
        registry.add("pontus.fail-fast", () -> "false");
    }

    @Test
    void answers503NamingTheMissingBucket() {
        Answer params = get(query("a.jpg", "image/jpeg"), "alice");
        assertThat(params.status()).as("signing needs no call to the store").isEqualTo(200);
        String key = fields(params.json()).get("key");

        Answer validated = validate(key, "alice");
        assertThat(validated.status()).isEqualTo(503);
        assertThat(validated.json().get("cause").asString()).isEqualTo("no-such-bucket");
        assertThat(validated.json().get("detail").asString())
                .contains("the bucket does not exist")
                .doesNotContain("try again");

        Answer created = post("/s3/multipart", Map.of("filename", "a.jpg", "type", "image/jpeg"), "alice");
        assertThat(created.status()).isEqualTo(503);
        assertThat(created.json().get("cause").asString()).isEqualTo("no-such-bucket");
    }
}
