package dev.pontus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectTaggingRequest;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * {@code --tag} on moto (S3Proxy 4.1.0 answers NotImplemented to object tagging): findings are tagged with their
 * codes, clean files are not, and an object replaced between its check and the tagging is left untagged. The
 * replacement is made by the audit's own client just before the request named, as a racing upload would.
 */
class AuditTagIT {
    private static final String HOSTILE = "<html><body><script>alert(1)</script></body></html>";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Moto moto;
    private static S3Client s3;
    private String bucket;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = Moto.start();
        s3 = moto.client();
    }

    @AfterAll
    static void stopMoto() throws Exception {
        s3.close();
        moto.close();
    }

    @BeforeEach
    void putFiles() {
        bucket = "tags-" + System.nanoTime();
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(
                b -> b.bucket(bucket).key("up/page.jpg").contentType("image/jpeg"), RequestBody.fromString(HOSTILE));
        s3.putObject(b -> b.bucket(bucket).key("up/notes.txt").contentType("text/plain"), RequestBody.fromString("n"));
    }

    private Cli.Run audit(Consumer<S3ClientBuilder> customizer, String... args) {
        return Cli.audit(moto.endpoint, Moto.ACCESS_KEY, Moto.SECRET_KEY, customizer, "s3://" + bucket + "/up/", args);
    }

    @Test
    void tagsFindingsWithTheirCodesAndNothingElse() throws Exception {
        Cli.Run run = audit(b -> {}, "--format=jsonl", "--tag");

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        JsonNode action = JSON.readTree(run.out()).get("action");
        assertThat(action.get("status").asText()).isEqualTo("done");
        assertThat(tags("up/page.jpg")).containsEntry("pontus-finding", "type-active-content+type-mismatch");
        assertThat(tags("up/notes.txt")).isEmpty();
    }

    @Test
    void keepsTheObjectsOtherTagsAndUsesTheTagKeyGiven() {
        s3.putObjectTagging(b -> b.bucket(bucket)
                .key("up/page.jpg")
                .tagging(t -> t.tagSet(Tag.builder().key("owner").value("ann").build())));
        Cli.Run run = audit(b -> {}, "--tag", "--tag-key", "audit");

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(tags("up/page.jpg"))
                .containsEntry("owner", "ann")
                .containsEntry("audit", "type-active-content+type-mismatch");
    }

    @Test
    void leavesAnObjectReplacedBeforeTheTaggingUntagged() throws Exception {
        Cli.Run run = audit(replaceBefore(PutObjectTaggingRequest.class), "--format=jsonl", "--tag");

        JsonNode action = JSON.readTree(run.out()).get("action");
        assertThat(action.get("status").asText()).as(run.out()).isEqualTo("changed");
        assertThat(read("up/page.jpg")).isEqualTo("a new, harmless upload");
        assertThat(tags("up/page.jpg")).doesNotContainKey("pontus-finding");
    }

    @Test
    void leavesAnObjectReplacedBeforeTheConditionalHeadUntagged() throws Exception {
        Cli.Run run = audit(replaceBefore(HeadObjectRequest.class), "--format=jsonl", "--tag");

        JsonNode action = JSON.readTree(run.out()).get("action");
        assertThat(action.get("status").asText()).as(run.out()).isEqualTo("changed");
        assertThat(read("up/page.jpg")).isEqualTo("a new, harmless upload");
        assertThat(tags("up/page.jpg")).isEmpty();
    }

    /** Replaces up/page.jpg just before the audit's first request of {@code type} goes out. */
    private Consumer<S3ClientBuilder> replaceBefore(Class<? extends SdkRequest> type) {
        AtomicBoolean done = new AtomicBoolean();
        ExecutionInterceptor racer = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (type.isInstance(context.request()) && done.compareAndSet(false, true)) {
                    s3.putObject(
                            b -> b.bucket(bucket).key("up/page.jpg").contentType("text/plain"),
                            RequestBody.fromString("a new, harmless upload"));
                }
            }
        };
        return builder -> builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                .addExecutionInterceptor(racer)
                .build());
    }

    private Map<String, String> tags(String key) {
        return s3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
    }

    private String read(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }
}
