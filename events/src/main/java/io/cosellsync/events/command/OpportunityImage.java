package io.cosellsync.events.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An opportunity as Salesforce has it, in the field map's terms: the values of the mapped Opportunity and Account
 * fields and the items of each mapped collection, by this org's API names (values as Salesforce's JSON has them).
 *
 * @param records     object name (Opportunity, Account) → field → value
 * @param collections collection object (Contact, Microsoft_Solution__c, User) → items
 * @param modifiedAt  the opportunity's {@code SystemModstamp}: Salesforce's clock for fields owned by "latest"
 * @param ourFields   Opportunity fields whose last change was the salesforce-writer's own write
 *                    ({@code OpportunitySnapshot.ourFields}): such a value that differs from Partner Center's is an
 *                    older one of Partner Center's, not a seller's later save, whatever the clock (v1 addition)
 * @param fieldClocks Opportunity field → when its last change was committed, where known to the millisecond
 *                    ({@code OpportunitySnapshot.fieldClocks}): that field's clock instead of {@code modifiedAt}
 *                    (v1 addition; empty when unknown)
 */
public record OpportunityImage(
        @JsonProperty(required = true) Map<String, Map<String, Object>> records,
        Map<String, List<Map<String, Object>>> collections,
        @JsonProperty(required = true) Instant modifiedAt,
        List<String> ourFields,
        Map<String, Instant> fieldClocks) {

    public OpportunityImage {
        Require.present(records, "records");
        Require.present(modifiedAt, "modifiedAt");
        Map<String, Map<String, Object>> recordCopy = new LinkedHashMap<>();
        records.forEach((object, fields) -> recordCopy.put(object, Require.fields(fields)));
        records = Collections.unmodifiableMap(recordCopy);
        Map<String, List<Map<String, Object>>> collectionCopy = new LinkedHashMap<>();
        if (collections != null) {
            collections.forEach((object, items) -> collectionCopy.put(object,
                    Require.list(items).stream().map(Require::fields).toList()));
        }
        collections = Collections.unmodifiableMap(collectionCopy);
        ourFields = Require.list(ourFields);
        fieldClocks = fieldClocks == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(fieldClocks));
    }

    /** An image with no field clock known. */
    public OpportunityImage(Map<String, Map<String, Object>> records,
            Map<String, List<Map<String, Object>>> collections, Instant modifiedAt, List<String> ourFields) {
        this(records, collections, modifiedAt, ourFields, Map.of());
    }

    /** An image with no field known to be last changed by us. */
    public OpportunityImage(Map<String, Map<String, Object>> records,
            Map<String, List<Map<String, Object>>> collections, Instant modifiedAt) {
        this(records, collections, modifiedAt, List.of());
    }
}
