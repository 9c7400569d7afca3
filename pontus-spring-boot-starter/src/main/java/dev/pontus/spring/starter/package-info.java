/**
 * The Pontus Spring Boot starter: one dependency that brings {@code pontus-spring-boot} (the auto-configuration and
 * the endpoints), {@code pontus-core}, Spring MVC and the AWS SDK's S3 client. It has no code of its own; see
 * {@code dev.pontus.spring.PontusAutoConfiguration}.
 */
package dev.pontus.spring.starter;
