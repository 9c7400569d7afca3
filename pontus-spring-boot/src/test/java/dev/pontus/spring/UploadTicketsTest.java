package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UploadTicketsTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final String KEY = "unvalidated/id/cat.jpg";

    private static UploadTickets at(Instant instant) {
        return new UploadTickets(SECRET, Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void acceptsItsOwnTicketForTheSameKeyAndUser() {
        String ticket = at(NOW).issue(KEY, "alice", NOW.plus(Duration.ofHours(1)));

        assertThat(at(NOW.plus(Duration.ofMinutes(59))).check(ticket, KEY, "alice")).isNull();
    }

    @Test
    void anyInstanceWithTheSameSecretAcceptsIt() {
        String ticket = at(NOW).issue(KEY, "", NOW.plus(Duration.ofHours(1)));

        assertThat(new UploadTickets(SECRET.clone(), Clock.fixed(NOW, ZoneOffset.UTC)).check(ticket, KEY, "")).isNull();
    }

    @Test
    void refusesExpiredForgedAndSomeoneElsesTickets() {
        UploadTickets tickets = at(NOW);
        String ticket = tickets.issue(KEY, "alice", NOW.plus(Duration.ofHours(1)));

        assertThat(at(NOW.plus(Duration.ofHours(2))).check(ticket, KEY, "alice")).startsWith("expired at");
        assertThat(tickets.check(ticket, "unvalidated/id/other.jpg", "alice")).startsWith("does not match");
        assertThat(tickets.check(ticket, KEY, "bob")).startsWith("does not match");
        String later = (NOW.getEpochSecond() + 999_999) + ticket.substring(ticket.indexOf('.'));
        assertThat(tickets.check(later, KEY, "alice")).startsWith("does not match");
        assertThat(tickets.check("garbage", KEY, "alice")).startsWith("is malformed");
        assertThat(tickets.check(null, KEY, "alice")).startsWith("is malformed");
        assertThat(new UploadTickets("another-secret-another-secret-xx".getBytes(StandardCharsets.UTF_8),
                Clock.fixed(NOW, ZoneOffset.UTC)).check(ticket, KEY, "alice")).startsWith("does not match");
    }

    @Test
    void needsALongSecretAndNeverPrintsIt() {
        assertThatThrownBy(() -> new UploadTickets(new byte[16], Clock.systemUTC()))
                .hasMessageContaining("at least 32 bytes");
        assertThat(at(NOW).toString()).doesNotContain("0123456789abcdef");
    }
}
