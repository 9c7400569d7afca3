package dev.pontus.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pontus.test.Fault;
import dev.pontus.test.FaultProxy;
import dev.pontus.test.LocalS3;
import dev.pontus.test.LocalS3Extension;
import dev.pontus.test.S3Operation;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code --quarantine} and {@code --delete} on S3Proxy: they act on findings only, never on clean files, change
 * nothing with {@code --dry-run}, and leave alone an object replaced between its check and the action (FaultProxy
 * uploads a new version just before the copy or the delete reaches the store).
 */
@ExtendWith(LocalS3Extension.class)
class AuditActionsIT {
    private static final String HOSTILE = "<html><body><script>alert(1)</script></body></html>";
    private static final byte[] REPLACEMENT = "a new, harmless upload".getBytes(UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalS3 s3;
    private String bucket;

    @BeforeEach
    void putFiles(LocalS3 localS3) {
        s3 = localS3;
        bucket = s3.newBucket();
        put("up/page.jpg", "image/jpeg", HOSTILE);
        put("up/notes.txt", "text/plain", "plain notes");
    }

    @Test
    void quarantineMovesFindingsOnly() throws Exception {
        Cli.Run run = Cli.audit(s3, "s3://" + bucket + "/up/", "--format=jsonl", "--quarantine", "quarantine/");

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        JsonNode action = onlyLine(run).get("action");
        assertThat(action.get("type").asText()).isEqualTo("quarantine");
        assertThat(action.get("status").asText()).isEqualTo("done");
        assertThat(action.get("detail").asText()).isEqualTo("quarantine/up/page.jpg");
        assertThat(read("quarantine/up/page.jpg")).isEqualTo(HOSTILE);
        assertThat(exists("up/page.jpg")).isFalse();
        assertThat(read("up/notes.txt")).isEqualTo("plain notes");
    }

    @Test
    void quarantineLeavesAnObjectReplacedBeforeTheCopy() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(s3)) {
            proxy.injectOnce(S3Operation.COPY, Fault.replaceObject(REPLACEMENT));
            Cli.Run run = Cli.audit(
                    proxy.endpoint(),
                    s3.accessKey(),
                    s3.secretKey(),
                    b -> {},
                    "s3://" + bucket + "/up/",
                    "--format=jsonl",
                    "--quarantine=quarantine");

            assertThat(run.exit()).as(run.err()).isEqualTo(1);
            assertThat(onlyLine(run).get("action").get("status").asText()).isEqualTo("changed");
            assertThat(proxy.requests(S3Operation.COPY)).isEqualTo(1);
            assertThat(proxy.requests(S3Operation.DELETE)).isZero();
        }
        assertThat(read("up/page.jpg")).isEqualTo(new String(REPLACEMENT, UTF_8));
        assertThat(exists("quarantine/up/page.jpg")).isFalse();
    }

    @Test
    void quarantineKeepsAnOriginalReplacedBetweenCopyAndDelete() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(s3)) {
            proxy.injectOnce(S3Operation.DELETE, Fault.replaceObject(REPLACEMENT));
            Cli.Run run = Cli.audit(
                    proxy.endpoint(),
                    s3.accessKey(),
                    s3.secretKey(),
                    b -> {},
                    "s3://" + bucket + "/up/",
                    "--format=jsonl",
                    "--quarantine=quarantine/");

            JsonNode action = onlyLine(run).get("action");
            assertThat(action.get("status").asText()).isEqualTo("changed");
            assertThat(action.get("detail").asText()).contains("replaced after the check and stays");
        }
        assertThat(read("quarantine/up/page.jpg")).isEqualTo(HOSTILE);
        assertThat(read("up/page.jpg")).isEqualTo(new String(REPLACEMENT, UTF_8));
    }

    @Test
    void deleteDeletesFindingsOnly() throws Exception {
        Cli.Run run = Cli.audit(s3, "s3://" + bucket + "/up/", "--format=jsonl", "--delete");

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(onlyLine(run).get("action").get("status").asText()).isEqualTo("done");
        assertThat(exists("up/page.jpg")).isFalse();
        assertThat(read("up/notes.txt")).isEqualTo("plain notes");
    }

    @Test
    void deleteLeavesAnObjectReplacedBeforeTheDelete() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(s3)) {
            proxy.injectOnce(S3Operation.DELETE, Fault.replaceObject(REPLACEMENT));
            Cli.Run run = Cli.audit(
                    proxy.endpoint(),
                    s3.accessKey(),
                    s3.secretKey(),
                    b -> {},
                    "s3://" + bucket + "/up/",
                    "--format=jsonl",
                    "--delete");

            assertThat(run.exit()).as(run.err()).isEqualTo(1);
            JsonNode action = onlyLine(run).get("action");
            assertThat(action.get("status").asText()).isEqualTo("changed");
            assertThat(action.get("detail").asText()).contains("left alone");
        }
        assertThat(read("up/page.jpg")).isEqualTo(new String(REPLACEMENT, UTF_8));
    }

    @Test
    void dryRunSaysWhatItWouldDoAndChangesNothing() throws Exception {
        Cli.Run run = Cli.audit(s3, "s3://" + bucket + "/up/", "--format=jsonl", "--delete", "--dry-run");

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        JsonNode action = onlyLine(run).get("action");
        assertThat(action.get("status").asText()).isEqualTo("dry-run");
        assertThat(action.get("detail").asText()).isEqualTo("would delete s3://" + bucket + "/up/page.jpg");
        assertThat(read("up/page.jpg")).isEqualTo(HOSTILE);

        Cli.Run table = Cli.audit(s3, "s3://" + bucket + "/up/", "--quarantine", "q/", "--dry-run");
        assertThat(table.outLines().get(1)).contains("dry-run").endsWith("up/page.jpg");
        assertThat(exists("q/up/page.jpg")).isFalse();
    }

    @Test
    void quarantinedFilesAreNotAuditedAgainInTheSameRun() throws Exception {
        Cli.Run run = Cli.audit(s3, "s3://" + bucket + "/", "--format=jsonl", "--quarantine=quarantine/");

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.outLines()).hasSize(1);
        Cli.Run again = Cli.audit(s3, "s3://" + bucket + "/", "--format=jsonl", "--quarantine=quarantine/");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(read("quarantine/up/page.jpg")).isEqualTo(HOSTILE);
    }

    private JsonNode onlyLine(Cli.Run run) throws Exception {
        List<String> lines = run.outLines();
        assertThat(lines).as(run.err()).hasSize(1);
        JsonNode node = JSON.readTree(lines.get(0));
        assertThat(node.get("key").asText()).isEqualTo("up/page.jpg");
        return node;
    }

    private void put(String key, String type, String content) {
        s3.client().putObject(b -> b.bucket(bucket).key(key).contentType(type), RequestBody.fromString(content));
    }

    private String read(String key) {
        return s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    private boolean exists(String key) {
        try {
            s3.client().headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }
}
