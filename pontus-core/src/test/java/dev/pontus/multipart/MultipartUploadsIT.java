package dev.pontus.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pontus.test.Fault;
import dev.pontus.test.FaultProxy;
import dev.pontus.test.LocalS3;
import dev.pontus.test.LocalS3Extension;
import dev.pontus.test.S3Operation;
import dev.pontus.validate.UploadPromoter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Multipart uploads through presigned part URLs, as a browser does them, against S3Proxy. */
@ExtendWith(LocalS3Extension.class)
class MultipartUploadsIT {
    private static final int MIB = 1024 * 1024;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LocalS3 s3;
    private String bucket;
    private S3Presigner presigner;

    @BeforeEach
    void setUp(LocalS3 s3) {
        this.s3 = s3;
        this.bucket = s3.newBucket();
        this.presigner = s3.presignerBuilder().build();
    }

    @AfterEach
    void closePresigner() {
        presigner.close();
    }

    private MultipartUploads uploads(long max) {
        return MultipartUploads.builder()
                .s3(s3.client())
                .presigner(presigner)
                .bucket(bucket)
                .fileSize(1, max)
                .build();
    }

    /** What the browser does: PUT each part to its presigned URL and keep the ETag the answer carries. */
    private static List<MultipartUploads.Part> putParts(
            MultipartUploads uploads, String key, String id, byte[]... parts) throws IOException, InterruptedException {
        List<MultipartUploads.Part> sent = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            URI url = uploads.signPart(key, id, i + 1).url();
            HttpResponse<String> answer = HTTP.send(
                    HttpRequest.newBuilder(url)
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(parts[i]))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            sent.add(new MultipartUploads.Part(
                    i + 1, answer.headers().firstValue("ETag").orElseThrow(), 0, null));
        }
        return sent;
    }

    private List<String> openUploads() {
        return s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
                .map(MultipartUpload::key)
                .toList();
    }

    private boolean exists(String key) {
        try {
            s3.client().headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    @Test
    void uploadsPartsThroughPresignedUrlsAndCompletesWithinTheLimit() throws Exception {
        MultipartUploads uploads = uploads(20 * MIB);
        String key = "unvalidated/abc/video.mp4";
        String id = uploads.create(key, "video/mp4", Map.of("owner", "42"));
        byte[] first = new byte[5 * MIB];
        first[0] = 7;
        byte[] second = new byte[MIB];
        second[MIB - 1] = 9;

        List<MultipartUploads.Part> sent = putParts(uploads, key, id, first, second);
        assertThat(uploads.parts(key, id))
                .extracting(MultipartUploads.Part::size)
                .containsExactly(5L * MIB, (long) MIB);
        MultipartUploads.Completed done = uploads.complete(key, id, sent);

        assertThat(done.size()).isEqualTo(6 * MIB);
        assertThat(done.parts()).isEqualTo(2);
        var head = s3.client().headObject(b -> b.bucket(bucket).key(key));
        assertThat(head.contentLength()).isEqualTo(6L * MIB);
        assertThat(head.contentType()).isEqualTo("video/mp4");
        assertThat(head.metadata()).containsEntry("owner", "42");
        byte[] stored =
                s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        assertThat(stored[0]).isEqualTo((byte) 7);
        assertThat(stored[6 * MIB - 1]).isEqualTo((byte) 9);
        assertThat(openUploads()).isEmpty();
    }

    @Test
    void completingValidatingAndPromotingAMultipartUploadTakesSevenRequests() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(s3);
                S3Client counted = proxy.clientBuilder().build()) {
            MultipartUploads uploads = MultipartUploads.builder()
                    .s3(counted)
                    .presigner(presigner)
                    .bucket(bucket)
                    .fileSize(1, 20 * MIB)
                    .build();
            UploadPromoter validator = UploadPromoter.builder()
                    .s3(counted)
                    .bucket(bucket)
                    .unvalidatedPrefix("unvalidated/")
                    .validatedPrefix("files/")
                    .build();
            String key = "unvalidated/abc/notes.txt";
            String id = uploads.create(key, "text/plain", Map.of());
            byte[] text = "plain text notes\n".repeat(400_000).getBytes(StandardCharsets.US_ASCII);
            List<MultipartUploads.Part> sent = putParts(
                    uploads, key, id, Arrays.copyOf(text, 5 * MIB), Arrays.copyOfRange(text, 5 * MIB, text.length));
            proxy.resetCounts();

            uploads.complete(key, id, sent);
            assertThat(validator.validateAndPromote(key).isValid()).isTrue();

            assertThat(proxy.requests())
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            S3Operation.LIST_PARTS,
                            1,
                            S3Operation.COMPLETE_MULTIPART,
                            1,
                            S3Operation.RANGED_GET,
                            2,
                            S3Operation.HEAD,
                            1,
                            S3Operation.COPY,
                            1,
                            S3Operation.DELETE,
                            1));
        }
    }

    @Test
    void refusesAndAbortsAnUploadWhosePartsTotalMoreThanTheMaximum() throws Exception {
        MultipartUploads uploads = uploads(8 * MIB);
        String key = "unvalidated/abc/huge.bin";
        String id = uploads.create(key, "application/octet-stream", Map.of());
        List<MultipartUploads.Part> sent = putParts(uploads, key, id, new byte[5 * MIB], new byte[5 * MIB]);

        assertThatThrownBy(() -> uploads.complete(key, id, sent))
                .isInstanceOfSatisfying(
                        MultipartException.class, e -> assertThat(e.code()).isEqualTo("file-too-large"))
                .hasMessageContaining(String.valueOf(10 * MIB))
                .hasMessageContaining(String.valueOf(8 * MIB));
        assertThat(exists(key)).isFalse();
        assertThat(openUploads()).isEmpty();
    }

    @Test
    void refusesAPartListThatDiffersFromWhatS3Holds() throws Exception {
        MultipartUploads uploads = uploads(20 * MIB);
        String key = "unvalidated/abc/a.bin";
        String id = uploads.create(key, "application/octet-stream", Map.of());
        List<MultipartUploads.Part> sent = putParts(uploads, key, id, new byte[5 * MIB], new byte[10]);

        assertThatThrownBy(() -> uploads.complete(key, id, sent.subList(0, 1)))
                .isInstanceOfSatisfying(
                        MultipartException.class, e -> assertThat(e.code()).isEqualTo("parts-mismatch"));
        assertThatThrownBy(() -> uploads.complete(
                        key,
                        id,
                        List.of(
                                sent.get(0),
                                new MultipartUploads.Part(2, "\"0123456789abcdef0123456789abcdef\"", 0, null))))
                .isInstanceOfSatisfying(
                        MultipartException.class, e -> assertThat(e.code()).isEqualTo("parts-mismatch"));
        assertThat(exists(key)).isFalse();
        assertThat(uploads.complete(key, id, sent).size()).isEqualTo(5 * MIB + 10);
    }

    @Test
    void signsOnlyPartNumbersS3AcceptsAndTheFileLimitNeeds() {
        MultipartUploads uploads = uploads(12 * MIB);
        String key = "unvalidated/a/b";
        String id = uploads.create(key, "application/octet-stream", Map.of());
        for (int bad : new int[] {0, -1, 10_001}) {
            assertThatThrownBy(() -> uploads.signPart(key, id, bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("partNumber: " + bad);
        }
        for (int beyond : new int[] {4, 5, 10_000}) {
            assertThatThrownBy(() -> uploads.signPart(key, id, beyond))
                    .isInstanceOfSatisfying(
                            MultipartException.class, e -> assertThat(e.code()).isEqualTo("too-many-parts"))
                    .hasMessageContaining("beyond the 3 parts");
        }
        MultipartUploads.PresignedPart part = uploads.signPart(key, id, 3);
        assertThat(part.url().getQuery()).contains("partNumber=3").contains("uploadId=" + id);
        assertThat(part.expiresAt())
                .isBetween(Instant.now().plusSeconds(590), Instant.now().plusSeconds(610));
    }

    @Test
    void allowsAsManyPartsAsAFileAtTheLimitNeedsInPartsOf5MiB() {
        assertThat(uploads(1).maxPartNumber()).isEqualTo(1);
        assertThat(uploads(5 * MIB).maxPartNumber()).isEqualTo(1);
        assertThat(uploads(5 * MIB + 1).maxPartNumber()).isEqualTo(2);
        assertThat(uploads(10_000_000).maxPartNumber()).isEqualTo(2);
        assertThat(uploads(100L * MIB).maxPartNumber()).isEqualTo(20);
        assertThat(uploads(5L << 40).maxPartNumber()).isEqualTo(10_000);
    }

    @Test
    void aSignedLengthIsTheOnlyOneS3TakesAndOneOverTheLimitIsNotSigned() throws Exception {
        MultipartUploads uploads = uploads(10_000_000);
        String key = "unvalidated/abc/sized.bin";
        String id = uploads.create(key, "application/octet-stream", Map.of());
        URI url = uploads.signPart(key, id, 1, 5 * MIB).url();

        assertThat(put(url, new byte[10])).isEqualTo(403);
        assertThat(put(url, new byte[5 * MIB])).isEqualTo(200);
        for (long tooMuch : new long[] {10_000_000 - 5 * MIB + 1, 6 * MIB, 10_000_001}) {
            assertThatThrownBy(() -> uploads.signPart(key, id, 2, tooMuch))
                    .isInstanceOfSatisfying(
                            MultipartException.class, e -> assertThat(e.code()).isEqualTo("file-too-large"))
                    .hasMessageContaining("Nothing was signed");
        }
        assertThatThrownBy(() -> uploads.signPart(key, id, 2, 0)).hasMessageStartingWith("size: 0");
        assertThat(uploads.signPart(key, id, 2, 10_000_000 - 5 * MIB)).isNotNull();
        assertThat(openUploads()).containsExactly(key);
    }

    @Test
    void abortsAnUploadHoldingMoreThanTheLimitWhenMorePartsAreSigned() throws Exception {
        MultipartUploads uploads = uploads(10_000_000);
        String key = "unvalidated/abc/big-part.bin";
        String id = uploads.create(key, "application/octet-stream", Map.of());
        assertThat(put(uploads.signPart(key, id, 1).url(), new byte[12 * MIB]))
                .as("S3 takes any length at an URL signed without one")
                .isEqualTo(200);

        assertThatThrownBy(() -> uploads.signPart(key, id, 2))
                .isInstanceOfSatisfying(
                        MultipartException.class, e -> assertThat(e.code()).isEqualTo("file-too-large"))
                .hasMessageContaining(String.valueOf(12 * MIB))
                .hasMessageContaining("aborted");
        assertThat(openUploads()).isEmpty();
        assertThatThrownBy(() -> uploads.signParts(key, id, List.of(1, 2)))
                .isInstanceOfSatisfying(
                        MultipartException.class, e -> assertThat(e.code()).isEqualTo("no-such-upload"));
    }

    @Test
    void anUploadIdIsUsableOnlyWithItsOwnKey() {
        MultipartUploads uploads = uploads(20 * MIB);
        String mine = "unvalidated/mine/a.bin";
        String theirs = "unvalidated/theirs/b.bin";
        String myId = uploads.create(mine, "application/octet-stream", Map.of());
        String theirId = uploads.create(theirs, "application/octet-stream", Map.of());
        String prefixOfMine = uploads.create(mine + "x", "application/octet-stream", Map.of());

        for (String id : List.of(theirId, prefixOfMine, "no-such-id", myId + "0")) {
            List<Runnable> operations = List.of(
                    () -> uploads.signPart(mine, id, 1),
                    () -> uploads.signParts(mine, id, List.of(1, 2)),
                    () -> uploads.signPart(mine, id, 1, 10),
                    () -> uploads.parts(mine, id),
                    () -> uploads.complete(mine, id, List.of(new MultipartUploads.Part(1, "\"e\"", 0, null))),
                    () -> uploads.abort(mine, id));
            for (Runnable operation : operations) {
                assertThatThrownBy(operation::run)
                        .as("upload id %s with the key %s", id, mine)
                        .isInstanceOfSatisfying(
                                MultipartException.class,
                                e -> assertThat(e.code()).isEqualTo("no-such-upload"));
            }
        }
        assertThat(openUploads()).containsExactlyInAnyOrder(mine, theirs, mine + "x");
        assertThat(uploads.signPart(mine, myId, 1)).isNotNull();
        uploads.abort(mine, myId);
        assertThat(openUploads()).containsExactlyInAnyOrder(theirs, mine + "x");
    }

    @Test
    void refusesAndAbortsACompletionWithPartsUnder5MiBButTheLast() throws Exception {
        MultipartUploads uploads = uploads(20 * MIB);
        String key = "unvalidated/abc/tiny-parts.bin";
        String id = uploads.create(key, "application/octet-stream", Map.of());
        List<MultipartUploads.Part> sent = putParts(uploads, key, id, new byte[16], new byte[16], new byte[16]);

        assertThatThrownBy(() -> uploads.complete(key, id, sent))
                .isInstanceOfSatisfying(
                        MultipartException.class, e -> assertThat(e.code()).isEqualTo("part-too-small"))
                .hasMessageContaining("part 1 is 16 bytes")
                .hasMessageContaining("aborted")
                .hasMessageContaining("5 MiB or more");
        assertThat(openUploads()).isEmpty();
        assertThat(exists(key)).isFalse();
    }

    @Test
    void anEntityTooSmallFromTheStoreAtCompletionIsARefusalAndTheUploadIsAborted() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(s3);
                S3Client faulty = proxy.clientBuilder().build()) {
            MultipartUploads uploads = MultipartUploads.builder()
                    .s3(faulty)
                    .presigner(presigner)
                    .bucket(bucket)
                    .fileSize(1, 20 * MIB)
                    .build();
            String key = "unvalidated/abc/refused.bin";
            String id = uploads.create(key, "application/octet-stream", Map.of());
            List<MultipartUploads.Part> sent = putParts(uploads, key, id, new byte[5 * MIB], new byte[10]);
            proxy.injectOnce(S3Operation.COMPLETE_MULTIPART, Fault.status(400, "EntityTooSmall"));

            assertThatThrownBy(() -> uploads.complete(key, id, sent))
                    .isInstanceOfSatisfying(
                            MultipartException.class, e -> assertThat(e.code()).isEqualTo("part-too-small"));
            assertThat(openUploads()).isEmpty();
        }
    }

    @Test
    void removesAbandonedUploadsAndObjectsUnderThePrefixOnly() {
        MultipartUploads uploads = uploads(MIB);
        uploads.create("unvalidated/old/a.bin", "application/octet-stream", Map.of());
        s3.client().putObject(b -> b.bucket(bucket).key("unvalidated/old/b.jpg"), RequestBody.fromBytes(new byte[3]));
        s3.client().putObject(b -> b.bucket(bucket).key("files/old/c.jpg"), RequestBody.fromBytes(new byte[3]));

        assertThat(uploads.removeAbandoned("unvalidated/", Duration.ofDays(1), Instant.now()))
                .isEqualTo(new MultipartUploads.Removed(0, 0)); // nothing is a day old yet
        MultipartUploads.Removed removed = uploads.removeAbandoned(
                "unvalidated/", Duration.ofDays(1), Instant.now().plus(Duration.ofDays(2)));

        assertThat(removed).isEqualTo(new MultipartUploads.Removed(1, 1));
        assertThat(openUploads()).isEmpty();
        assertThat(s3.client().listObjectsV2(b -> b.bucket(bucket)).contents())
                .extracting(S3Object::key)
                .containsExactly("files/old/c.jpg");
        assertThatThrownBy(() -> uploads.removeAbandoned("", Duration.ofDays(1), Instant.now()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("prefix:");
    }

    @Test
    void removingAbandonedUploadsGoesOnPastOnesGoneOrFailingAndReportsThem() {
        try (FaultProxy proxy = FaultProxy.start(s3);
                S3Client faulty = proxy.clientBuilder().build()) {
            MultipartUploads uploads = MultipartUploads.builder()
                    .s3(faulty)
                    .presigner(presigner)
                    .bucket(bucket)
                    .fileSize(1, MIB)
                    .build();
            for (String name : List.of("a", "b", "c", "d")) {
                uploads.create("unvalidated/old/" + name + ".bin", "application/octet-stream", Map.of());
            }
            proxy.injectOnce(S3Operation.ABORT_MULTIPART, Fault.status(404, "NoSuchUpload"));
            proxy.injectOnce(S3Operation.ABORT_MULTIPART, Fault.status(403, "AccessDenied"));

            MultipartUploads.Removed removed = uploads.removeAbandoned(
                    "unvalidated/", Duration.ofDays(1), Instant.now().plus(Duration.ofDays(2)));

            assertThat(removed.multipartUploads()).isEqualTo(2);
            assertThat(removed.failed()).singleElement().asString().contains("unvalidated/old/b.bin");
            assertThat(proxy.requests(S3Operation.ABORT_MULTIPART)).isEqualTo(4);
        }
    }

    private static int put(URI url, byte[] body) throws IOException, InterruptedException {
        return HTTP.send(
                        HttpRequest.newBuilder(url)
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
