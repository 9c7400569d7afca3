package dev.pontus.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress on stderr while an audit runs: a bar redrawn in place on a terminal (objects, bytes read, findings,
 * rate, and once the listing is over, the share done and the time left), plain lines every few seconds otherwise
 * (logs of a batch job), or nothing.
 */
final class Progress implements AutoCloseable {
    /** {@code --progress}. */
    enum Mode {
        AUTO,
        BAR,
        LINES,
        NONE
    }

    private static final Duration BAR_EVERY = Duration.ofMillis(250);
    private static final Duration LINE_EVERY = Duration.ofSeconds(5);

    private final Mode mode;
    private final PrintWriter err;
    private final Stats stats;
    private final ScheduledExecutorService timer;

    Progress(Mode mode, PrintWriter err, Stats stats) {
        this.mode = mode == Mode.AUTO ? (stderrIsTerminal() ? Mode.BAR : Mode.LINES) : mode;
        this.err = err;
        this.stats = stats;
        if (this.mode == Mode.NONE) {
            timer = null;
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "pontus-progress");
            thread.setDaemon(true);
            return thread;
        });
        long every = (this.mode == Mode.BAR ? BAR_EVERY : LINE_EVERY).toMillis();
        timer.scheduleAtFixedRate(this::show, every, every, TimeUnit.MILLISECONDS);
    }

    Mode mode() {
        return mode;
    }

    private void show() {
        if (mode == Mode.BAR) {
            err.print("\r" + bar(stats, width()) + "\033[K");
        } else {
            err.println("pontus: " + line(stats));
        }
        err.flush();
    }

    /** The counts in one line: objects checked, findings, bytes read, rate. */
    static String line(Stats s) {
        return String.format(
                Locale.ROOT,
                "%,d objects checked, %,d findings, %s read, %.0f objects/s",
                s.checked.sum(),
                s.findings.sum(),
                Sizes.human(s.reads.bytes()),
                s.rate());
    }

    /** The bar: {@code [#####.....] 45% 4,500/10,000 objects ... ETA 0:12} once the total is known. */
    static String bar(Stats s, int width) {
        long checked = s.checked.sum();
        long total = s.total;
        String counts = String.format(
                Locale.ROOT,
                "%,d%s objects  %,d findings  %s read  %.0f/s",
                checked,
                total < 0 ? "" : String.format(Locale.ROOT, "/%,d", total),
                s.findings.sum(),
                Sizes.human(s.reads.bytes()),
                s.rate());
        if (total < 0) {
            return "listing... " + counts;
        }
        double done = total == 0 ? 1 : Math.min(1, (double) checked / total);
        long left = s.rate() > 0 ? (long) ((total - checked) / s.rate()) : 0;
        int cells = Math.max(10, Math.min(30, width - counts.length() - 22));
        int full = (int) Math.round(done * cells);
        return "[" + "#".repeat(full) + ".".repeat(cells - full) + "] "
                + String.format(Locale.ROOT, "%3.0f%% ", done * 100) + counts
                + String.format(Locale.ROOT, "  ETA %d:%02d", left / 60, left % 60);
    }

    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        if (mode == Mode.BAR) {
            err.print("\r" + bar(stats, width()) + "\033[K\n");
            err.flush();
        }
    }

    private static int width() {
        try {
            return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100"));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    /** Whether stderr is a terminal: on Linux, fd 2 is a tty device; elsewhere, whether there is a console. */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
