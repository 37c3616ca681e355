package io.cosellsync.simulator.salesforce.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One org's validation rules by name; the active ones of an object are checked on every save of its records. */
public final class ValidationRules {

    private final Map<String, ValidationRule> rules = new ConcurrentHashMap<>();

    public void put(String name, ValidationRule rule) {
        rules.put(name, rule);
    }

    public boolean remove(String name) {
        return rules.remove(name) != null;
    }

    public Map<String, ValidationRule> all() {
        return new LinkedHashMap<>(rules);
    }

    /** Fails the save with the first broken active rule (by name, as Salesforce reports one at a time here). */
    void check(String object, Map<String, Object> record) {
        rules.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue)
                .filter(r -> r.active() && r.object().equals(object) && r.brokenBy(record))
                .findFirst().ifPresent(r -> {
                    throw new SaveException(r.error());
                });
    }
}
