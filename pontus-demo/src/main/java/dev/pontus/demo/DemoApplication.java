package dev.pontus.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * The Pontus demo: a page that uploads files from the browser straight to S3 (an embedded S3Proxy unless
 * pointed at a real store), then validates and promotes them through the starter's endpoints, or, with
 * {@code demo.events=true}, from S3's event notifications through SQS without the page asking.
 */
@SpringBootApplication
public class DemoApplication {
    private static final Logger log = LoggerFactory.getLogger(DemoApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }

    /**
     * {@code demo.events=true} on another store needs the queue its events go to; with the embedded S3 the demo
     * runs its own ({@link DemoEventsEnvironment}).
     */
    @Bean
    static Object demoEventsQueueCheck(Environment env) {
        if (env.getProperty("demo.events", Boolean.class, false) && !env.containsProperty("pontus.events.queue-url")) {
            throw new InvalidConfigurationPropertyValueException(
                    "demo.events",
                    "true",
                    "uploads are then validated from S3's event notifications: set --pontus.events.queue-url=<the"
                            + " SQS queue the bucket notifies> (and --pontus.events.endpoint=<its endpoint> for a store"
                            + " other than AWS), or use the embedded S3, which brings its own queue");
        }
        return "checked";
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        Environment env = event.getApplicationContext().getEnvironment();
        String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        log.info("Pontus demo is running: open http://localhost:{}/ (Ctrl+C to stop)", port);
    }
}
