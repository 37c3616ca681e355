package io.cosellsync.support.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void secondsOrAnHttpDate() {
        assertEquals(Duration.ofSeconds(120), RetryAfter.parse(" 120 ", NOW));
        assertEquals(Duration.ofSeconds(90), RetryAfter.parse("Wed, 02 Dec 2026 10:01:30 GMT", NOW));
        assertEquals(Duration.ZERO, RetryAfter.parse("Wed, 02 Dec 2026 09:00:00 GMT", NOW), "a date gone by");
    }

    @Test
    void anythingElseAsksForNothing() {
        assertNull(RetryAfter.parse("soon", NOW));
        assertNull(RetryAfter.parse("-5", NOW));
    }
}
