package dev.pontus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void theBarShowsCountsWhileListingThenTheShareDoneAndTimeLeft() {
        Stats stats = new Stats(new ReadCounter());
        stats.checked.add(2_500);
        stats.findings.add(3);
        assertThat(Progress.bar(stats, 120)).startsWith("listing... 2,500 objects  3 findings  0 B read");
        stats.total = 10_000;
        String bar = Progress.bar(stats, 120);
        assertThat(bar)
                .matches("\\[#+\\.+\\]  25% 2,500/10,000 objects  3 findings  0 B read  \\d+/s  ETA \\d+:\\d\\d");
    }

    @Test
    void plainLinesSayTheSameForLogs() {
        Stats stats = new Stats(new ReadCounter());
        stats.checked.add(12_345);
        assertThat(Progress.line(stats)).startsWith("12,345 objects checked, 0 findings, 0 B read, ");
    }
}
