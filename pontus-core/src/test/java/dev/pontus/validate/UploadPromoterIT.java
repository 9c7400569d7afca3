package dev.pontus.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pontus.sign.PostPolicyRequest;
import dev.pontus.sign.PostSigner;
import dev.pontus.test.BrowserPost;
import dev.pontus.test.ByteCounter;
import dev.pontus.test.LocalS3;
import dev.pontus.test.LocalS3Extension;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

@ExtendWith(LocalS3Extension.class)
class UploadPromoterIT {
    private static final String PREFIX = "unvalidated/";
    private static final int MIB = 1024 * 1024;

    private LocalS3 s3;
    private String bucket;

    @BeforeEach
    void setUp(LocalS3 s3) {
        this.s3 = s3;
        this.bucket = s3.newBucket();
    }

    private UploadPromoter.Builder validator(Validator... validators) {
        return UploadPromoter.builder()
                .s3(s3.client())
                .bucket(bucket)
                .unvalidatedPrefix(PREFIX)
                .validatedPrefix("files/")
                .validators(validators);
    }

    /** The starter's pixel cap: 50 M pixels, and an image whose dimensions cannot be read is refused. */
    private static Validator pixelCap() {
        return Validators.imageDimensions()
                .maxPixels(50_000_000)
                .requireReadable()
                .build();
    }

    private String put(String name, String contentType, byte[] content) {
        String key = PREFIX + "id-1/" + name;
        s3.client()
                .putObject(
                        b -> b.bucket(bucket).key(key).contentType(contentType).metadata(Map.of("owner", "42")),
                        RequestBody.fromBytes(content));
        return key;
    }

