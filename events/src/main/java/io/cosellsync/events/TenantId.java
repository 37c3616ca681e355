package io.cosellsync.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * A partner tenant: the unit of isolation. Every Kafka record, table row and credential is scoped by one.
 * Lower-case letters, digits and dashes so it can be used in topic prefixes, Helm release names and
 * CloudEvents extension values without escaping.
 */
public record TenantId(String value) implements Comparable<TenantId> {

    private static final Pattern FORMAT = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    public TenantId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("tenant id '" + value
                    + "' is invalid: use 1-63 lower-case letters, digits or dashes, not starting or ending with a dash");
        }
    }

    /** Used by Jackson and by SmallRye Config (static {@code of} converter). */
    @JsonCreator
    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public int compareTo(TenantId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
