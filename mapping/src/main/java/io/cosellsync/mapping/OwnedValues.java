package io.cosellsync.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values a tenant gives Salesforce, where Partner Center changed them: set back on the referral to what both
 * sides last agreed on. The other direction of {@link ReferralMerge}, for tenants whose field map makes Salesforce
 * the owner of a value that travels to Partner Center. Pure: no I/O.
 */
public final class OwnedValues {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OwnedValues() {
    }

    /** Whether the tenant gives Salesforce any value that travels to Partner Center (the stage aside). */
    public static boolean salesforceOwnsAny(FieldMapper mapper) {
        TenantMapping tenant = mapper.tenant();
        return mapper.map().fields().stream().anyMatch(row -> row.direction().toPartnerCenter()
                && !row.salesforce().equals(ReferralMerge.STAGE) && tenant.owner(row) == Owner.SALESFORCE)
                || mapper.map().collections().stream().anyMatch(c -> c.direction().toPartnerCenter()
                        && c.owner() == Owner.SALESFORCE);
    }

    /**
     * Partner Center changed the referral: the fields Salesforce owns (the stage aside, which only moves forward)
     * that now differ from the agreement are set back to the agreed value, as one request; nothing when none
     * differs or nothing was agreed yet. A seller's own newer value follows on the way out, as always.
     */
    public static ReferralMerge.Result restore(FieldMapper mapper, JsonNode current, Map<String, Object> base) {
        if (base == null || base.isEmpty()) {
            return new ReferralMerge.Result(List.of(), base == null ? Map.of() : base, List.of(), List.of(),
                    Map.of());
        }
        TenantMapping tenant = mapper.tenant();
        SalesforceImage partnerCenter = mapper.toSalesforce(current);
        Map<String, Map<String, Object>> records = new LinkedHashMap<>();
        partnerCenter.records().forEach((object, values) -> records.put(object, new LinkedHashMap<>(values)));
        Map<String, List<Map<String, Object>>> collections = new LinkedHashMap<>(partnerCenter.collections());
        List<String> restored = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (FieldRow row : mapper.map().fields()) {
            String name = tenant.fieldName(row.salesforce());
            if (row.direction().toPartnerCenter() && !row.salesforce().equals(ReferralMerge.STAGE)
                    && tenant.owner(row) == Owner.SALESFORCE && base.containsKey(row.salesforce())
                    && !ReferralMerge.same(base.get(row.salesforce()), partnerCenter.record(row.object()).get(name))) {
                records.computeIfAbsent(row.object(), o -> new LinkedHashMap<>()).put(name,
                        base.get(row.salesforce()));
                restored.add(row.salesforce());
                paths.addAll(row.partnerCenter());
            }
        }
        for (CollectionRow c : mapper.map().collections()) {
            if (c.direction().toPartnerCenter() && c.owner() == Owner.SALESFORCE && base.containsKey(c.salesforce())
                    && !ReferralMerge.same(base.get(c.salesforce()), partnerCenter.collection(c.salesforce()))) {
                collections.put(c.salesforce(), items(base.get(c.salesforce())));
                restored.add(c.salesforce());
                paths.add(c.partnerCenter());
            }
        }
        if (restored.isEmpty()) {
            return new ReferralMerge.Result(List.of(), base, List.of(), List.of(), Map.of());
        }
        ObjectNode next = mapper.toSyncedReferral(new SalesforceImage(records, collections), current);
        ArrayNode operations = JSON.arrayNode();
        paths.forEach(path -> ReferralMerge.difference(operations, current, next, path));
        return new ReferralMerge.Result(operations.isEmpty() ? List.of() : List.of(operations), base, restored,
                List.of(), Map.of());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Object agreed) {
        return agreed instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }
}
