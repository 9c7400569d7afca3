package dev.pontus.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class S3OperationTest {
    private static final Map<String, String> NONE = Map.of();

    @Test
    void tellsOperationsFromMethodQueryAndHeaders() {
        assertThat(S3Operation.of("GET", "/b/k", NONE)).isEqualTo(S3Operation.GET);
        assertThat(S3Operation.of("GET", "/b/k", Map.of("range", "bytes=0-1"))).isEqualTo(S3Operation.RANGED_GET);
        assertThat(S3Operation.of("HEAD", "/b/k", NONE)).isEqualTo(S3Operation.HEAD);
        assertThat(S3Operation.of("PUT", "/b/k", NONE)).isEqualTo(S3Operation.PUT);
        assertThat(S3Operation.of("PUT", "/b/k", Map.of("x-amz-copy-source", "b/s")))
                .isEqualTo(S3Operation.COPY);
        assertThat(S3Operation.of("PUT", "/b/k?partNumber=1&uploadId=u", NONE)).isEqualTo(S3Operation.UPLOAD_PART);
        assertThat(S3Operation.of("PUT", "/b/k?partNumber=1&uploadId=u", Map.of("x-amz-copy-source", "b/s")))
                .isEqualTo(S3Operation.UPLOAD_PART_COPY);
        assertThat(S3Operation.of("POST", "/b/k?uploads", NONE)).isEqualTo(S3Operation.CREATE_MULTIPART);
        assertThat(S3Operation.of("POST", "/b/k?uploadId=u", NONE)).isEqualTo(S3Operation.COMPLETE_MULTIPART);
        assertThat(S3Operation.of("DELETE", "/b/k?uploadId=u", NONE)).isEqualTo(S3Operation.ABORT_MULTIPART);
        assertThat(S3Operation.of("GET", "/b/k?uploadId=u", NONE)).isEqualTo(S3Operation.LIST_PARTS);
        assertThat(S3Operation.of("GET", "/b?uploads", NONE)).isEqualTo(S3Operation.LIST_MULTIPART_UPLOADS);
        assertThat(S3Operation.of("GET", "/b?list-type=2", NONE)).isEqualTo(S3Operation.LIST_OBJECTS);
        assertThat(S3Operation.of("DELETE", "/b/k", NONE)).isEqualTo(S3Operation.DELETE);
        assertThat(S3Operation.of("POST", "/b/", NONE)).isEqualTo(S3Operation.POST_OBJECT);
        assertThat(S3Operation.of("POST", "/b?delete", NONE)).isEqualTo(S3Operation.OTHER);
    }
}
