package io.cosellsync.salesforce.client;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Salesforce's date-times as the REST API writes them ({@code 2026-11-02T10:00:00.000+0000}). */
public final class SalesforceTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx");

    private SalesforceTime() {
    }

    /** The instant of a Salesforce date-time (also ISO-8601 with a colon in the offset); null for null. */
    public static Instant parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value, FORMAT).toInstant();
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(value).toInstant();
        }
    }
}
