package dev.pontus.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void signsOnlyPartNumbersS3Accepts() {
        MultipartUploads uploads = uploads(MIB);
        for (int bad : new int[] {0, -1, 10_001}) {
            assertThatThrownBy(() -> uploads.signPart("unvalidated/a/b", "id", bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("partNumber: " + bad);
        }
        MultipartUploads.PresignedPart part = uploads.signPart("unvalidated/a/b", "id", 10_000);
        assertThat(part.url().getQuery()).contains("partNumber=10000").contains("uploadId=id");
        assertThat(part.expiresAt())
                .isBetween(Instant.now().plusSeconds(590), Instant.now().plusSeconds(610));
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
}
