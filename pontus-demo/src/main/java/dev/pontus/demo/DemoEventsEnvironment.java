package dev.pontus.demo;

import dev.pontus.test.LocalSqs;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With {@code demo.events=true} and the embedded S3, the queue the consumer reads is the demo's own local SQS: its
 * URL must be known when the properties are bound, before any bean starts, so a free port is chosen here and the
 * local SQS is started on it later ({@link EmbeddedS3Configuration}). Properties given by the user win.
 */
class DemoEventsEnvironment implements EnvironmentPostProcessor {
    static final String QUEUE = "pontus-demo-events";
    static final String PORT_PROPERTY = "demo.events.local-sqs-port";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!env.getProperty("demo.events", Boolean.class, false)
                || !EmbeddedS3Configuration.Wanted.embedded(env)
                || env.containsProperty("pontus.events.queue-url")) {
            return;
        }
        int port = LocalSqs.freePort();
        String endpoint = "http://127.0.0.1:" + port;
        env.getPropertySources()
                .addLast(new MapPropertySource(
                        "demoEvents",
                        Map.of(
                                PORT_PROPERTY,
                                port,
                                "pontus.events.endpoint",
                                endpoint,
                                "pontus.events.queue-url",
                                endpoint + "/000000000000/" + QUEUE)));
    }
}
