package dev.pontus.test;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;

/** One request on its way through a {@link FaultProxy}; the operations faults are made of. */
final class Exchange {
    private final FaultProxy proxy;
    private final Socket client;
    private final InputStream fromClient;
    private final OutputStream toClient;
    private final RequestHead head;

    private Exchange(FaultProxy proxy, Socket client, InputStream fromClient, RequestHead head) throws IOException {
        this.proxy = proxy;
        this.client = client;
        this.fromClient = fromClient;
        this.toClient = client.getOutputStream();
        this.head = head;
    }

    /** Reads the request's head from {@code client}; null when the client sent nothing. */
    static Exchange read(FaultProxy proxy, Socket client) throws IOException {
        InputStream in = new BufferedInputStream(client.getInputStream());
        RequestHead head = RequestHead.read(in);
        return head == null ? null : new Exchange(proxy, client, in, head);
    }

    S3Operation operation() {
        return head.operation();
    }

    /** Passes the request to the store and its answer back, unchanged. */
    void forward() throws IOException {
        try (Socket upstream = upstream()) {
            upstream.getInputStream().transferTo(toClient);
            toClient.flush();
        }
    }

    /** Passes on {@code keep} bytes of the answer's body: with Content-Length adjusted, or cut short. */
    void forwardTruncated(int keep, boolean adjustLength) throws IOException {
        try (Socket upstream = upstream()) {
            InputStream fromStore = new BufferedInputStream(upstream.getInputStream());
            byte[] answer = RequestHead.readAnswerHead(fromStore, toClient);
            if (answer == null) {
                return;
            }
            byte[] body = fromStore.readNBytes(keep);
            String responseHead = new String(answer, ISO_8859_1);
            if (adjustLength) {
                responseHead = responseHead.replaceAll("(?im)^Content-Length:.*$", "Content-Length: " + body.length);
            }
            toClient.write(responseHead.getBytes(ISO_8859_1));
            toClient.write(body);
            toClient.flush();
            if (!adjustLength) {
                reset();
            }
        }
    }

    /** Answers {@code status} with an S3 error document, without asking the store. */
    void answerError(int status, String code) throws IOException {
        drainBody();
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                        + "Injected by FaultProxy</Message><RequestId>FAULTPROXY</RequestId></Error>")
                .getBytes(UTF_8);
        String answer = "HTTP/1.1 " + status + " " + (status == 200 ? "OK" : "Fault") + "\r\n"
                + "Content-Type: application/xml\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "x-amz-request-id: FAULTPROXY\r\n"
                + "Connection: close\r\n\r\n";
        toClient.write(answer.getBytes(ISO_8859_1));
        if (!head.method().equals("HEAD")) {
            toClient.write(body);
        }
        toClient.flush();
    }

    void reset() throws IOException {
        client.setSoLinger(true, 0);
        client.close();
    }

    /** Holds the connection, answering nothing, until the client or the proxy closes it. */
    void hang() throws IOException {
        try {
            while (fromClient.read() >= 0) {
                // discard whatever the client still sends
            }
        } catch (SocketException closed) {
            // the client gave up, or the proxy closed
        }
    }

    void sleep(Duration delay) throws IOException {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Overwrites the object this request reads: the copy source for a copy, else the request's own key. */
    void replaceObject(byte[] content) {
        String[] bucketAndKey =
                S3EventFeed.pathBucketAndKey(head.headers().getOrDefault("x-amz-copy-source", head.target()));
        proxy.replace(bucketAndKey[0], bucketAndKey[1], content);
    }

    /** A connection to the store with the request's head sent, and its body being copied on. */
    private Socket upstream() throws IOException {
        Socket upstream = proxy.connectUpstream(operation());
        upstream.getOutputStream().write(head.forwardBytes());
        upstream.getOutputStream().flush();
        proxy.execute(() -> {
            try {
                fromClient.transferTo(upstream.getOutputStream()); // the request body, if any
            } catch (IOException ignored) {
                // one side closed: the exchange is over
            }
        });
        return upstream;
    }

    /** Reads and drops a request body of known length, so that the client reads the answer, not a reset. */
    private void drainBody() throws IOException {
        String length = head.headers().get("content-length");
        if (length != null && !"100-continue".equalsIgnoreCase(head.headers().get("expect"))) {
            fromClient.skipNBytes(Long.parseLong(length));
        }
    }
}
