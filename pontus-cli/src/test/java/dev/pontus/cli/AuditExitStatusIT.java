package dev.pontus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.test.LocalS3;
import dev.pontus.test.LocalS3Extension;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The jar as users run it ({@code java -jar target/pontus.jar}, Java alone): exit status 0, 1 or 2, and when it
 * cannot run, one line on stderr that says why, never a stack trace, and nothing on stdout.
 */
@ExtendWith(LocalS3Extension.class)
class AuditExitStatusIT {

    private static Map<String, String> credentials(String accessKey, String secretKey) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", accessKey);
        env.put("AWS_SECRET_ACCESS_KEY", secretKey);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_PROFILE", null);
        env.put("AWS_CONFIG_FILE", "/nonexistent/pontus-config");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/pontus-credentials");
        return env;
    }

    private static Cli.Run audit(LocalS3 s3, Map<String, String> env, String location, String... more)
            throws Exception {
        String[] args = new String[more.length + 6];
        args[0] = "audit";
        args[1] = location;
        args[2] = "--endpoint";
        args[3] = s3.endpoint().toString();
        args[4] = "--path-style";
        args[5] = "--progress=none";
        System.arraycopy(more, 0, args, 6, more.length);
        return Cli.jar(env, args);
    }

    private static void assertOneClearLine(Cli.Run run, String expected) {
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).startsWith("pontus: ").contains(expected).doesNotContain("Exception", "\tat ");
    }

    @Test
    void cleanBucketExitsZeroAndFindingsExitOne(LocalS3 s3) throws Exception {
        String bucket = s3.newBucket();
        s3.client()
                .putObject(
                        b -> b.bucket(bucket).key("a/ok.txt").contentType("text/plain"), RequestBody.fromString("hi"));
        Map<String, String> env = credentials(s3.accessKey(), s3.secretKey());

        Cli.Run clean = audit(s3, env, "s3://" + bucket + "/a/");
        assertThat(clean.exit()).as(clean.err()).isZero();
        assertThat(clean.out()).isEmpty();
        assertThat(clean.err()).contains("audited s3://" + bucket + "/a/: 1 objects", "0 objects with findings");

        s3.client()
                .putObject(
                        b -> b.bucket(bucket).key("a/page.jpg").contentType("image/jpeg"),
                        RequestBody.fromString("<html><body><script>alert(1)</script></body></html>"));
        Cli.Run found = audit(s3, env, "s3://" + bucket + "/a/");
        assertThat(found.exit()).as(found.err()).isEqualTo(1);
        assertThat(found.outLines()).hasSize(3); // the header, then type-active-content and type-mismatch
        assertThat(found.outLines().get(1)).startsWith("type-active-content").endsWith("a/page.jpg");
    }

    @Test
    void badOptionExitsTwoWithOneLine(LocalS3 s3) throws Exception {
        Map<String, String> env = credentials(s3.accessKey(), s3.secretKey());
        assertOneClearLine(audit(s3, env, "s3://some-bucket/", "--concurency", "4"), "Unknown options: '--concurency'");
        assertOneClearLine(audit(s3, env, "s3://some-bucket/", "--max-size", "ten"), "'ten' is not a size");
        assertOneClearLine(audit(s3, env, "s3://some-bucket/", "--shard", "4/4"), "0 <= I < N");
        assertOneClearLine(audit(s3, env, "photos/uploads"), "is not an S3 location");
        assertOneClearLine(audit(s3, env, "s3://Bad_Bucket/"), "not a valid S3 bucket name");
        assertOneClearLine(audit(s3, env, "s3://some-bucket/", "--allow", "images"), "'images' is not a MIME type");
        assertOneClearLine(audit(s3, env, "s3://some-bucket/", "--delete", "--tag"), "are mutually exclusive");
        assertOneClearLine(
                audit(s3, env, "s3://some-bucket/", "--min-size", "30MB"), "pontus.min-file-size (--min-size)");
    }

    @Test
    void missingBucketExitsTwoWithOneLine(LocalS3 s3) throws Exception {
        Cli.Run run = audit(s3, credentials(s3.accessKey(), s3.secretKey()), "s3://no-such-bucket-here/");
        assertOneClearLine(run, "bucket 'no-such-bucket-here' does not exist");
    }

    @Test
    void wrongCredentialsExitTwoWithOneLine(LocalS3 s3) throws Exception {
        String bucket = s3.newBucket();
        assertOneClearLine(
                audit(s3, credentials(s3.accessKey(), "not-the-secret"), "s3://" + bucket + "/"),
                "the secret key does not belong to the access key");
        assertOneClearLine(
                audit(s3, credentials("nobody-knows-me", s3.secretKey()), "s3://" + bucket + "/"),
                "the store does not know this access key");
    }

    @Test
    void noCredentialsExitTwoWithOneLine(LocalS3 s3) throws Exception {
        Map<String, String> env = credentials(s3.accessKey(), s3.secretKey());
        env.put("AWS_ACCESS_KEY_ID", null);
        env.put("AWS_SECRET_ACCESS_KEY", null);
        env.put("AWS_SESSION_TOKEN", null);
        env.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", null);
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", null);
        env.put("AWS_WEB_IDENTITY_TOKEN_FILE", null);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        assertOneClearLine(audit(s3, env, "s3://some-bucket/"), "no AWS credentials found");
    }

    @Test
    void helpAndVersionExitZero() throws Exception {
        Cli.Run version = Cli.jar(Map.of(), "--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("pontus ");
        Cli.Run help = Cli.jar(Map.of(), "audit", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--quarantine=PREFIX", "--shard=I/N", "Exit status: 0 no findings");
    }
}
