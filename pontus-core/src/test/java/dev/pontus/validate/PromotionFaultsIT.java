package dev.pontus.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pontus.StorageException;
import dev.pontus.test.Fault;
import dev.pontus.test.FaultProxy;
import dev.pontus.test.LocalS3;
import dev.pontus.test.LocalS3Extension;
import dev.pontus.test.S3Operation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Every fault a flaky network, a failing store or a racing client can cause, injected on the wire between the
 * validator and a real S3Proxy. Each case asserts the promise: no valid file lost, no invalid or replaced file
 * promoted, no double promotion, and the right answer. The table of cases is written to
 * {@code target/fault-table.md}.
 */
@ExtendWith(LocalS3Extension.class)
class PromotionFaultsIT {
    private static final String PREFIX = "unvalidated/";
    private static final String KEY = PREFIX + "id-1/cat.jpg";
    private static final String FINAL = "files/id-1/cat.jpg";
    private static final List<String> TABLE = new ArrayList<>();

    private final byte[] valid = Samples.jpeg(48, 48);
    private final byte[] other = Samples.jpeg(40, 40);
    private final List<String> cleanup = new CopyOnWriteArrayList<>();
    private Duration callTimeout = Duration.ofSeconds(2);
    private LocalS3 s3;
    private FaultProxy proxy;
    private S3Client client;
    private String bucket;

    @BeforeEach
    void setUp(LocalS3 s3) {
        this.s3 = s3;
        this.bucket = s3.newBucket();
        this.proxy = FaultProxy.start(s3);
        this.client = proxy.clientBuilder().build();
    }

    @AfterEach
    void tearDown() {
        client.close();
        proxy.close();
    }

    @AfterAll
    static void writeTable() throws IOException {
        Path table = Path.of("target", "fault-table.md");
        Files.createDirectories(table.getParent());
        Files.writeString(
                table,
                "| fault | operation | answer | valid lost | invalid promoted | promotions |\n"
                        + "| --- | --- | --- | --- | --- | --- |\n" + String.join("\n", TABLE) + "\n");
    }

    private UploadPromoter.Builder validator() {
        return UploadPromoter.builder()
                .s3(client)
                .bucket(bucket)
                .unvalidatedPrefix(PREFIX)
                .validatedPrefix("files/")
                .deleteInvalid(true)
                .cleanupWarnings(cleanup::add)
                .validators(Validators.allowTypes("image/jpeg"), Validators.noEmbeddedMarkup());
    }

    private void put(String key, byte[] content) {
        s3.client().putObject(b -> b.bucket(bucket).key(key).contentType("image/jpeg"), RequestBody.fromBytes(content));
    }

