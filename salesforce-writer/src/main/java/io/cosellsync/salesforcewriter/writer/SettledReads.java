package io.cosellsync.salesforcewriter.writer;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.salesforce.client.SalesforceTime;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Optional;

/**
 * When a read may serve as the base of a conditional update. Salesforce stamps a save in whole seconds and compares
 * {@code If-Unmodified-Since} in whole seconds, so a save made after our read but within the second of the stamp we
 * read leaves the stamp as it was, and the condition lets our write over it. A read is therefore trusted only when it
 * began after the second of every stamp it returned was over; otherwise the records are read again once it is. Our
 * clock stands in for Salesforce's, with {@link #MARGIN} for the difference between them. The wait is at most one
 * second and a margin, and is taken once per read, so a clock far off Salesforce's delays writes but never stops
 * them. See ADR 0004, "A save between the writer's read and its write".
 */
final class SettledReads {

    /** Allowance for the difference between our clock and Salesforce's (both kept by NTP, far closer than this). */
    static final Duration MARGIN = Duration.ofMillis(200);
    private static final Duration LONGEST = Duration.ofSeconds(1).plus(MARGIN);

    private SettledReads() {
    }

    /**
     * Empty when the rows, read from {@code readStarted}, are a safe base; otherwise how long to wait (from
     * {@code now}, possibly zero) before reading them again.
     */
    static Optional<Duration> wait(Collection<JsonNode> rows, Instant readStarted, Instant now) {
        Instant latest = null;
        for (JsonNode row : rows) {
            Instant stamp = stamp(row);
            if (stamp != null && (latest == null || stamp.isAfter(latest))) {
                latest = stamp;
            }
        }
        if (latest == null) {
            return Optional.empty();
        }
        Instant over = latest.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).plus(MARGIN);
        if (!readStarted.isBefore(over)) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, over);
        return Optional.of(left.isNegative() ? Duration.ZERO : left.compareTo(LONGEST) > 0 ? LONGEST : left);
    }

    /** Completes after the wait. */
    static Uni<Void> after(Duration wait) {
        Uni<Void> now = Uni.createFrom().voidItem();
        return wait.isZero() ? now : now.onItem().delayIt().by(wait);
    }

    /** The record's latest stamp: {@code SystemModstamp} or {@code LastModifiedDate}, whichever is later. */
    private static Instant stamp(JsonNode row) {
        Instant modified = parse(row.path("LastModifiedDate"));
        Instant system = parse(row.path("SystemModstamp"));
        if (modified == null || system == null) {
            return modified != null ? modified : system;
        }
        return system.isAfter(modified) ? system : modified;
    }

    private static Instant parse(JsonNode value) {
        return value.isTextual() && !value.asText().isEmpty() ? SalesforceTime.parse(value.asText()) : null;
    }
}
