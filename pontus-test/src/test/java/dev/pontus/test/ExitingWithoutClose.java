package dev.pontus.test;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * Run by {@link LocalS3IT} in a JVM of its own: starts two servers, prints how many shutdown hooks that added to the
 * JVM's table (read with {@code --add-opens java.base/java.lang}) and each server's endpoint and secret, then exits
 * without closing them.
 */
final class ExitingWithoutClose {
    private ExitingWithoutClose() {}

    public static void main(String[] args) throws Exception {
        int before = shutdownHooks();
        LocalS3 first = LocalS3.builder().build().start();
        LocalS3 second = LocalS3.builder().build().start();
        System.out.println("hooks added: " + (shutdownHooks() - before));
        for (LocalS3 s3 : new LocalS3[] {first, second}) {
            System.out.println("server " + s3.endpoint() + " " + s3.secretKey());
        }
    }

    /** The size of the JDK's own table of application shutdown hooks. */
    private static int shutdownHooks() throws ReflectiveOperationException {
        Field hooks = Class.forName("java.lang.ApplicationShutdownHooks").getDeclaredField("hooks");
        hooks.setAccessible(true);
        synchronized (Class.forName("java.lang.ApplicationShutdownHooks")) {
            return ((Map<?, ?>) hooks.get(null)).size();
        }
    }
}
