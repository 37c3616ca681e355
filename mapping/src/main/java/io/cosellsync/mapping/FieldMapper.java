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
                        .put(tenant.fieldName(row.salesforce()), forward(row, referral, created));
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
                    items.add(item(c, item, created));
                }
            }
            collections.put(c.salesforce(), items);
        }
        return new SalesforceImage(records, collections);
    }

    /**
     * The referral as Salesforce has it: {@code current} with every row that travels to Partner Center replaced by
     * the image's value (unchanged where the current value already maps to it). {@code current} is not modified.
     */
    public ObjectNode toPartnerCenter(SalesforceImage image, JsonNode current) {
        Instant created = created(current);
        ObjectNode next = current.deepCopy();
        for (FieldRow row : map.fields()) {
            if (!row.direction().toPartnerCenter()) {
                continue;
            }
            Object value = image.record(row.object()).get(tenant.fieldName(row.salesforce()));
            if (unchanged(row, current, created, value)) {
                continue;
            }
            List<JsonNode> back = values.toPartnerCenter(row, undefault(row, value), read(row, current));
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
            List<Map<String, Object>> now = currentItems.stream().map(i -> item(c, i, created)).toList();
            if (sameItems(now, wanted)) {
                continue;
            }
            ArrayNode items = JsonNodeFactory.instance.arrayNode();
            FieldRow match = c.fields().stream().filter(r -> r.field().equals(c.match())).findFirst().orElseThrow();
            String matchName = tenant.fieldName(match.salesforce());
            for (Map<String, Object> item : wanted) {
                JsonNode existing = currentItems.stream().filter(i -> Objects.equals(
                        forward(match, i, null), item.get(matchName))).findFirst()
                        .orElse(JsonNodeFactory.instance.objectNode());
                ObjectNode back = existing.deepCopy();
                for (FieldRow row : c.fields()) {
                    Object value = item.get(tenant.fieldName(row.salesforce()));
                    if (unchanged(row, existing, created, value)) {
                        continue;
                    }
                    List<JsonNode> result = values.toPartnerCenter(row,
                            undefault(row, value), read(row, existing));
                    JsonPaths.set(back, row.partnerCenter().get(0), result.get(0));
                }
                items.add(back);
            }
            JsonPaths.set(next, c.partnerCenter(), items);
        }
        return next;
    }

    /** Whether the referral's current values already map to this Salesforce value (then they stay as they are). */
    private boolean unchanged(FieldRow row, JsonNode current, Instant created, Object value) {
        try {
            return Objects.equals(Values.normal(forward(row, current, created)), Values.normal(value));
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

    private Map<String, Object> item(CollectionRow c, JsonNode item, Instant created) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (FieldRow row : c.fields()) {
            fields.put(tenant.fieldName(row.salesforce()), forward(row, item, created));
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

    private Object forward(FieldRow row, JsonNode from, Instant created) {
        Object value = values.toSalesforce(row, read(row, from));
        if (value == null && tenant.defaults().containsKey(row.salesforce())) {
            String fallback = tenant.defaults().get(row.salesforce());
            if (row.transform() == Transform.UTC_DATE) {
                Instant base = created == null ? Instant.EPOCH : created;
                return LocalDate.ofInstant(base, ZoneOffset.UTC).plus(Period.parse(fallback)).toString();
            }
            return fallback;
        }
        return value;
    }

    /** A text default stands for "none" on the way back. */
    private Object undefault(FieldRow row, Object value) {
        String fallback = tenant.defaults().get(row.salesforce());
        if (fallback != null && row.transform() != Transform.UTC_DATE && fallback.equals(value)) {
            return null;
        }
        return value;
    }
}
