package io.cosellsync.salesforcewriter.writer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cosellsync.events.EventCodec;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Comparing values the writer sends with what Salesforce holds, and hashing what was written. Pure. */
final class RecordValues {

    private static final ObjectMapper CANONICAL = EventCodec.mapper().copy()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private RecordValues() {
    }

    /**
     * Whether the opportunity as read already holds every value of the record to be written (numbers by value): then
     * the write would change nothing but its modification stamp, and it is not made.
     */
    static boolean holdsAll(JsonNode current, Map<String, Object> record) {
        return current != null && differing(current, record).isEmpty();
    }

    /** The record's fields whose value the opportunity as read does not hold (all, when it was not read). */
    static List<String> differing(JsonNode current, Map<String, Object> record) {
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, Object> field : record.entrySet()) {
            JsonNode value = current.get(field.getKey());
            Object held = value == null || value.isNull() ? null : CANONICAL.convertValue(value, Object.class);
            if (value == null || !sameValue(held, field.getValue())) {
                differing.add(field.getKey());
            }
        }
        return differing;
    }


    /** A field of a record as read, as a plain Java value (null when absent or null). */
    static Object held(JsonNode value) {
        return value == null || value.isNull() ? null : CANONICAL.convertValue(value, Object.class);
    }

    /** Equal as JSON values: numbers by value (a stored 45000 is the command's 45000.00). */
    static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        return Objects.equals(a, b);
    }

    /** SHA-256 of the value's canonical JSON (map keys sorted): equal content, equal hash. */
    static String hash(Object value) {
        try {
            byte[] json = CANONICAL.writeValueAsBytes(value);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
