package dev.pontus.cli;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The key to resume after: the last listed key such that it and every key before it were audited. Checks finish
 * out of order; this holds only those in flight (at most a few times the concurrency), in listing order.
 */
final class Resume {
    private final Map<String, Boolean> inFlight = new LinkedHashMap<>();
    private String safe;

    Resume(String startAfter) {
        this.safe = startAfter;
    }

    synchronized void started(String key) {
        inFlight.put(key, false);
    }

    synchronized void finished(String key) {
        inFlight.replace(key, true);
        Iterator<Map.Entry<String, Boolean>> oldest = inFlight.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<String, Boolean> entry = oldest.next();
            if (!entry.getValue()) {
                break;
            }
            safe = entry.getKey();
            oldest.remove();
        }
    }

    /** The key to give {@code --start-after} to go on from here; null when nothing is done yet. */
    synchronized String safePoint() {
        return safe;
    }
}
