package io.cosellsync.events;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
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

    /**
     * Copies a field map keeping null values (a null Salesforce field is information, not absence) and turning every
     * number into a {@link BigDecimal}, so a value means the same whether it was built in Java or read from JSON.
     */
    public static Map<String, Object> fields(Map<String, Object> value) {
        if (value == null) {
            return Map.of();
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        value.forEach((k, v) -> copy.put(k, scalar(v)));
        return Collections.unmodifiableMap(copy);
    }

    /** A JSON scalar as the contract holds it: numbers as {@link BigDecimal}, anything else unchanged. */
    public static Object scalar(Object value) {
        return value instanceof Number n ? decimal(n) : value;
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (n instanceof Double || n instanceof Float) {
            return new BigDecimal(n.toString());
        }
        return BigDecimal.valueOf(n.longValue());
    }
}
