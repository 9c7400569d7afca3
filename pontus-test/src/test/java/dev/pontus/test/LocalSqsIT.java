package dev.pontus.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class LocalSqsIT {
    @Test
    void startsOnAChosenPortWithPredictableQueueUrlsAndStops() {
        int port = LocalSqs.freePort();
        LocalSqs sqs = LocalSqs.start(port);
        try {
            String url = sqs.createQueue("orders", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1"));
            assertThat(url)
                    .isEqualTo("http://127.0.0.1:" + port + "/000000000000/orders")
                    .isEqualTo(sqs.queueUrl("orders"));

            sqs.client().sendMessage(b -> b.queueUrl(url).messageBody("{\"a\":1}"));
            Message first = sqs.client()
                    .receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2))
                    .messages()
                    .get(0);
            assertThat(first.body()).isEqualTo("{\"a\":1}");
            // not deleted: back after the 1 s visibility timeout, as on SQS
            Message again = sqs.client()
                    .receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(3))
                    .messages()
                    .get(0);
            assertThat(again.messageId()).isEqualTo(first.messageId());
        } finally {
            sqs.close();
        }
        assertThat(sqs.isRunning()).isFalse();
    }
}
