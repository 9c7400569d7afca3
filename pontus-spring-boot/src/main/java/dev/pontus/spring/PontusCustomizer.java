package dev.pontus.spring;

/**
 * Changes one setting of a builder the auto-configuration uses, without replacing its bean: declare a bean of
 * {@code PontusCustomizer<PostSigner.Builder>}, {@code PontusCustomizer<UploadPromoter.Builder>},
 * {@code PontusCustomizer<MultipartUploads.Builder>}, {@code PontusCustomizer<S3ClientBuilder>} or
 * {@code PontusCustomizer<S3Presigner.Builder>} (the last two only where Pontus builds the client). They run in
 * {@link org.springframework.core.annotation.Order} after the {@code pontus.*} properties are applied.
 *
 * <pre>{@code
 * @Bean
 * PontusCustomizer<UploadPromoter.Builder> scanWhole() {
 *     return builder -> builder.fullScan(50_000_000);
 * }
 * }</pre>
 *
 * @param <B> the builder type
 */
@FunctionalInterface
public interface PontusCustomizer<B> {
    void customize(B builder);
}
