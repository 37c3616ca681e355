package io.cosellsync.events;

import java.time.Duration;

/**
 * A topic the system owns, with the partition count and retention it is created with.
 *
 * @param key  logical name; services read the full name from the configuration key {@code cosell.topic.<key>}
 * @param name full name, prefix included
 */
public record TopicSpec(String key, String name, int partitions, Duration retention, String purpose) {

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1 for " + name);
        }
    }
}
