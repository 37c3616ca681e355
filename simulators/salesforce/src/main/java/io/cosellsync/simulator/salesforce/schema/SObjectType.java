package io.cosellsync.simulator.salesforce.schema;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** An sObject type of one org: its key prefix, its fields in describe order, what the API may do with it. */
public final class SObjectType {

    private final String name;
    private final String label;
    private final String labelPlural;
    private final String keyPrefix;
    private final boolean createable;
    private final boolean undeletable;
    private final Map<String, Field> fields = new LinkedHashMap<>();

    public SObjectType(String name, String label, String labelPlural, String keyPrefix, boolean createable,
            boolean undeletable, List<Field> fields) {
        this.name = name;
        this.label = label;
        this.labelPlural = labelPlural;
        this.keyPrefix = keyPrefix;
        this.createable = createable;
        this.undeletable = undeletable;
        fields.forEach(f -> this.fields.put(f.name().toLowerCase(Locale.ROOT), f));
    }

    public String name() {
        return name;
    }

    public String label() {
        return label;
    }

    public String labelPlural() {
        return labelPlural;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    public boolean custom() {
        return name.endsWith("__c");
    }

    /** Whether the API may create, update and delete rows (User rows are the org's, not the API's). */
    public boolean createable() {
        return createable;
    }

    /** Whether deleted rows go to the recycle bin (and can be undeleted); team members are deleted for good. */
    public boolean undeletable() {
        return undeletable;
    }

    /** Field names are case-insensitive, as in the API. */
    public Optional<Field> field(String fieldName) {
        return Optional.ofNullable(fields.get(fieldName.toLowerCase(Locale.ROOT)));
    }

    public Collection<Field> fields() {
        return fields.values();
    }

    /** The lookup whose relationship name this is (e.g. "Account" for AccountId), case-insensitive. */
    public Optional<Field> relationship(String relationshipName) {
        return fields.values().stream().filter(f -> f.relationshipName() != null
                && f.relationshipName().equalsIgnoreCase(relationshipName)).findFirst();
    }

    /** Removes a field (one the org lacks). */
    void remove(String fieldName) {
        fields.remove(fieldName.toLowerCase(Locale.ROOT));
    }

    /** Adds or replaces a field (an org's configured external ids). */
    void put(Field field) {
        fields.put(field.name().toLowerCase(Locale.ROOT), field);
    }
}
