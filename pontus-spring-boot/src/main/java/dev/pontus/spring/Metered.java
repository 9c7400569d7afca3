package dev.pontus.spring;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The operation an endpoint method's outcomes, failures included, are counted under. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface Metered {
    UploadMetrics.Operation value();
}
