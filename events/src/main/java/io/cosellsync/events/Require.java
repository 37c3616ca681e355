package io.cosellsync.events;

import java.util.List;
import java.util.Map;

/** Checks used in the compact constructors of payload records. */
public final class Require {

    private Require() {
    }

    /** Thrown for a missing required field; the codec turns it into a {@link MalformedEventException} with the path. */
    public static final class MissingField extends IllegalArgumentException {
        private final String field;

        public MissingField(String field) {
            super("'" + field + "' is required");
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public static <T> T present(T value, String field) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new MissingField(field);
        }
        return value;
    }

    /** Null lists become empty, so "absent" and "empty" mean the same on the wire. */
    public static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : List.copyOf(value);
    }

    /** Copies a field map keeping null values (a null Salesforce field is information, not absence). */
    public static <V> Map<String, V> fields(Map<String, V> value) {
        return value == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(value));
    }
}
