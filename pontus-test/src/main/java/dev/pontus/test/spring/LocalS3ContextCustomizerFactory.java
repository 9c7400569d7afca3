package dev.pontus.test.spring;

import java.util.List;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/** Spring's test framework finds this in {@code META-INF/spring.factories}; it acts on {@link AutoConfigureLocalS3}. */
class LocalS3ContextCustomizerFactory implements ContextCustomizerFactory {
    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigureLocalS3.class)
                ? new LocalS3ContextCustomizer()
                : null;
    }
}
