package io.cosellsync.events;

import java.util.List;

/**
 * The payloads a consumer takes from its topic: the event types it accepts and the one Java type they share (the
 * payload record, or a sealed interface such as {@link io.cosellsync.events.command.SalesforceCommand} when a topic
 * carries several), so a consumer receives its payload typed.
 */
public record Accepted<P>(Class<P> type, List<EventType> types) {

    public Accepted {
        types = List.copyOf(types);
        for (EventType t : types) {
            if (!type.isAssignableFrom(t.payloadType())) {
                throw new IllegalArgumentException(t + " carries " + t.payloadType().getSimpleName()
                        + ", which is not a " + type.getSimpleName());
            }
        }
    }

    public static <P> Accepted<P> of(Class<P> type, EventType... types) {
        return new Accepted<>(type, List.of(types));
    }
}
