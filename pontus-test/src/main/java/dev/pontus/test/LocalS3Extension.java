package dev.pontus.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests a running {@link LocalS3}. One server serves every test class of a run and stops when the run
 * ends; if it cannot start, every test that asks for it fails with the reason (it never skips).
 *
 * <pre>{@code
 * @ExtendWith(LocalS3Extension.class)
 * class UploadIT {
 *     @Test
 *     void storesUpload(LocalS3 s3) {
 *         String bucket = s3.newBucket();
 *         ...
 *     }
 * }
 * }</pre>
 */
public final class LocalS3Extension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalS3Extension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalS3.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    /** The run's shared server, started on first use. */
    public static LocalS3 server(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(LocalS3.class, type -> LocalS3.shared(), LocalS3.class);
    }
}
