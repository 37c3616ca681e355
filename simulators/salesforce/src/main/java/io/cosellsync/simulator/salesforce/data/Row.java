package io.cosellsync.simulator.salesforce.data;

import io.cosellsync.simulator.salesforce.schema.SObjectType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stored record: its values by canonical field name (Strings, Booleans, BigDecimals, Integers, LocalDates,
 * Instants) and, when it sits in the recycle bin, when and why it was deleted.
 */
public final class Row {

    private final SObjectType type;
    private final String id;
    private final Map<String, Object> values;
    private Instant deletedAt;
    /** The record whose deletion cascaded to this one (restored together), or null. */
    private String deletedWith;

    Row(SObjectType type, String id, Map<String, Object> values) {
        this.type = type;
        this.id = id;
        this.values = new LinkedHashMap<>(values);
    }

    Row copy() {
        Row copy = new Row(type, id, values);
        copy.deletedAt = deletedAt;
        copy.deletedWith = deletedWith;
        return copy;
    }

    void restoreFrom(Row other) {
        values.clear();
        values.putAll(other.values);
        deletedAt = other.deletedAt;
        deletedWith = other.deletedWith;
    }

    public SObjectType type() {
        return type;
    }

    public String id() {
        return id;
    }

    public Object get(String field) {
        return values.get(field);
    }

    public Map<String, Object> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    void put(String field, Object value) {
        values.put(field, value);
    }

    public boolean deleted() {
        return deletedAt != null;
    }

    public Instant deletedAt() {
        return deletedAt;
    }

    String deletedWith() {
        return deletedWith;
    }

    void markDeleted(Instant at, String cascadeRoot) {
        deletedAt = at;
        deletedWith = cascadeRoot;
        values.put("IsDeleted", true);
    }

    void markUndeleted() {
        deletedAt = null;
        deletedWith = null;
        values.put("IsDeleted", false);
    }
}
