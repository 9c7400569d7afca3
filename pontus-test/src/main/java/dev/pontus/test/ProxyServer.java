package dev.pontus.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The listening side of the test kit's proxies ({@link FaultProxy}, {@link ObservingProxy}): a free loopback port,
 * each connection handled on a daemon thread of its own, and every socket closed with the server.
 */
final class ProxyServer implements AutoCloseable {
    /** What a proxy does with one client connection; the server closes it afterwards. */
    interface Handler {
        void handle(Socket client) throws IOException;
    }

    private final String name;
    private final Handler handler;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads;
    private volatile boolean closed;

    ProxyServer(String name, Handler handler) throws IOException {
        this.name = name;
        this.handler = handler;
        this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        this.threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        threads.execute(this::accept);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Closes {@code socket} with the server, unless {@link #forget forgotten} first. */
    Socket track(Socket socket) {
        open.add(socket);
        return socket;
    }

    void forget(Socket socket) {
        open.remove(socket);
    }

    /** Runs {@code task} on the server's threads, which stop when it closes. */
    void execute(Runnable task) {
        threads.execute(task);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(ProxyServer::closeQuietly);
        threads.shutdownNow();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = track(server.accept());
                threads.execute(() -> handle(client));
            } catch (IOException e) {
                if (!closed) {
                    System.getLogger(name).log(System.Logger.Level.WARNING, "accept failed", e);
                }
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            handler.handle(client);
        } catch (IOException e) {
            // the client or the store went away: nothing more to pass on
        } finally {
            forget(client);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
