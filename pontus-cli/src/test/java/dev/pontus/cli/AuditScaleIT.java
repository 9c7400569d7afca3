package dev.pontus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pontus.test.Fault;
import dev.pontus.test.FaultProxy;
import dev.pontus.test.LocalS3;
import dev.pontus.test.LocalS3Extension;
import dev.pontus.test.S3Operation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A prefix of more objects than one listing page (1,000): every one is audited once, listing page by page;
 * {@code --start-after} resumes where it says; shards split the keys without overlap; throttling is backed off and
 * retried; a failed object is a finding and the run goes on. Every object is a text file and the allow list is
 * images only, so that every object audited shows in the report.
 */
@ExtendWith(LocalS3Extension.class)
class AuditScaleIT {
    private static final int OBJECTS = 1_050;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalS3 s3;
    private static String bucket;

    @BeforeAll
    static void putObjects(LocalS3 localS3) throws Exception {
        s3 = localS3;
        bucket = s3.newBucket();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> puts = new ArrayList<>();
        for (int i = 0; i < OBJECTS; i++) {
            String key = key(i);
            puts.add(pool.submit(() -> s3.client()
                    .putObject(
                            b -> b.bucket(bucket).key(key).contentType("text/plain"),
                            RequestBody.fromString("notes " + key))));
        }
        for (Future<?> put : puts) {
            put.get();
        }
        pool.shutdown();
    }

    private static String key(int i) {
        return String.format("docs/%05d.txt", i);
    }

    private static Set<String> keys(Cli.Run run) throws Exception {
        Set<String> keys = new HashSet<>();
        for (String line : run.outLines()) {
            assertThat(keys.add(JSON.readTree(line).get("key").asText()))
                    .as("once: " + line)
                    .isTrue();
        }
        return keys;
    }

    @Test
    void auditsEveryObjectOnceAcrossListingPages() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(s3)) {
            Cli.Run run = Cli.audit(
                    proxy.endpoint(),
                    s3.accessKey(),
                    s3.secretKey(),
                    b -> {},
                    "s3://" + bucket + "/docs/",
                    "--format=jsonl",
                    "--allow=image/*");

            assertThat(run.exit()).as(run.err()).isEqualTo(1);
            assertThat(keys(run)).hasSize(OBJECTS);
            assertThat(proxy.requests(S3Operation.LIST_OBJECTS)).isEqualTo(2);
            assertThat(proxy.requests(S3Operation.RANGED_GET)).isEqualTo(OBJECTS); // small files: the head is all
            assertThat(run.err()).contains("1,050 objects", "type-not-allowed 1,050".replace(",", ""));
        }
    }

    @Test
    void startAfterResumesAfterTheGivenKey() throws Exception {
        Cli.Run run = Cli.audit(
                s3,
                "s3://" + bucket + "/docs/",
                "--format=jsonl",
                "--allow=image/*",
                "--start-after",
                key(899),
                "--page-size",
                "50");

        Set<String> keys = keys(run);
        assertThat(keys)
                .hasSize(OBJECTS - 900)
                .contains(key(900), key(OBJECTS - 1))
                .doesNotContain(key(899));
    }

    @Test
    void shardsSplitTheKeysWithoutOverlap() throws Exception {
        Set<String> all = new HashSet<>();
        int total = 0;
        for (int index = 0; index < 3; index++) {
            Set<String> share = keys(Cli.audit(
                    s3, "s3://" + bucket + "/docs/", "--format=jsonl", "--allow=image/*", "--shard", index + "/3"));
            assertThat(share.size()).isBetween(250, 450);
            total += share.size();
            all.addAll(share);
        }
        assertThat(total).isEqualTo(OBJECTS);
        assertThat(all).hasSize(OBJECTS);
    }

    @Test
    void includeAndExcludeGlobsChooseKeys() throws Exception {
        Set<String> keys = keys(Cli.audit(
                s3,
                "s3://" + bucket + "/docs/",
                "--format=jsonl",
                "--allow=image/*",
                "--include",
                "000??.txt",
                "--exclude",
                "docs/0000*"));
        assertThat(keys).hasSize(90).contains(key(10), key(99)).doesNotContain(key(9), key(100));
    }

    @Test
    void throttlingIsBackedOffAndRetried() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(s3)) {
            proxy.inject(S3Operation.RANGED_GET, Fault.status(503, "SlowDown"), 30);
            Cli.Run run = Cli.audit(
                    proxy.endpoint(),
                    s3.accessKey(),
                    s3.secretKey(),
                    b -> {},
                    "s3://" + bucket + "/docs/",
                    "--format=jsonl",
                    "--allow=image/*",
                    "--include=0000?.txt");

            assertThat(keys(run)).hasSize(10);
            assertThat(run.out()).doesNotContain(Finding.CHECK_FAILED);
            assertThat(proxy.requests(S3Operation.RANGED_GET)).isEqualTo(10 + 30);
        }
    }

    @Test
    void aFailedObjectIsAFindingAndTheRunGoesOn() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(s3)) {
            proxy.injectOnce(S3Operation.RANGED_GET, Fault.status(403, "AccessDenied"));
            Cli.Run run = Cli.audit(
                    proxy.endpoint(),
                    s3.accessKey(),
                    s3.secretKey(),
                    b -> {},
                    "s3://" + bucket + "/docs/",
                    "--format=jsonl",
                    "--include=0000?.txt",
                    "--concurrency=1");

            assertThat(run.exit()).as(run.err()).isEqualTo(1);
            assertThat(run.outLines()).hasSize(1);
            assertThat(JSON.readTree(run.out())
                            .get("findings")
                            .get(0)
                            .get("code")
                            .asText())
                    .isEqualTo(Finding.CHECK_FAILED);
            assertThat(run.err()).contains("audited s3://" + bucket + "/docs/: 10 objects", "check-failed 1");
        }
    }
}