    private boolean exists(String key) {
        try {
            s3.client().headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private static List<String> codes(ValidationResult result) {
        assertThat(result).isInstanceOf(ValidationResult.Invalid.class);
        return ((ValidationResult.Invalid) result)
                .violations().stream().map(Violation::code).toList();
    }

    @Test
    void promotesRealJpegKeepingTypeAndMetadata() {
        byte[] jpeg = Samples.jpeg(640, 480);
        String key = put("cat.jpg", "image/jpeg", jpeg);

        ValidationResult result = validator(
                        Validators.allowTypes("image/jpeg"),
                        Validators.fileSize(1, MIB),
                        Validators.declaredTypeMatches(),
                        Validators.noEmbeddedMarkup(),
                        Validators.imageDimensions().maxPixels(1_000_000).build())
                .build()
                .validateAndPromote(key);

        assertThat(result).isInstanceOf(ValidationResult.Valid.class);
        ValidationResult.Valid valid = (ValidationResult.Valid) result;
        assertThat(valid.key()).isEqualTo("files/id-1/cat.jpg");
        assertThat(valid.promoted()).isTrue();
        assertThat(valid.warnings()).isEmpty();
        assertThat(valid.upload().detectedType()).isEqualTo("image/jpeg");
        assertThat(valid.upload().size()).isEqualTo(jpeg.length);
        var promoted = s3.client().getObjectAsBytes(b -> b.bucket(bucket).key("files/id-1/cat.jpg"));
        assertThat(promoted.asByteArray()).isEqualTo(jpeg);
        assertThat(promoted.response().contentType()).isEqualTo("image/jpeg");
        assertThat(promoted.response().metadata()).containsEntry("owner", "42");
        PromotionFaultsIT.eventually("the original deleted after the answer", () -> !exists(key));
    }

    @Test
    void finalNamesChooseThePromotedKeyTheSameEveryTime() {
        String key = put("cat.jpg", "image/jpeg", Samples.jpeg(64, 48));
        UploadPromoter promoter = validator(Validators.allowTypes("image/jpeg"))
                .finalNames(name -> "by-name/" + name.substring(name.indexOf('/') + 1))
                .build();

        ValidationResult.Valid first = (ValidationResult.Valid) promoter.validateAndPromote(key);
        PromotionFaultsIT.eventually("the original deleted after the answer", () -> !exists(key));
        ValidationResult.Valid again = (ValidationResult.Valid) promoter.validateAndPromote(key);

        assertThat(promoter.finalKey(key)).isEqualTo("files/by-name/cat.jpg");
        assertThat(first.key()).isEqualTo("files/by-name/cat.jpg");
        assertThat(exists("files/by-name/cat.jpg")).isTrue();
        assertThat(again.key()).isEqualTo(first.key());
        assertThat(again.repeated()).isTrue();
        UploadPromoter nameless = validator().finalNames(name -> "").build();
        assertThatThrownBy(() -> nameless.finalKey(key))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("finalNames: gave no name");
    }

    @Test
    void validatesWhatABrowserPostedWithASignedPolicy() {
        PostSigner signer = PostSigner.builder()
                .credentialsProvider(s3.credentialsProvider())
                .region(s3.region())
                .endpoint(s3.endpoint())
                .unvalidatedPrefix(PREFIX)
                .build();
        var post = signer.sign(PostPolicyRequest.builder()
                .bucket(bucket)
                .key("photo.png")
                .randomize(true)
                .contentType("image/png")
                .build());
        byte[] png = Samples.png(20, 10);

        assertThat(BrowserPost.post(post.url(), post.fields(), "photo.png", "image/png", png)
                        .status())
                .isEqualTo(201);
        ValidationResult result =
                validator(Validators.allowTypes("image/png")).build().validateAndPromote(post.key());

        assertThat(((ValidationResult.Valid) result).key()).matches("files/[0-9a-f-]{36}/photo\\.png");
    }

    @Test
    void refusesHtmlUploadedAsJpegBySniffing() {
        String key = put("photo.jpg", "image/jpeg", Samples.html());

        ValidationResult result =
                validator(Validators.allowTypes("image/jpeg")).build().validateAndPromote(key);

        assertThat(codes(result)).containsExactly("type-active-content", "type-not-allowed");
        assertThat(result.upload().detectedType()).isEqualTo("text/html");
        assertThat(exists(key)).isTrue();
        assertThat(exists("files/id-1/photo.jpg")).isFalse();
    }

    @Test
    void refusesPngAgainstJpegOnlyRule() {
        String key = put("a.png", "image/png", Samples.png(4, 4));

        assertThat(codes(validator(Validators.allowTypes("image/jpeg")).build().validateAndPromote(key)))
                .containsExactly("type-not-allowed");
    }

    @Test
    void refusesOversizeAndUndersizeFiles() {
        String big = put("big.jpg", "image/jpeg", Samples.jpeg(400, 400));
        String small = put("small.txt", "text/plain", "x".getBytes(StandardCharsets.UTF_8));
        UploadPromoter validator = validator(Validators.fileSize(2, 1000)).build();

        assertThat(codes(validator.validateAndPromote(big))).containsExactly("file-too-large");
        assertThat(codes(validator.validateAndPromote(small))).containsExactly("file-too-small");
    }

    @Test
    void refusesDeniedTypesByListAndRegex() {
        String key = put("page.html", "text/html", Samples.html());

        assertThat(codes(validator(Validators.denyTypes("text/html", "application/x-php"))
                        .build()
                        .validateAndPromote(key)))
                .containsExactly("type-active-content", "type-denied");
        assertThat(codes(validator(Validators.denyTypes(Pattern.compile("text/.*")))
                        .build()
                        .validateAndPromote(key)))
                .containsExactly("type-active-content", "type-denied");
        assertThat(codes(validator(Validators.allowTypes(Pattern.compile("image/(png|jpeg)")))
                        .build()
                        .validateAndPromote(key)))
                .containsExactly("type-active-content", "type-not-allowed");
    }

    @Test
    void runsLambdaValidators() {
        String key = put("a.jpg", "image/jpeg", Samples.jpeg(8, 8));
        Validator ownerIs7 = upload -> "7".equals(upload.metadata().get("owner"))
                ? List.of()
                : List.of(new Violation(
                        "wrong-owner", "Owner is " + upload.metadata().get("owner")));

        ValidationResult result = validator(ownerIs7).build().validateAndPromote(key);

        assertThat(((ValidationResult.Invalid) result).violations())
                .containsExactly(new Violation("wrong-owner", "Owner is 42"));
    }

    @Test
    void reportsEveryViolationOfEveryValidator() {
        String key = put("photo.jpg", "image/jpeg", Samples.html());

        ValidationResult result = validator(
                        Validators.fileSize(1000, 2000),
                        Validators.allowTypes("image/*"),
                        Validators.declaredTypeMatches(),
                        upload -> List.of(new Violation("custom", "no")))
                .build()
                .validateAndPromote(key);

        assertThat(codes(result))
                .containsExactly(
                        "type-active-content", "file-too-small", "type-not-allowed", "type-mismatch", "custom");
    }

    @Test
    void refusesEmptyAndRandomFilesNamedJpg() {
        String empty = put("empty.jpg", "image/jpeg", new byte[0]);
        String random = put("random.jpg", "image/jpeg", Samples.random(5000));
        UploadPromoter validator = validator(Validators.allowTypes("image/*")).build();

        ValidationResult emptyResult = validator.validateAndPromote(empty);
        assertThat(codes(emptyResult)).containsExactly("type-not-allowed");
        assertThat(emptyResult.upload().size()).isZero();
        assertThat(emptyResult.upload().detectedType()).isEqualTo("application/octet-stream");
        assertThat(codes(validator.validateAndPromote(random))).containsExactly("type-not-allowed");
    }

    @Test
    void refusesTinyPngDeclaringGigapixels() {
        byte[] bomb = Samples.pngBomb();
        String key = put("bomb.png", "image/png", bomb);

        ValidationResult result = validator(
                        Validators.allowTypes("image/png"),
                        Validators.imageDimensions().maxPixels(50_000_000).build())
                .build()
                .validateAndPromote(key);

        assertThat(bomb.length).isLessThan(100);
        assertThat(codes(result)).containsExactly("image-too-many-pixels");
    }

    @Test
    void followsJpegSegmentsHeifBoxesAndTiffDirectoriesPastTheHeadToThePixelCap() {
        byte[] tile = Samples.ispe(512, 512); // in the head: all a head-only reader would see
        Map<String, byte[]> bombs = Map.of(
                "bomb.jpg", Samples.jpegBombBehindMetadata(2, 65_500), // 65500x65500 = 4.29 G pixels, 131 KB
                "grid.heic", Samples.heif(tile, Samples.free(100_000), Samples.ispe(65_500, 65_500)),
                "middle.tif", Samples.tiff(300_000, 100_000, 65_500, 65_500));
        Map<String, byte[]> ordinary = Map.of(
                "photo.heic", Samples.heif(tile, Samples.free(100_000), Samples.ispe(4032, 3024)),
                "scan.tif", Samples.tiff(300_000, 100_000, 2480, 3508));
        ByteCounter counter = new ByteCounter();
        try (S3Client counted = s3.clientBuilder()
                .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
                .build()) {
            UploadPromoter promoter = validator(Validators.allowTypes("image/*"), pixelCap())
                    .s3(counted)
                    .build();
            bombs.forEach((name, bomb) -> {
                counter.reset();
                assertThat(codes(promoter.validateAndPromote(put(name, null, bomb))))
                        .as(name)
                        .containsExactly("image-too-many-pixels");
                assertThat(counter.requests())
                        .as("head, tail, final HEAD, one small read")
                        .isEqualTo(4);
                assertThat(counter.bytes()).isLessThan(140 * 1024);
                assertThat(exists("files/id-1/" + name)).isFalse();
            });
            ordinary.forEach((name, image) -> assertThat(promoter.validateAndPromote(put(name, null, image)))
                    .as(name)
                    .isInstanceOf(ValidationResult.Valid.class));
        }
    }

    @Test
    void refusesAHeifWhoseExtentIsBeyondTheReadsAllowed() {
        byte[][] properties = new byte[42][];
        properties[0] = Samples.ispe(512, 512);
        properties[1] = Samples.free(70_000);
        for (int i = 2; i < 41; i++) {
            properties[i] = Samples.free(8192); // each past the head costs a read
        }
        properties[41] = Samples.ispe(65_500, 65_500);
        String key = put("deep.heic", null, Samples.heif(properties));

        ValidationResult result =
                validator(Validators.allowTypes("image/*"), pixelCap()).build().validateAndPromote(key);

        assertThat(codes(result)).containsExactly("image-unreadable");
    }

    @Test
    void refusesAJpegWhoseFrameHeaderIsBeyondTheReadsAllowedWhenReadableDimensionsAreRequired() {
        String key = put("deep.jpg", "image/jpeg", Samples.jpegBombBehindMetadata(40, 65_500));

        ValidationResult result = validator(Validators.allowTypes("image/jpeg"), pixelCap())
                .build()
                .validateAndPromote(key);

        assertThat(codes(result)).containsExactly("image-unreadable");
    }

    @Test
    void refusesJpegWithScriptBehindItsHeader() {
        String key = put("polyglot.jpg", "image/jpeg", Samples.jpegWithScript());

        ValidationResult result = validator(Validators.allowTypes("image/jpeg"), Validators.noEmbeddedMarkup())
                .build()
                .validateAndPromote(key);

        assertThat(codes(result)).containsExactly("embedded-markup");
    }

    @Test
    void deletesInvalidUploadsWhenConfigured() {
        String key = put("photo.jpg", "image/jpeg", Samples.html());

        ValidationResult result = validator(Validators.allowTypes("image/*"))
                .deleteInvalid(true)
                .build()
                .validateAndPromote(key);

        assertThat(((ValidationResult.Invalid) result).deleted()).isTrue();
        assertThat(exists(key)).isFalse();
    }

    @Test
    void readsUnder140KibOfA100MibObjectInTwoRangedGets() {
        String key = PREFIX + "id-1/huge.jpg";
        byte[] jpeg = Samples.jpeg(64, 64);
        long size = 100L * MIB;
        InputStream content = new SequenceInputStream(new ByteArrayInputStream(jpeg), zeros(size - jpeg.length));
        s3.client()
                .putObject(
                        b -> b.bucket(bucket).key(key).contentType("image/jpeg"),
                        RequestBody.fromInputStream(content, size));
        ByteCounter counter = new ByteCounter();
        try (S3Client counted = s3.clientBuilder()
                .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
                .build()) {
            ValidationResult result = UploadPromoter.builder()
                    .s3(counted)
                    .bucket(bucket)
                    .unvalidatedPrefix(PREFIX)
                    .validators(Validators.allowTypes("image/jpeg"), Validators.maxFileSize(200L * MIB))
                    .build()
                    .validateAndPromote(key);

            assertThat(result.isValid()).isTrue();
            assertThat(result.upload().size()).isEqualTo(size);
            assertThat(counter.bytes()).isLessThan(140 * 1024); // head and tail, 64 KiB each
            // 2 ranged GETs and the final key's HEAD together, then the copy; the delete follows the answer
            PromotionFaultsIT.eventually("the delete after the answer", () -> counter.requests() == 5);
            assertThat(counter.bytes()).isLessThan(140 * 1024);
        }
    }

    @Test
    void neverPromotesAnObjectOverwrittenAfterValidation() {
        String key = put("cat.jpg", "image/jpeg", Samples.jpeg(32, 32));
        UploadPromoter validator =
                validator(Validators.allowTypes("image/jpeg")).build();
        ValidationResult.Valid checked = (ValidationResult.Valid) validator.check(key);

        put("cat.jpg", "image/jpeg", Samples.html());

        assertThatThrownBy(() -> validator.promote(checked)).isInstanceOfSatisfying(PromotionException.class, e -> {
            assertThat(e.getMessage()).contains("changed or vanished after it was checked");
            assertThat(e.targetKey()).isEqualTo("files/id-1/cat.jpg");
        });
        assertThat(exists("files/id-1/cat.jpg")).isFalse();
        assertThat(exists(key)).isTrue();
    }

    @Test
    void keepsAValidFileWhenTheOriginalCannotBeDeleted() {
        String key = put("cat.jpg", "image/jpeg", Samples.jpeg(32, 32));
        // The store refuses deletes: the copy has happened, so the file must still be reported valid and promoted.
        ExecutionInterceptor refuseDeletes = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof DeleteObjectRequest) {
                    throw S3Exception.builder()
                            .statusCode(403)
                            .message("Access Denied (no s3:DeleteObject)")
                            .build();
                }
            }
        };
        try (S3Client noDeletes = s3.clientBuilder()
                .overrideConfiguration(o -> o.addExecutionInterceptor(refuseDeletes))
                .build()) {
            List<String> cleanup = new CopyOnWriteArrayList<>();
            ValidationResult result = UploadPromoter.builder()
                    .s3(noDeletes)
                    .bucket(bucket)
                    .unvalidatedPrefix(PREFIX)
                    .validatedPrefix("files/")
                    .validators(Validators.allowTypes("image/jpeg"))
                    .cleanupWarnings(cleanup::add)
                    .build()
                    .validateAndPromote(key);

            ValidationResult.Valid valid = (ValidationResult.Valid) result;
            assertThat(valid.promoted()).isTrue();
            PromotionFaultsIT.eventually("a warning about the delete", () -> !cleanup.isEmpty());
            assertThat(cleanup)
                    .singleElement()
                    .asString()
                    .contains("Promoted to files/id-1/cat.jpg", "could not be deleted");
            assertThat(exists("files/id-1/cat.jpg")).isTrue();
            assertThat(exists(key)).isTrue();
        }
    }

    @Test
    void answersTheSameFinalKeyWhenValidatedAgainAfterPromotion() {
        String key = put("cat.jpg", "image/jpeg", Samples.jpeg(32, 32));
        UploadPromoter validator =
                validator(Validators.allowTypes("image/jpeg")).build();
        ValidationResult.Valid first = (ValidationResult.Valid) validator.validateAndPromote(key);

        ValidationResult.Valid again = (ValidationResult.Valid) validator.validateAndPromote(key);

        assertThat(first.repeated()).isFalse();
        assertThat(again.repeated()).isTrue();
        assertThat(again.key()).isEqualTo(first.key()).isEqualTo("files/id-1/cat.jpg");
        assertThat(again.upload().size()).isEqualTo(first.upload().size());
        assertThat(again.upload().detectedType()).isEqualTo("image/jpeg");
        assertThatThrownBy(() -> validator.validateAndPromote(PREFIX + "never.jpg"))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessageContaining("never uploaded");
    }

    @Test
    void validatesOnlyTheUploadAnEventNamesByItsETag() {
        String key = put("cat.jpg", "image/jpeg", Samples.jpeg(32, 32));
        String older = s3.client().headObject(b -> b.bucket(bucket).key(key)).eTag();
        put("cat.jpg", "image/jpeg", Samples.jpeg(48, 48)); // a newer upload replaces it
        String newer = s3.client().headObject(b -> b.bucket(bucket).key(key)).eTag();
        UploadPromoter validator =
                validator(Validators.allowTypes("image/jpeg")).build();

        assertThatThrownBy(() -> validator.validateAndPromote(key, older.replace("\"", "")))
                .isInstanceOf(PromotionException.class)
                .hasMessageContaining("later upload");
        assertThat(exists(key)).isTrue();
        assertThat(exists("files/id-1/cat.jpg")).isFalse();

        ValidationResult.Valid valid =
                (ValidationResult.Valid) validator.validateAndPromote(key, newer.replace("\"", ""));
        assertThat(valid.repeated()).isFalse();
        assertThat(valid.upload().eTag()).isEqualTo(newer);
        ValidationResult.Valid again = (ValidationResult.Valid) validator.validateAndPromote(key, newer);
        assertThat(again.repeated()).isTrue();
    }

    @Test
    void promotesAPngNamedJpgServedAsPngKeepingMetadata() {
        byte[] png = Samples.png(20, 10);
        String key = put("photo.jpg", "image/jpeg", png);

        ValidationResult.Valid valid = (ValidationResult.Valid)
                validator(Validators.allowTypes("image/*")).build().validateAndPromote(key);

        assertThat(valid.typeCorrected()).isTrue();
        assertThat(valid.contentType()).isEqualTo("image/png");
        var promoted = s3.client().headObject(b -> b.bucket(bucket).key("files/id-1/photo.jpg"));
        assertThat(promoted.contentType()).isEqualTo("image/png");
        assertThat(promoted.metadata()).containsEntry("owner", "42");
    }

    @Test
    void refusesMarkupAppendedAfterTheFirst64Kib() {
        byte[] jpeg = Samples.jpeg(32, 32);
        byte[] padded = Arrays.copyOf(jpeg, 300 * 1024);
        byte[] payload = "<svg onload=alert(1)>".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(payload, 0, padded, padded.length - 1000, payload.length);
        String key = put("cat.jpg", "image/jpeg", padded);

        ValidationResult result = validator(Validators.allowTypes("image/jpeg"), Validators.noEmbeddedMarkup())
                .build()
                .validateAndPromote(key);

        assertThat(codes(result)).containsExactly("embedded-markup");
    }

    @Test
    void fullScanFindsMarkupInTheMiddleThatHeadAndTailMiss() {
        byte[] padded = Arrays.copyOf(Samples.jpeg(32, 32), 3 * MIB);
        byte[] payload = "<script>alert(1)</script>".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(payload, 0, padded, MIB - 10, payload.length); // across the first window's edge
        String key = put("cat.jpg", "image/jpeg", padded);
        String clean = PREFIX + "id-2/clean.jpg";
        s3.client()
                .putObject(
                        b -> b.bucket(bucket).key(clean).contentType("image/jpeg"),
                        RequestBody.fromBytes(Arrays.copyOf(Samples.jpeg(32, 32), 3 * MIB)));
        ByteCounter counter = new ByteCounter();
        try (S3Client counted = s3.clientBuilder()
                .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
                .build()) {
            UploadPromoter.Builder builder = UploadPromoter.builder()
                    .s3(counted)
                    .bucket(bucket)
                    .unvalidatedPrefix(PREFIX)
                    .validators(Validators.noEmbeddedMarkup());

            assertThat(builder.build().check(key).isValid()).isTrue(); // head and tail only
            assertThat(codes(builder.fullScan(4 * MIB).build().check(key))).containsExactly("embedded-markup");
            assertThat(codes(builder.fullScan(2 * MIB).build().check(key))).containsExactly("too-large-to-scan");
            counter.reset();
            assertThat(builder.fullScan(4 * MIB).build().check(clean).isValid()).isTrue();
            assertThat(counter.requests()).isEqualTo(3); // head, tail, whole
            assertThat(counter.bytes()).isGreaterThan(3L * MIB);
        }
    }

    @Test
    void refusesActiveContentWithoutAnAllowList() {
        String key = put("page.jpg", "image/jpeg", Samples.html());

        assertThat(codes(validator().build().validateAndPromote(key))).containsExactly("type-active-content");
        assertThat(validator()
                        .allowActiveContent(true)
                        .build()
                        .validateAndPromote(key)
                        .isValid())
                .isTrue();
    }

    @Test
    void refusesKeysOutsideTheUnvalidatedPrefix() {
        UploadPromoter validator =
                validator(Validators.allowTypes("image/jpeg")).build();

        assertThatThrownBy(() -> validator.validateAndPromote("files/secret.pdf"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not under the unvalidated prefix");
        assertThatThrownBy(() -> validator.validateAndPromote(PREFIX + "../files/secret.pdf"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'..' segment");
    }

    private static InputStream zeros(long n) {
        return new InputStream() {
            private long left = n;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int count = (int) Math.min(len, left);
                Arrays.fill(b, off, off + count, (byte) 0);
                left -= count;
                return count;
            }
        };
    }
}
