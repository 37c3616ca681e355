package io.cosellsync.events.salesforce;

import java.time.Instant;

/** A note attached to the opportunity, for tenants that keep deal notes in a notes object. */
public record Note(String id, String title, String body, Instant lastModifiedDate) {
}
