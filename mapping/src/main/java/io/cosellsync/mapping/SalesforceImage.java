package io.cosellsync.mapping;

import java.util.List;
import java.util.Map;

/**
 * What a referral looks like in Salesforce, by this org's API names: the opportunity's and account's fields, and the
 * items of each collection (Contact, Microsoft_Solution__c, User) as field maps. Values are Salesforce JSON values:
 * String (dates as {@code yyyy-MM-dd}), BigDecimal, Boolean or null.
 *
 * @param records     object name → field name → value, for Opportunity and Account
 * @param collections collection object name → items
 */
public record SalesforceImage(Map<String, Map<String, Object>> records,
        Map<String, List<Map<String, Object>>> collections) {

    public Map<String, Object> record(String object) {
        return records.getOrDefault(object, Map.of());
    }

    public List<Map<String, Object>> collection(String object) {
        return collections.getOrDefault(object, List.of());
    }
}
