package io.cosellsync.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The field map applied for one tenant: a referral's JSON → its Salesforce image, and a Salesforce image applied onto
 * a referral's current JSON → the referral as Salesforce would have it. Pure: no I/O.
 */
public final class FieldMapper {

    private final FieldMap map;
    private final TenantMapping tenant;
    private final Values values;

    public FieldMapper(FieldMap map, TenantMapping tenant) {
        this.map = map;
        this.tenant = tenant;
        this.values = new Values(tenant);
    }

    public TenantMapping tenant() {
        return tenant;
    }

    public FieldMap map() {
        return map;
    }

    /**
     * The Salesforce side of a referral, every row that travels to Salesforce.
     *
     * @throws MappingException when a value cannot be taken by Salesforce
     */
    public SalesforceImage toSalesforce(JsonNode referral) {
        Instant created = created(referral);
        Map<String, Map<String, Object>> records = new LinkedHashMap<>();
        for (FieldRow row : map.fields()) {
            if (row.direction().toSalesforce()) {
                records.computeIfAbsent(row.object(), o -> new LinkedHashMap<>())
                        .put(tenant.fieldName(row.salesforce()), forward(row, referral, created, true));
            }
        }
        Map<String, List<Map<String, Object>>> collections = new LinkedHashMap<>();
        for (CollectionRow c : map.collections()) {
            if (!c.direction().toSalesforce()) {
                continue;
            }
            List<Map<String, Object>> items = new ArrayList<>();
            JsonNode list = JsonPaths.get(referral, c.partnerCenter());
            if (list != null && list.isArray()) {
                for (JsonNode item : list) {
                    items.add(item(c, item, created, true));
                }
            }
            collections.put(c.salesforce(), items);
        }
        return new SalesforceImage(records, collections);
    }

    /**
     * The referral as Salesforce has it: {@code current} with every row that travels to Partner Center replaced by
     * the image's value (unchanged where the current value already maps to it). Every value of the image is real,
     * also one that equals a tenant default. {@code current} is not modified.
     */
    public ObjectNode toPartnerCenter(SalesforceImage image, JsonNode current) {
        return apply(image, current, false);
    }

    /**
     * As {@link #toPartnerCenter}, onto the referral this opportunity is synced with: where that referral has no
     * value and the opportunity holds exactly what the tenant's default fills in for it, the referral keeps having
     * none (the default filled it and it was not changed since). See mapping/README.md, "Defaults".
     */
    public ObjectNode toSyncedReferral(SalesforceImage image, JsonNode current) {
        return apply(image, current, true);
    }

    private ObjectNode apply(SalesforceImage image, JsonNode current, boolean defaultsMeanNone) {
        Instant created = created(current);
        ObjectNode next = current.deepCopy();
        for (FieldRow row : map.fields()) {
            if (!row.direction().toPartnerCenter()) {
                continue;
            }
            Object value = image.record(row.object()).get(tenant.fieldName(row.salesforce()));
            if (unchanged(row, current, created, defaultsMeanNone, value)) {
                continue;
            }
            List<JsonNode> back = values.toPartnerCenter(row, value, read(row, current));
            for (int i = 0; i < row.partnerCenter().size(); i++) {
                JsonPaths.set(next, row.partnerCenter().get(i), back.get(i));
            }
        }
        for (CollectionRow c : map.collections()) {
            if (!c.direction().toPartnerCenter()) {
                continue;
            }
            JsonNode list = JsonPaths.get(current, c.partnerCenter());
            List<JsonNode> currentItems = new ArrayList<>();
            if (list != null && list.isArray()) {
                list.forEach(currentItems::add);
            }
            List<Map<String, Object>> wanted = image.collection(c.salesforce());
            List<Map<String, Object>> now = currentItems.stream().map(i -> item(c, i, created, defaultsMeanNone))
                    .toList();
            if (sameItems(now, wanted)) {
                continue;
            }
            ArrayNode items = JsonNodeFactory.instance.arrayNode();
            FieldRow match = c.fields().stream().filter(r -> r.field().equals(c.match())).findFirst().orElseThrow();
            String matchName = tenant.fieldName(match.salesforce());
            for (Map<String, Object> item : wanted) {
                JsonNode found = currentItems.stream().filter(i -> Objects.equals(
                        forward(match, i, null, false), item.get(matchName))).findFirst().orElse(null);
                JsonNode existing = found == null ? JsonNodeFactory.instance.objectNode() : found;
                // a default can only have filled an item the referral has: a new item's values are all real
                boolean filledByDefault = defaultsMeanNone && found != null;
                ObjectNode back = existing.deepCopy();
                for (FieldRow row : c.fields()) {
                    Object value = item.get(tenant.fieldName(row.salesforce()));
                    if (unchanged(row, existing, created, filledByDefault, value)) {
                        continue;
                    }
                    List<JsonNode> result = values.toPartnerCenter(row, value, read(row, existing));
                    JsonPaths.set(back, row.partnerCenter().get(0), result.get(0));
                }
                items.add(back);
            }
            JsonPaths.set(next, c.partnerCenter(), items);
        }
        return next;
    }

    /**
     * Whether the referral's current values already map to this Salesforce value (then they stay as they are), a
     * missing value filled with the tenant's default when {@code withDefaults}.
     */
    private boolean unchanged(FieldRow row, JsonNode current, Instant created, boolean withDefaults, Object value) {
        try {
            return Objects.equals(Values.normal(forward(row, current, created, withDefaults)), Values.normal(value));
        } catch (MappingException e) {
            return false;
        }
    }

    private static Instant created(JsonNode referral) {
        JsonNode created = referral.get("createdDateTime");
        return created == null || created.isNull() ? null : Instant.parse(created.asText());
    }

    private boolean sameItems(List<Map<String, Object>> a, List<Map<String, Object>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            for (Map.Entry<String, Object> e : a.get(i).entrySet()) {
                if (!Objects.equals(Values.normal(e.getValue()), Values.normal(b.get(i).get(e.getKey())))) {
                    return false;
                }
            }
        }
        return true;
    }

    private Map<String, Object> item(CollectionRow c, JsonNode item, Instant created, boolean withDefaults) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (FieldRow row : c.fields()) {
            fields.put(tenant.fieldName(row.salesforce()), forward(row, item, created, withDefaults));
        }
        return fields;
    }

    private static List<JsonNode> read(FieldRow row, JsonNode from) {
        List<JsonNode> in = new ArrayList<>();
        for (String path : row.partnerCenter()) {
            in.add(JsonPaths.get(from, path));
        }
        return in;
    }

    private Object forward(FieldRow row, JsonNode from, Instant created, boolean withDefaults) {
        Object value = values.toSalesforce(row, read(row, from));
        if (value == null && withDefaults && tenant.defaults().containsKey(row.salesforce())) {
            String fallback = tenant.defaults().get(row.salesforce());
            if (row.transform() == Transform.UTC_DATE) {
                Instant base = created == null ? Instant.EPOCH : created;
                return LocalDate.ofInstant(base, ZoneOffset.UTC).plus(Period.parse(fallback)).toString();
            }
            return fallback;
        }
        return value;
    }
}