    private byte[] content(String key) {
        try {
            return s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    /**
     * Runs one validation of {@code upload} at KEY with {@code fault} on {@code operation}, checks what the caller
     * was told, then the bucket: a valid upload must be at the source or the final key, an invalid one never at the
     * final key, and the final key copied at most once.
     */
    private void row(
            S3Operation operation,
            Fault fault,
            byte[] upload,
            String expected,
            Consumer<ValidationResult> answer,
            Class<? extends Throwable> failure) {
        row(operation, fault, upload, null, expected, answer, failure);
    }

    /** As above, where the fault itself replaces the upload with {@code replacement}, which must then survive. */
    private void row(
            S3Operation operation,
            Fault fault,
            byte[] upload,
            byte[] replacement,
            String expected,
            Consumer<ValidationResult> answer,
            Class<? extends Throwable> failure) {
        put(KEY, upload);
        proxy.resetCounts();
        proxy.inject(operation, fault);
        String told;
        long start = System.nanoTime();
        try {
            ValidationResult result = validator()
                    .callTimeout(callTimeout)
                    .operationTimeout(Duration.ofSeconds(7))
                    .build()
                    .validateAndPromote(KEY);
            told = result.isValid() ? (result.warnings().isEmpty() ? "valid" : "valid, warning") : "invalid";
            assertThat(failure).as("expected %s", failure).isNull();
            answer.accept(result);
            if (result instanceof ValidationResult.Valid promoted && !promoted.repeated()) {
                // the original's delete follows the answer: let it end, faults and retries included, first
                eventually(
                        "the delete after the answer",
                        () -> !cleanup.isEmpty() || !Arrays.equals(content(KEY), upload));
            }
        } catch (RuntimeException e) {
            told = e.getClass().getSimpleName()
                    + (e instanceof StorageException s && s.throttled() ? " (throttled)" : "");
            assertThat(e).as("%s on %s", fault, operation).isInstanceOf(failure == null ? Void.class : failure);
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        proxy.clear();
        boolean uploadValid = upload == valid || upload == other;
        byte[] atSource = content(KEY);
        byte[] atFinal = content(FINAL);
        byte[] survivor = replacement == null ? upload : replacement;
        boolean survivorValid = survivor == valid || survivor == other;
        int validLost = (uploadValid && replacement == null || survivorValid)
                        && !Arrays.equals(atSource, survivor)
                        && !Arrays.equals(atFinal, survivor)
                ? 1
                : 0;
        int invalidPromoted =
                atFinal != null && (!uploadValid || !survivorValid && Arrays.equals(atFinal, survivor)) ? 1 : 0;
        int promotions = atFinal == null ? 0 : proxy.forwarded(S3Operation.COPY);
        TABLE.add("| " + fault + " | " + operation + " | " + told + " (" + millis + " ms) | " + validLost + " | "
                + invalidPromoted + " | " + promotions + " |");
        assertThat(told).as("answer").startsWith(expected);
        assertThat(validLost).as("valid files lost").isZero();
        assertThat(invalidPromoted).as("invalid files promoted").isZero();
        assertThat(promotions).as("copies").isLessThanOrEqualTo(1);
        assertThat(millis).as("bounded time").isLessThan(8_000);
    }

    private static Consumer<ValidationResult> nothing() {
        return result -> {};
    }

    @Test
    void aShortReadIsAStorageFailureAndDeletesNothing() {
        row(
                S3Operation.RANGED_GET,
                Fault.truncateBody(100),
                valid,
                "StorageException",
                nothing(),
                StorageException.class);
        assertThat(content(KEY)).isEqualTo(valid);
        row(
                S3Operation.RANGED_GET,
                Fault.truncateBody(100),
                Samples.html(),
                "StorageException",
                nothing(),
                StorageException.class);
        assertThat(content(KEY)).as("an unchecked upload is never deleted").isEqualTo(Samples.html());
    }

    @Test
    void aCutConnectionIsAStorageFailure() {
        row(S3Operation.RANGED_GET, Fault.cutBody(100), valid, "StorageException", nothing(), StorageException.class);
    }

    @Test
    void anErrorInside200ToAReadIsNotContent() {
        row(
                S3Operation.RANGED_GET,
                Fault.errorIn200("InternalError"),
                valid,
                "StorageException",
                nothing(),
                StorageException.class);
    }

    @Test
    void readFailuresAreStorageFailures() {
        row(
                S3Operation.RANGED_GET,
                Fault.status(500, "InternalError"),
                valid,
                "StorageException",
                nothing(),
                StorageException.class);
        callTimeout = Duration.ofSeconds(6); // time for the SDK's own retries, with their throttling back-off
        row(
                S3Operation.RANGED_GET,
                Fault.status(503, "SlowDown"),
                valid,
                "StorageException (throttled)",
                nothing(),
                StorageException.class);
        callTimeout = Duration.ofSeconds(2);
        row(S3Operation.RANGED_GET, Fault.reset(), valid, "StorageException", nothing(), StorageException.class);
        row(
                S3Operation.HEAD,
                Fault.status(500, "InternalError"),
                valid,
                "StorageException",
                nothing(),
                StorageException.class);
        assertThat(content(FINAL)).isNull();
    }

    @Test
    void aHangingStoreIsAnsweredInBoundedTime() {
        row(S3Operation.RANGED_GET, Fault.hang(), valid, "StorageException", nothing(), StorageException.class);
        row(S3Operation.COPY, Fault.hang(), valid, "StorageException", nothing(), StorageException.class);
    }

    @Test
    void aFailedCopyIsAStorageFailureNotAConflict() {
        row(
                S3Operation.COPY,
                Fault.status(500, "InternalError"),
                valid,
                "StorageException",
                nothing(),
                StorageException.class);
        row(
                S3Operation.COPY,
                Fault.errorIn200("InternalError"),
                valid,
                "StorageException",
                nothing(),
                StorageException.class);
        row(S3Operation.COPY, Fault.reset(), valid, "StorageException", nothing(), StorageException.class);
        assertThat(content(KEY)).isEqualTo(valid);
        assertThat(content(FINAL)).isNull();
    }

    @Test
    void anUploadReplacedJustBeforeTheCopyIsNotPromoted() {
        byte[] html = Samples.html();
        row(
                S3Operation.COPY,
                Fault.replaceObject(html),
                valid,
                html,
                "PromotionException",
                nothing(),
                PromotionException.class);
        assertThat(content(FINAL)).isNull();
        assertThat(content(KEY)).as("the replacement stays where it is").isEqualTo(Samples.html());
    }

    @Test
    void aCopyAnsweredTooLateIsFinishedByTheNextValidation() {
        row(
                S3Operation.COPY,
                Fault.delay(Duration.ofMillis(2500)),
                valid,
                "StorageException",
                nothing(),
                StorageException.class);
        eventually("the store finishes the copy the client gave up on", () -> content(FINAL) != null);

        ValidationResult.Valid again =
                (ValidationResult.Valid) validator().build().validateAndPromote(KEY);

        assertThat(again.repeated()).isTrue();
        assertThat(again.key()).isEqualTo(FINAL);
        assertThat(content(FINAL)).isEqualTo(valid);
        eventually("the original, now promoted, is cleaned up", () -> content(KEY) == null);
    }

    @Test
    void aFailedDeleteAfterAGoodCopyIsAWarning() {
        row(
                S3Operation.DELETE,
                Fault.status(500, "InternalError"),
                valid,
                "valid",
                result -> assertThat(result.warnings())
                        .as("answered before the delete")
                        .isEmpty(),
                null);
        eventually("a warning about the delete", () -> !cleanup.isEmpty());
        assertThat(cleanup).singleElement().asString().contains("could not be deleted");
        assertThat(content(FINAL)).isEqualTo(valid);
        assertThat(content(KEY)).as("left to the sweep").isEqualTo(valid);
    }

    @Test
    void anUploadReplacedJustBeforeTheDeleteStays() {
        row(
                S3Operation.DELETE,
                Fault.replaceObject(other),
                valid,
                other,
                "valid",
                result -> assertThat(result.warnings())
                        .as("answered before the delete")
                        .isEmpty(),
                null);
        eventually("a warning about the delete", () -> !cleanup.isEmpty());
        assertThat(cleanup).singleElement().asString().contains("newer upload replaced it");
        assertThat(content(FINAL)).isEqualTo(valid);
        assertThat(content(KEY)).isEqualTo(other);
    }

    @Test
    void aDeleteThatTimesOutAfterTheAnswerIsAWarningAndLosesNothing() {
        row(
                S3Operation.DELETE,
                Fault.delay(callTimeout.plusSeconds(1)),
                valid,
                "valid",
                result -> assertThat(cleanup)
                        .as("answered before the delete ended")
                        .isEmpty(),
                null);
        eventually("a warning about the delete", () -> !cleanup.isEmpty());
        assertThat(cleanup).singleElement().asString().contains("could not be deleted", "timed out");
        assertThat(content(FINAL)).isEqualTo(valid);

        ValidationResult.Valid again =
                (ValidationResult.Valid) validator().build().validateAndPromote(KEY);
        assertThat(again.repeated()).as("a later validation finds it promoted").isTrue();
        assertThat(proxy.forwarded(S3Operation.COPY)).as("copies").isEqualTo(1);
    }

    @Test
    void aConditionalWriteConflictOnTheCopyIsRetried() {
        proxy.inject(S3Operation.COPY, Fault.status(409, "ConditionalRequestConflict"), 1);
        put(KEY, valid);

        ValidationResult.Valid result =
                (ValidationResult.Valid) validator().build().validateAndPromote(KEY);

        assertThat(result.promoted()).isTrue();
        assertThat(result.repeated()).isFalse();
        assertThat(proxy.requests(S3Operation.COPY))
                .as("the conflict, then the copy")
                .isEqualTo(2);
        assertThat(proxy.forwarded(S3Operation.COPY)).isEqualTo(1);
        assertThat(content(FINAL)).isEqualTo(valid);
    }

    @Test
    void aFileReplacedBetweenTheParallelReadsIsNeverJudged() {
        put(KEY, valid);
        CountDownLatch headRead = new CountDownLatch(1);
        ExecutionInterceptor replaceBeforeTheTail = new ExecutionInterceptor() {
            @Override
            public void afterUnmarshalling(Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
                if (range(context.request()).startsWith("bytes=0-")) {
                    headRead.countDown();
                }
            }

            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (range(context.request()).startsWith("bytes=-")) {
                    try {
                        assertThat(headRead.await(5, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    put(KEY, Samples.html()); // replaced after the head was read, before the tail is
                }
            }
        };
        try (S3Client racing = s3.clientBuilder()
                .overrideConfiguration(o -> o.addExecutionInterceptor(replaceBeforeTheTail))
                .build()) {
            UploadPromoter promoter = validator().s3(racing).headBytes(512).build(); // a head, then a tail

            assertThatThrownBy(() -> promoter.validateAndPromote(KEY))
                    .isInstanceOf(PromotionException.class)
                    .hasMessageContaining("changed while it was being checked");
        }
        assertThat(content(FINAL)).isNull();
        assertThat(content(KEY)).as("the replacement stays, unjudged").isEqualTo(Samples.html());
    }

    private static String range(SdkRequest request) {
        return request instanceof GetObjectRequest get && get.range() != null ? get.range() : "";
    }

    @Test
    void aValidReplacementOfAnInvalidUploadIsNotDeleted() {
        row(
                S3Operation.DELETE,
                Fault.replaceObject(other),
                Samples.html(),
                other,
                "invalid",
                result -> {
                    assertThat(((ValidationResult.Invalid) result).deleted()).isFalse();
                    assertThat(result.warnings()).singleElement().asString().contains("newer upload replaced it");
                },
                null);
        assertThat(content(KEY)).isEqualTo(other);
    }

    @Test
    void concurrentValidationsPromoteOnceAndAllAnswerTheFinalKey() throws Exception {
        put(KEY, valid);
        UploadPromoter validator = validator().build();
        proxy.inject(S3Operation.RANGED_GET, Fault.delay(Duration.ofMillis(300))); // let them pile up
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<ValidationResult>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Callable<ValidationResult> call = () -> validator.validateAndPromote(KEY);
                answers.add(pool.submit(call));
            }
            int first = 0;
            for (Future<ValidationResult> answer : answers) {
                ValidationResult.Valid result = (ValidationResult.Valid) answer.get();
                assertThat(result.key()).isEqualTo(FINAL);
                first += result.repeated() ? 0 : 1;
            }
            assertThat(first).as("validations that promoted").isEqualTo(1);
            assertThat(proxy.forwarded(S3Operation.COPY)).isEqualTo(1);
            TABLE.add("| 10 concurrent validates | all | 10 × valid, 1 not repeated | 0 | 0 | 1 |");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReplayedFormNeverReplacesThePromotedFile() {
        put(KEY, valid);
        validator().build().validateAndPromote(KEY);
        put(KEY, other); // the same still-valid form, posted again after promotion
        proxy.resetCounts();

        ValidationResult.Valid again =
                (ValidationResult.Valid) validator().build().validateAndPromote(KEY);

        assertThat(again.repeated()).isTrue();
        assertThat(again.warnings()).singleElement().asString().contains("later upload");
        assertThat(content(FINAL)).isEqualTo(valid);
        assertThat(content(KEY)).as("the replay is left alone").isEqualTo(other);
        assertThat(proxy.forwarded(S3Operation.COPY)).isZero();
        TABLE.add("| form replayed after promotion | PUT then validate | valid, repeated, warning | 0 | 0 | 0 |");
    }

    /** What S3Proxy 4.1.0 does with the conditions promotion sends: pinned so an upgrade that changes it shows. */
    @Test
    void s3proxyHonoursConditionalDeletesButNotIfNoneMatchOnCopy() {
        put(KEY, valid);
        put(FINAL, other);
        String eTag = s3.client().headObject(b -> b.bucket(bucket).key(KEY)).eTag();

        s3.client()
                .copyObject(b -> b.sourceBucket(bucket)
                        .sourceKey(KEY)
                        .destinationBucket(bucket)
                        .destinationKey(FINAL)
                        .copySourceIfMatch(eTag)
                        .ifNoneMatch("*"));
        assertThat(content(FINAL))
                .as("S3Proxy 4.1.0 ignores If-None-Match on CopyObject")
                .isEqualTo(valid);

        assertThatThrownBy(() ->
                        s3.client().deleteObject(b -> b.bucket(bucket).key(KEY).ifMatch("\"0000\"")))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThat(content(KEY)).isEqualTo(valid);
        s3.client().deleteObject(b -> b.bucket(bucket).key(KEY).ifMatch(eTag));
        assertThat(content(KEY)).isNull();
        // AWS answers 404 to If-Match on a missing key; S3Proxy 4.1.0 answers 204. Promotion takes both as "gone".
        assertThat(s3.client()
                        .deleteObject(b -> b.bucket(bucket).key(KEY).ifMatch(eTag))
                        .sdkHttpResponse()
                        .statusCode())
                .as("If-Match on a missing key")
                .isEqualTo(204);
    }

    /** Polls {@code done} every 20 ms for up to 10 s. */
    static void eventually(String what, BooleanSupplier done) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(until);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
