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
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalS3Extension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalS3.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    /** The run's shared server, started on first use. */
    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: the form JUnit 5 before 5.13 has too
    public static LocalS3 server(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(Stopper.class, type -> new Stopper(LocalS3.shared()), Stopper.class)
                .s3;
    }

    /**
     * Stops the server when the run's root store closes. It is both kinds of closeable so that JUnit 5.x before
     * 5.13 (CloseableResource) and later versions (AutoCloseable) close it once; {@link LocalS3#close} is
     * idempotent anyway. The deprecated names keep the kit usable by projects still on JUnit 5.
     */
    @SuppressWarnings("deprecation")
    private static final class Stopper implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final LocalS3 s3;

        Stopper(LocalS3 s3) {
            this.s3 = s3;
        }

        @Override
        public void close() {
            s3.close();
        }
    }
}
