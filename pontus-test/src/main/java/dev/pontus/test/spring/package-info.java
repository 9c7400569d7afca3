/**
 * Spring test wiring for the test kit: {@link dev.pontus.test.spring.AutoConfigureLocalS3} gives a
 * {@code @SpringBootTest} a local S3 with a fresh bucket. Needs {@code spring-test} on the test class path (it is an
 * optional dependency of the test kit); the rest of the test kit knows nothing of Spring.
 */
package dev.pontus.test.spring;
