package dev.pontus.spring;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.coyote.AbstractProcessor;
import org.apache.coyote.Constants;
import org.apache.coyote.Processor;
import org.apache.coyote.Request;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's HTTP/1.1 connector with a deadline for receiving each request. Tomcat times each read of a request, so a
 * client that sends a byte a second keeps its connection for ever, and while it trickles a body (or the rest of one
 * the app did not read), a thread too. Here a request whose headers and body have not all arrived {@code
 * requestDeadline} after its first byte has its connection closed; a watchdog checks every second. A request that has
 * arrived may take as long as it needs, and so may its answer (a download to a slow network).
 *
 * <p>The starter puts it in place of Tomcat's own when {@code pontus.web.request-deadline} is set (the demo sets 10s).
 * Without Spring Boot: {@code factory.setProtocol(SlowClientProtocol.class.getName())}, then
 * {@link #setRequestDeadline} on the connector's protocol handler.
 */
public class SlowClientProtocol extends Http11NioProtocol {
    private static final Logger log = LoggerFactory.getLogger(SlowClientProtocol.class);

    /** Requests inside Tomcat's processing (their body is read on a worker thread), with their connection. */
    private final Map<Processor, SocketWrapperBase<?>> serving = new ConcurrentHashMap<>();

    private volatile Duration requestDeadline = Duration.ofSeconds(10);
    private ScheduledExecutorService watchdog;

    public void setRequestDeadline(Duration deadline) {
        this.requestDeadline = checkDeadline(deadline);
    }

    static Duration checkDeadline(Duration deadline) {
        if (deadline == null || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("requestDeadline: " + deadline + " is not a positive duration; give"
                    + " the longest a client may take to send a request, such as 10s");
        }
        return deadline;
    }

    @Override
    protected Processor createProcessor() {
        return new Http11Processor(this, getAdapter()) {
            @Override
            public SocketState service(SocketWrapperBase<?> socket) throws IOException {
                serving.put(this, socket);
                try {
                    return super.service(socket);
                } finally {
                    serving.remove(this);
                }
            }
        };
    }

    @Override
    public void start() throws Exception {
        super.start();
        watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "slow-clients");
            thread.setDaemon(true);
            return thread;
        });
        watchdog.scheduleWithFixedDelay(this::cutSlowClients, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() throws Exception {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        super.stop();
    }

    /**
     * Closes each connection whose request is still arriving after the deadline: one Tomcat is processing, or one
     * it holds between reads of an incomplete request line or headers (with its processor, and its stage already
     * at the end).
     */
    private void cutSlowClients() {
        long now = System.nanoTime();
        serving.forEach((processor, socket) -> cutIfLate(processor, socket, true, now));
        try {
            for (SocketWrapperBase<?> socket : getEndpoint().getConnections()) {
                cutIfLate(socket.getCurrentProcessor(), socket, false, now);
            }
        } catch (RuntimeException e) { // an exception would end the schedule; the next round looks again
            log.debug("Listing the connections failed", e);
        }
    }

    private void cutIfLate(Object processor, SocketWrapperBase<?> socket, boolean inService, long now) {
        try {
            if (!(processor instanceof AbstractProcessor http)) {
                return;
            }
            Request request = http.getRequest();
            long started = request.getStartTimeNanos(); // at the request's first byte; -1 until then
            boolean arriving = inService || http.isAsync() ? arriving(request) : true; // held: headers incomplete
            boolean stillItsRequest = inService ? serving.get(http) == socket : socket.getCurrentProcessor() == http;
            if (arriving && started != -1 && now - started > requestDeadline.toNanos() && stillItsRequest) {
                log.warn(
                        "Closed the connection from {}: its request had not arrived {} after its first byte",
                        socket.getRemoteAddr(),
                        requestDeadline);
                socket.close();
            }
        } catch (RuntimeException e) { // the connection ended meanwhile; the others are still checked
            log.debug("Checking a connection for a slow client failed", e);
        }
    }

    /** Whether the request's headers or body (the app's to read, or Tomcat's to drain after it) are still coming. */
    private static boolean arriving(Request request) {
        return switch (request.getRequestProcessor().getStage()) {
            case Constants.STAGE_PARSE, Constants.STAGE_PREPARE -> true;
            case Constants.STAGE_SERVICE, Constants.STAGE_ENDINPUT -> !request.isFinished();
            default -> false;
        };
    }
}
