package dev.pontus.cli;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What an audit has done so far; read by the progress display and the closing summary. Thread-safe. */
final class Stats {
    final LongAdder listed = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder checked = new LongAdder();
    final LongAdder findings = new LongAdder();
    final LongAdder vanished = new LongAdder();
    final LongAdder retried = new LongAdder();
    final ReadCounter reads;
    final long startNanos = System.nanoTime();
    private final Map<String, LongAdder> codes = new ConcurrentHashMap<>();
    /** How many objects will be checked in all, once the listing is over; -1 until then. */
    volatile long total = -1;

    Stats(ReadCounter reads) {
        this.reads = reads;
    }

    void found(Finding finding) {
        findings.increment();
        finding.codes()
                .forEach(code ->
                        codes.computeIfAbsent(code, c -> new LongAdder()).increment());
    }

    /** Violations by code, in code order. */
    Map<String, Long> byCode() {
        Map<String, Long> sorted = new TreeMap<>();
        codes.forEach((code, count) -> sorted.put(code, count.sum()));
        return sorted;
    }

    double seconds() {
        return Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    }

    double rate() {
        return checked.sum() / seconds();
    }
}
