package dev.pontus.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/** Counts the object bytes the audit reads (GetObject bodies; listings are not counted), for progress and summary. */
final class ReadCounter implements ExecutionInterceptor {
    private final LongAdder bytes = new LongAdder();
    private final LongAdder gets = new LongAdder();

    long bytes() {
        return bytes.sum();
    }

    long gets() {
        return gets.sum();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(
            Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (!(context.request() instanceof GetObjectRequest)) {
            return context.responseBody();
        }
        gets.increment();
        return context.responseBody().map(body -> new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bytes.increment();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    bytes.add(n);
                }
                return n;
            }
        });
    }
}
