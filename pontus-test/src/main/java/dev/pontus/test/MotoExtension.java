package dev.pontus.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests a running {@link Moto}. One server serves every test class of a run and stops when the run ends; if
 * {@code moto_server} is missing or cannot start, every test that asks for it fails and says what to install (it
 * never skips).
 *
 * <pre>{@code
 * @ExtendWith(MotoExtension.class)
 * class EventFlowIT {
 *     @Test
 *     void promotesOnEvent(Moto moto) {
 *         String bucket = Moto.newName("bucket");
 *         ...
 *     }
 * }
 * }</pre>
 */
public final class MotoExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MotoExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Moto.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    /** The run's shared server, started on first use. */
    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: the form JUnit 5 before 5.13 has too
    public static Moto server(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(Stopper.class, type -> new Stopper(Moto.shared()), Stopper.class)
                .moto;
    }

    /** Stops the server when the run's root store closes (both closeable kinds, as in {@link LocalS3Extension}). */
    @SuppressWarnings("deprecation")
    private static final class Stopper implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final Moto moto;

        Stopper(Moto moto) {
            this.moto = moto;
        }

        @Override
        public void close() {
            moto.close();
        }
    }
}
