package dev.pontus.test.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a {@code @SpringBootTest} a running {@link dev.pontus.test.LocalS3} (S3Proxy, shared by the whole test run),
 * a fresh bucket and its credentials, wired to the Pontus starter with no properties or beans of the test's own: it
 * sets {@code pontus.endpoint}, {@code pontus.path-style-access}, {@code pontus.region}, {@code pontus.bucket},
 * {@code pontus.access-key} and {@code pontus.secret-key} (and Spring Cloud AWS's {@code spring.cloud.aws.*} store
 * settings, when the app uses it), above every other property source. The {@code LocalS3} is a bean, to look into
 * the bucket; the bucket's name is {@code ${pontus.bucket}}. One bucket per application context: test classes that
 * share a cached context share it.
 *
 * <pre>{@code
 * @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
 * @AutoConfigureLocalS3
 * class UploadFlowIT {
 *     @Autowired LocalS3 s3;
 *     @Value("${pontus.bucket}") String bucket;
 *     ...
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureLocalS3 {}
