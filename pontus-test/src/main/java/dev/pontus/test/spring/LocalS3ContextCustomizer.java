package dev.pontus.test.spring;

import dev.pontus.test.LocalS3;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points a test's application context at the shared {@link LocalS3} and a bucket made for that context. All
 * instances are equal, so Spring's test context cache shares one context (and bucket) between test classes that
 * are otherwise configured alike.
 */
final class LocalS3ContextCustomizer implements ContextCustomizer {
    static final String PROPERTY_SOURCE = "pontusLocalS3";

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
        LocalS3 s3 = LocalS3.shared();
        String bucket = s3.newBucket();
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource(PROPERTY_SOURCE, store(s3, bucket)));
        context.getBeanFactory().registerSingleton("localS3", s3);
    }

    /** The store settings for the starter, and for Spring Cloud AWS's clients when the app has them. */
    static Map<String, Object> store(LocalS3 s3, String bucket) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("pontus.bucket", bucket);
        settings.put("pontus.endpoint", s3.endpoint().toString());
        settings.put("pontus.path-style-access", "true");
        settings.put("pontus.region", s3.region().id());
        settings.put("pontus.access-key", s3.accessKey());
        settings.put("pontus.secret-key", s3.secretKey());
        settings.put("spring.cloud.aws.s3.endpoint", s3.endpoint().toString());
        settings.put("spring.cloud.aws.s3.path-style-access-enabled", "true");
        settings.put("spring.cloud.aws.region.static", s3.region().id());
        settings.put("spring.cloud.aws.credentials.access-key", s3.accessKey());
        settings.put("spring.cloud.aws.credentials.secret-key", s3.secretKey());
        return settings;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LocalS3ContextCustomizer;
    }

    @Override
    public int hashCode() {
        return LocalS3ContextCustomizer.class.hashCode();
    }
}
