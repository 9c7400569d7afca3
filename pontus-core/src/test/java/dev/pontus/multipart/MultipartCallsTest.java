package dev.pontus.multipart;

import static dev.pontus.S3Refusals.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pontus.StorageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/** How multipart calls page through listings and translate errors, against a store scripted in this process. */
class MultipartCallsTest {
    private final List<ListMultipartUploadsRequest> asked = new ArrayList<>();

    private MultipartCalls calls(Function<ListMultipartUploadsRequest, ListMultipartUploadsResponse> pages) {
        S3Client s3 = new S3Client() {
            @Override
            public ListMultipartUploadsResponse listMultipartUploads(ListMultipartUploadsRequest request) {
                asked.add(request);
                return pages.apply(request);
            }

            @Override
            public String serviceName() {
                return "s3";
            }

            @Override
            public void close() {}
        };
        return new MultipartCalls(s3, "bucket", Duration.ofSeconds(1));
    }

    private static ListMultipartUploadsResponse page(boolean truncated, String nextKey, String nextId, String... keys) {
        return ListMultipartUploadsResponse.builder()
                .uploads(Arrays.stream(keys)
                        .map(k -> MultipartUpload.builder()
                                .key(k)
                                .uploadId("id-" + k)
                                .build())
                        .toList())
                .isTruncated(truncated)
                .nextKeyMarker(nextKey)
                .nextUploadIdMarker(nextId)
                .build();
    }

    @Test
    void visitsEveryPageThenStops() {
        List<String> seen = new ArrayList<>();
        calls(request -> request.keyMarker() == null
                        ? page(true, "u/b", "id-u/b", "u/a", "u/b")
                        : page(false, null, null, "u/c"))
                .eachUpload("u/", upload -> seen.add(upload.key()));

        assertThat(seen).containsExactly("u/a", "u/b", "u/c");
        assertThat(asked).extracting(ListMultipartUploadsRequest::keyMarker).containsExactly(null, "u/b");
        assertThat(asked).extracting(ListMultipartUploadsRequest::prefix).containsOnly("u/");
    }

    @Test
    void aStoreThatRepeatsAPageOrGivesNoMarkerEndsTheListingInsteadOfLooping() {
        calls(request -> page(true, "u/a", "id-u/a", "u/a")).eachUpload("u/", upload -> true);
        assertThat(asked).hasSize(2); // the first page, then the same marker again

        asked.clear();
        calls(request -> page(true, null, null, "u/a")).eachUpload("u/", upload -> true);
        assertThat(asked).hasSize(1);
    }

    @Test
    void theVisitorStopsTheListing() {
        List<String> seen = new ArrayList<>();
        calls(request -> page(true, "u/z", "id-u/z", "u/a", "u/b")).eachUpload("u/", upload -> {
            seen.add(upload.key());
            return false;
        });

        assertThat(seen).containsExactly("u/a");
        assertThat(asked).hasSize(1);
    }

    @Test
    void noSuchUploadIsAMultipartRefusalAndOtherErrorsAStorageFailure() {
        MultipartCalls calls = calls(request -> null);

        assertThatThrownBy(() -> calls.call("Listing", () -> {
                    throw refusal(404, "NoSuchUpload");
                }))
                .isInstanceOfSatisfying(
                        MultipartException.class, e -> assertThat(e.code()).isEqualTo("no-such-upload"));
        assertThatThrownBy(() -> calls.call("Listing", () -> {
                    throw refusal(500, "InternalError");
                }))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("Listing");
    }
}
