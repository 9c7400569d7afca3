package dev.pontus.test;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class RequestHeadTest {
    @Test
    void readsTheRequestLineAndHeadersWithNamesInLowerCase() throws IOException {
        RequestHead head = read("GET /bucket/a.txt?partNumber=2 HTTP/1.1\r\nHost: s3\r\nRange: bytes=0-9\r\n"
                + "X-Amz-Date: 20260101T000000Z\r\n\r\nbody");

        assertThat(head.method()).isEqualTo("GET");
        assertThat(head.target()).isEqualTo("/bucket/a.txt?partNumber=2");
        assertThat(head.headers())
                .containsEntry("host", "s3")
                .containsEntry("range", "bytes=0-9")
                .containsEntry("x-amz-date", "20260101T000000Z");
        assertThat(head.operation()).isEqualTo(S3Operation.RANGED_GET);
    }

    @Test
    void forwardsTheSameHeadersButAsksForOneRequestPerConnection() throws IOException {
        RequestHead head = read("PUT /b/k HTTP/1.1\r\nHost: s3\r\nConnection: keep-alive\r\nKeep-Alive: 5\r\n"
                + "Content-Length: 3\r\n\r\n");

        assertThat(new String(head.forwardBytes(), ISO_8859_1))
                .isEqualTo("PUT /b/k HTTP/1.1\r\nHost: s3\r\nContent-Length: 3\r\nConnection: close\r\n\r\n");
        assertThat(head.headers()).containsEntry("connection", "keep-alive");
    }

    @Test
    void dropsLinesThatAreNoHeadersAndTakesATargetlessLineAsTheRoot() throws IOException {
        RequestHead head = read("GET\r\nnot a header\r\n: empty name\r\nHost:s3\r\n\r\n");

        assertThat(head.target()).isEqualTo("/");
        assertThat(head.headers()).containsOnlyKeys("host");
    }

    @Test
    void aClientThatSendsNothingOrStopsMidHeadHasNoRequest() throws IOException {
        assertThat(read("")).isNull();
        assertThat(read("GET / HTTP/1.1\r\nHost: s3\r\n")).isNull();
    }

    @Test
    void aHeadLongerThanAnyS3ClientSendsIsRefused() {
        String huge = "GET / HTTP/1.1\r\nX-Pad: " + "a".repeat(RequestHead.MAX_HEAD) + "\r\n\r\n";

        assertThatThrownBy(() -> read(huge)).isInstanceOf(IOException.class).hasMessageContaining("longer than");
    }

    @Test
    void readsOnlyTheHeadLeavingTheBodyInTheStream() throws IOException {
        InputStream in = new ByteArrayInputStream("PUT /b/k HTTP/1.1\r\n\r\nhello".getBytes(ISO_8859_1));

        RequestHead.read(in);

        assertThat(new String(in.readAllBytes(), ISO_8859_1)).isEqualTo("hello");
    }

    private static RequestHead read(String head) throws IOException {
        return RequestHead.read(new ByteArrayInputStream(head.getBytes(ISO_8859_1)));
    }
}
