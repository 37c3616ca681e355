package io.cosellsync.simulator.salesforce.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.simulator.salesforce.data.OrgData.Txn;
import io.cosellsync.simulator.salesforce.schema.Field;
import io.cosellsync.simulator.salesforce.schema.FieldType;
import io.cosellsync.simulator.salesforce.schema.OrgSchema;
import io.cosellsync.simulator.salesforce.schema.OrgSchema.ChildRelationship;
import io.cosellsync.simulator.salesforce.schema.SObjectType;
import io.cosellsync.simulator.salesforce.schema.Stage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every write to an org's rows — create, update, upsert, delete, undelete, merge — with the {@link DataRule}s a
 * real org applies. All APIs (REST rows, Composite, Collections, SOAP, the seller's UI) write through here.
 */
public final class Dml {

    /** The outcome of an upsert: the row's id and whether it was created. */
    public record Upserted(String id, boolean created) {
    }

    /** An upsert whose key matched several rows: nothing was written. */
    public static final class MultipleMatches extends RuntimeException {
        private final String objectName;
        private final transient List<String> ids;

        public MultipleMatches(String objectName, List<String> ids) {
            super("multiple matches", null, false, false);
            this.objectName = objectName;
            this.ids = List.copyOf(ids);
        }

        public String objectName() {
            return objectName;
        }

        public List<String> ids() {
            return ids;
        }
    }

    /** The outcome of a merge: the master and what moved to it. */
    public record Merged(String masterId, List<String> mergedIds, List<String> updatedRelatedIds) {
    }

    private enum Mode { CREATE, UPDATE }

    private final OrgSchema schema;
    private final Predicate<String> rowLocked;
    private final ValidationRules validationRules = new ValidationRules();

    /** {@code rowLocked} says whether a write to a row (by id, or the type name for a create) meets a lock. */
    public Dml(OrgSchema schema, Predicate<String> rowLocked) {
        this.schema = schema;
        this.rowLocked = rowLocked;
    }

    /** The org's validation rules, checked on every save after the system's own checks. */
    public ValidationRules validationRules() {
        return validationRules;
    }

    public OrgSchema schema() {
        return schema;
    }

    // ---------------------------------------------------------------- create / update

    public String create(Txn txn, SObjectType type, ObjectNode body) {
        writable(type);
        lockCheck(type.name());
        Map<String, Object> values = parse(txn, type, body, Mode.CREATE);
        if (type.name().equals("OpportunityTeamMember")) {
            Optional<Row> existing = live(txn, type).stream()
                    .filter(r -> Objects.equals(r.get("OpportunityId"), values.get("OpportunityId"))
                            && Objects.equals(r.get("UserId"), values.get("UserId"))).findFirst();
            if (existing.isPresent()) {
                Map<String, Object> changes = new LinkedHashMap<>(values);
                changes.remove("OpportunityId");
                changes.remove("UserId");
                apply(txn, existing.get(), changes);
                return existing.get().id();
            }
        }
        defaults(txn, type, values);
        required(type, values, values.keySet(), Mode.CREATE);
        validate(txn, type, values, null);
        validationRules.check(type.name(), values);
        derive(txn, type, null, values);
        system(txn, values, true);
        Row row = txn.insert(type, values);
        after(txn, row, values);
        return row.id();
    }

    public void update(Txn txn, SObjectType type, String id, ObjectNode body) {
        writable(type);
        Row row = existing(txn, type, id);
        lockCheck(row.id());
        Map<String, Object> values = parse(txn, type, body, Mode.UPDATE);
        apply(txn, row, values);
    }

    private void apply(Txn txn, Row row, Map<String, Object> values) {
        SObjectType type = row.type();
        Map<String, Object> merged = new LinkedHashMap<>(row.values());
        merged.putAll(values);
        required(type, merged, values.keySet(), Mode.UPDATE);
        validate(txn, type, values, row.id());
        validationRules.check(type.name(), merged);
        derive(txn, type, row, values);
        system(txn, values, false);
        txn.update(row, values);
        after(txn, row, values);
    }

    /** Upsert by an external-id field ({@code Id} acts as a create, as documented). */
    public Upserted upsert(Txn txn, SObjectType type, String externalIdField, String value, ObjectNode body,
            boolean updateOnly) {
        writable(type);
        if (externalIdField.equalsIgnoreCase("Id")) {
            return new Upserted(create(txn, type, body), true);
        }
        Field key = externalIdField(type, externalIdField);
        if (body.has("Id") || body.has("id")) {
            throw new SaveException(new RecordError("INVALID_FIELD",
                    "The Id field should not be specified in the sobject data."));
        }
        List<Row> matches = matching(txn, type, key, value);
        if (matches.size() > 1) {
            throw new MultipleMatches(type.name(), matches.stream().map(Row::id).toList());
        }
        if (matches.isEmpty()) {
            if (updateOnly) {
                throw SaveException.notFound(new RecordError("NOT_FOUND",
                        "The requested resource does not exist"));
            }
            ObjectNode withKey = body.deepCopy();
            withKey.put(key.name(), value);
            return new Upserted(create(txn, type, withKey), true);
        }
        Row row = matches.get(0);
        lockCheck(row.id());
        apply(txn, row, parse(txn, type, body, Mode.UPDATE));
        return new Upserted(row.id(), false);
    }

    /** An external-id field of the object named in a URL: 404 NOT_FOUND for any other field. */
    public static Field externalIdField(SObjectType type, String name) {
        return type.field(name).filter(Field::externalId).orElseThrow(() -> SaveException.notFound(
                new RecordError("NOT_FOUND", "Provided external ID field does not exist or is not accessible: "
                        + name)));
    }

    /** Live rows whose (external id) field has this value, compared case-insensitively. */
    public static List<Row> matching(OrgData data, SObjectType type, Field key, String value) {
        return data.rows(type).stream().filter(r -> !r.deleted() && r.get(key.name()) instanceof String s
                && s.equalsIgnoreCase(value)).toList();
    }

    private static List<Row> matching(Txn txn, SObjectType type, Field key, String value) {
        return matching(txn.data(), type, key, value);
    }

    // ---------------------------------------------------------------- delete / undelete / merge

    public void delete(Txn txn, String id) {
        Row row = anyRow(txn, id);
        writable(row.type());
        if (row.deleted()) {
            throw deleted();
        }
        lockCheck(row.id());
        remove(txn, row, row.id());
        if (row.type().name().equals("OpportunityContactRole") && Boolean.TRUE.equals(row.get("IsPrimary"))) {
            txn.data().row((String) row.get("OpportunityId")).filter(o -> !o.deleted()
                    && Objects.equals(o.get("ContactId"), row.get("ContactId")))
                    .ifPresent(o -> touch(txn, o, mapOf("ContactId", null)));
        }
    }

    private void remove(Txn txn, Row row, String root) {
        for (ChildRelationship child : schema.childrenOf(row.type().name())) {
            if (child.cascadeDelete()) {
                SObjectType childType = schema.type(child.child()).orElseThrow();
                for (Row dependant : live(txn, childType)) {
                    if (row.id().equals(dependant.get(child.field()))) {
                        remove(txn, dependant, root);
                    }
                }
            }
        }
        if (row.type().undeletable()) {
            txn.recycle(row, row.id().equals(root) ? null : root);
        } else {
            txn.purge(row);
        }
    }

    public void undelete(Txn txn, String id) {
        Optional<Row> found = SalesforceIds.canonical(id).flatMap(txn.data()::row);
        if (found.isEmpty() || !found.get().deleted()) {
            throw new SaveException(new RecordError("UNDELETE_FAILED", "Entity is not in the recycle bin"));
        }
        Row row = found.get();
        if (row.get("MasterRecordId") != null) {
            touch(txn, row, mapOf("MasterRecordId", null));
        }
        List<Row> restored = new ArrayList<>();
        restored.add(row);
        txn.data().allRows().stream().filter(r -> r.deleted() && row.id().equals(r.deletedWith()))
                .forEach(restored::add);
        for (Row r : restored) {
            txn.restore(r);
            for (Field field : r.type().fields()) {
                if (field.unique() && r.get(field.name()) instanceof String value) {
                    unique(txn, r.type(), field, value, r.id());
                }
            }
        }
    }

    /** Merges up to two accounts (or contacts) into a master: SOAP merge() and the UI's merge both land here. */
    public Merged merge(Txn txn, String masterId, List<String> loserIds) {
        Row master = anyRow(txn, masterId);
        if (master.deleted()) {
            throw deleted();
        }
        if (!master.type().name().equals("Account") && !master.type().name().equals("Contact")) {
            throw new SaveException(new RecordError("INVALID_TYPE", "merge is not supported for "
                    + master.type().name()));
        }
        if (loserIds.isEmpty() || loserIds.size() > 2) {
            throw new SaveException(new RecordError("INVALID_OPERATION",
                    "merge takes one or two records to merge into the master"));
        }
        List<String> merged = new ArrayList<>();
        List<String> related = new ArrayList<>();
        for (String loserId : loserIds) {
            Row loser = anyRow(txn, loserId);
            if (loser.type() != master.type() || loser.id().equals(master.id())) {
                throw new SaveException(new RecordError("INVALID_ID_FIELD",
                        "merged records must be other " + master.type().name() + " records: " + loserId));
            }
            if (loser.deleted()) {
                throw deleted();
            }
            for (ChildRelationship child : schema.childrenOf(master.type().name())) {
                SObjectType childType = schema.type(child.child()).orElseThrow();
                for (Row dependant : live(txn, childType)) {
                    if (loser.id().equals(dependant.get(child.field()))) {
                        touch(txn, dependant, mapOf(child.field(), master.id()));
                        related.add(dependant.id());
                    }
                }
            }
            touch(txn, loser, mapOf("MasterRecordId", master.id()));
            txn.recycle(loser, null);
            merged.add(loser.id());
        }
        touch(txn, master, new LinkedHashMap<>());
        return new Merged(master.id(), merged, related);
    }

    // ---------------------------------------------------------------- reading helpers

    /** A row of the given type by a 15- or 18-character id: MALFORMED_ID, NOT_FOUND or ENTITY_IS_DELETED. */
    public Row existing(Txn txn, SObjectType type, String id) {
        Row row = rowOf(txn.data(), type, id);
        if (row.deleted()) {
            throw deleted();
        }
        return row;
    }

    public static Row rowOf(OrgData data, SObjectType type, String id) {
        String canonical = SalesforceIds.canonical(id).orElseThrow(() -> new SaveException(400, false, List.of(
                new RecordError("MALFORMED_ID", type.label() + " ID: id value of incorrect type: " + id,
                        List.of("Id")))));
        return data.row(canonical).filter(r -> r.type() == type).orElseThrow(() -> SaveException.notFound(
                new RecordError("NOT_FOUND", "The requested resource does not exist")));
    }

    private Row anyRow(Txn txn, String id) {
        String canonical = SalesforceIds.canonical(id).orElseThrow(() -> new SaveException(new RecordError(
                "MALFORMED_ID", "malformed id " + id, List.of("Id"))));
        return txn.data().row(canonical).orElseThrow(() -> SaveException.notFound(new RecordError(
                "NOT_FOUND", "The requested resource does not exist")));
    }

    private static SaveException deleted() {
        return SaveException.notFound(new RecordError("ENTITY_IS_DELETED", "entity is deleted"));
    }

    private static List<Row> live(Txn txn, SObjectType type) {
        return txn.data().rows(type).stream().filter(r -> !r.deleted()).toList();
    }

    // ---------------------------------------------------------------- the rules

    private static void writable(SObjectType type) {
        if (!type.createable()) {
            throw new SaveException(new RecordError("INSUFFICIENT_ACCESS_OR_READONLY",
                    "insufficient access rights on object id"));
        }
    }

    private void lockCheck(String target) {
        if (rowLocked.test(target)) {
            throw new SaveException(new RecordError("UNABLE_TO_LOCK_ROW",
                    "unable to obtain exclusive access to this record or 1 records: " + target));
        }
    }

    /** The body's values by canonical field name: unknown fields, wrong JSON types and unwritable fields refused. */
    private Map<String, Object> parse(Txn txn, SObjectType type, ObjectNode body, Mode mode) {
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> unwritable = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String name = entry.getKey();
            JsonNode node = entry.getValue();
            if (name.equals("attributes")) {
                continue;
            }
            if (name.equalsIgnoreCase("Id")) {
                if (mode == Mode.CREATE) {
                    throw new SaveException(new RecordError("INVALID_FIELD",
                            "The Id field should not be specified in the sobject data.", List.of("Id")));
                }
                continue;
            }
            Optional<Field> field = type.field(name);
            if (field.isEmpty()) {
                Optional<Field> lookup = type.relationship(name);
                if (lookup.isPresent() && node.isObject()) {
                    Field f = lookup.get();
                    if (!(mode == Mode.CREATE ? f.createable() : f.updateable())) {
                        unwritable.add(f.name());
                        continue;
                    }
                    values.put(f.name(), parentByExternalId(txn, f, (ObjectNode) node));
                    continue;
                }
                throw SaveException.requestLevel(new RecordError("INVALID_FIELD", "No such column '" + name
                        + "' on sobject of type " + type.name(), List.of(name)));
            }
            Field f = field.get();
            Object value = FieldValues.fromJson(f, node);
            if (!(mode == Mode.CREATE ? f.createable() : f.updateable())) {
                unwritable.add(f.name());
                continue;
            }
            values.put(f.name(), value);
        }
        if (!unwritable.isEmpty()) {
            throw new SaveException(new RecordError("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update "
                    + "fields: " + String.join(", ", unwritable) + ". Please check the security settings of this "
                    + "field and verify that it is read/write for your profile or permission set.", unwritable));
        }
        return values;
    }

    private String parentByExternalId(Txn txn, Field lookup, ObjectNode ref) {
        String parentTypeName = ref.path("attributes").path("type").asText(lookup.referenceTo().get(0));
        SObjectType parentType = schema.type(parentTypeName).filter(t -> lookup.referenceTo().contains(t.name()))
                .orElseThrow(() -> new SaveException(new RecordError("INVALID_FIELD", "Cannot reference "
                        + parentTypeName + " through " + lookup.relationshipName(), List.of(lookup.name()))));
        List<String> keys = new ArrayList<>();
        ref.fieldNames().forEachRemaining(n -> {
            if (!n.equals("attributes")) {
                keys.add(n);
            }
        });
        if (keys.size() != 1) {
            throw new SaveException(new RecordError("INVALID_FIELD", "A foreign key reference to "
                    + parentType.name() + " must name exactly one external ID field", List.of(lookup.name())));
        }
        Field key = parentType.field(keys.get(0)).filter(Field::externalId).orElseThrow(() -> new SaveException(
                new RecordError("INVALID_FIELD", "The field " + keys.get(0) + " is not an External ID or indexed "
                        + "field for " + parentType.name(), List.of(lookup.name()))));
        String value = ref.get(keys.get(0)).asText();
        List<Row> matches = matching(txn, parentType, key, value);
        if (matches.size() != 1) {
            throw new SaveException(new RecordError("INVALID_FIELD", "Foreign key external ID: " + value
                    + (matches.isEmpty() ? " not found" : " matches more than one record") + " for field "
                    + key.name() + " in entity " + parentType.name(), List.of(lookup.name())));
        }
        return matches.get(0).id();
    }

    private void defaults(Txn txn, SObjectType type, Map<String, Object> values) {
        for (Field f : type.fields()) {
            if (values.get(f.name()) != null || !f.createable()) {
                continue;
            }
            if (f.type() == FieldType.BOOLEAN && !values.containsKey(f.name())) {
                values.put(f.name(), false);
            } else if (f.name().equals("OwnerId")) {
                values.put("OwnerId", txn.user());
            } else if (f.name().equals("CurrencyIsoCode")) {
                values.put("CurrencyIsoCode", schema.settings().corporateCurrency());
            } else if (f.name().equals("OpportunityAccessLevel")) {
                values.put("OpportunityAccessLevel", "Read");
            }
        }
    }

    private static void required(SObjectType type, Map<String, Object> merged, java.util.Set<String> sent,
            Mode mode) {
        List<String> missing = type.fields().stream()
                .filter(f -> !f.nillable() && (mode == Mode.CREATE ? f.isRequiredOnCreate()
                        : f.updateable() && sent.contains(f.name())))
                .filter(f -> merged.get(f.name()) == null || merged.get(f.name()) instanceof String s && s.isEmpty())
                .map(Field::name).toList();
        if (!missing.isEmpty()) {
            throw new SaveException(new RecordError("REQUIRED_FIELD_MISSING",
                    "Required fields are missing: [" + String.join(", ", missing) + "]", missing));
        }
    }

    private void validate(Txn txn, SObjectType type, Map<String, Object> values, String selfId) {
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            Field f = type.field(entry.getKey()).orElseThrow();
            Object value = entry.getValue();
            if (value == null) {
                continue;
            }
            if (value instanceof String s && f.type() != FieldType.REFERENCE && f.length() > 0
                    && s.length() > f.length()) {
                throw new SaveException(new RecordError("STRING_TOO_LONG", f.label() + ": data value too large: "
                        + abbreviate(s) + " (max length=" + f.length() + ")", List.of(f.name())));
            }
            if (value instanceof BigDecimal n) {
                BigDecimal scaled = FieldValues.scaled(f, n);
                if (scaled.precision() - scaled.scale() > f.precision() - f.scale()) {
                    throw new SaveException(new RecordError("NUMBER_OUTSIDE_VALID_RANGE", f.label()
                            + ": value outside of valid range on numeric field: " + n.toPlainString(),
                            List.of(f.name())));
                }
                entry.setValue(scaled);
            }
            if (value instanceof Integer i && String.valueOf(Math.abs(i)).length() > f.precision()) {
                throw new SaveException(new RecordError("NUMBER_OUTSIDE_VALID_RANGE", f.label()
                        + ": value outside of valid range on numeric field: " + i, List.of(f.name())));
            }
            if (f.type() == FieldType.PICKLIST && f.restrictedPicklist() && !f.picklistValues().contains(value)) {
                throw new SaveException(new RecordError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", f.label()
                        + ": bad value for restricted picklist field: " + value, List.of(f.name())));
            }
            if (f.type() == FieldType.MULTIPICKLIST) {
                entry.setValue(multiPicklist(f, (String) value));
            }
            if (f.type() == FieldType.EMAIL && !FieldValues.isEmail((String) value)) {
                throw new SaveException(new RecordError("INVALID_EMAIL_ADDRESS", f.label()
                        + ": invalid email address: " + value, List.of(f.name())));
            }
            if (f.type() == FieldType.REFERENCE) {
                entry.setValue(reference(txn, f, (String) value));
            }
            if (f.unique()) {
                unique(txn, type, f, (String) value, selfId);
            }
        }
    }

    /** A multi-select value: ';'-separated, each value valid, duplicates dropped, kept in the picklist's order. */
    private static String multiPicklist(Field f, String value) {
        List<String> chosen = Arrays.stream(value.split(";")).map(String::trim)
                .filter(v -> !v.isEmpty()).distinct().toList();
        for (String v : chosen) {
            if (f.restrictedPicklist() && !f.picklistValues().contains(v)) {
                throw new SaveException(new RecordError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", f.label()
                        + ": bad value for restricted picklist field: " + v, List.of(f.name())));
            }
        }
        return chosen.isEmpty() ? null : f.picklistValues().stream().filter(chosen::contains)
                .collect(Collectors.joining(";"));
    }

    private String reference(Txn txn, Field f, String value) {
        String id = SalesforceIds.canonical(value).orElseThrow(() -> new SaveException(new RecordError(
                "MALFORMED_ID", f.label() + ": id value of incorrect type: " + value, List.of(f.name()))));
        Optional<SObjectType> target = schema.byKeyPrefix(SalesforceIds.keyPrefix(id));
        if (target.isEmpty() || !f.referenceTo().contains(target.get().name())) {
            throw new SaveException(new RecordError("FIELD_INTEGRITY_EXCEPTION", f.label()
                    + ": id value of incorrect type: " + value, List.of(f.name())));
        }
        Row parent = txn.data().row(id).orElseThrow(() -> new SaveException(new RecordError(
                "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", List.of(f.name()))));
        if (parent.deleted()) {
            throw new SaveException(new RecordError("ENTITY_IS_DELETED", "entity is deleted", List.of(f.name())));
        }
        return id;
    }

    private void unique(Txn txn, SObjectType type, Field f, String value, String selfId) {
        for (Row other : matching(txn, type, f, value)) {
            if (!other.id().equals(selfId)) {
                throw new SaveException(new RecordError("DUPLICATE_VALUE", "duplicate value found: " + f.name()
                        + " duplicates value on record with id: " + other.id(), List.of(f.name())));
            }
        }
    }

    /** Fields Salesforce derives from others, computed on the values being written. */
    private void derive(Txn txn, SObjectType type, Row row, Map<String, Object> values) {
        switch (type.name()) {
            case "Opportunity" -> {
                if (values.containsKey("StageName")) {
                    Stage stage = schema.stage((String) values.get("StageName")).orElseThrow();
                    values.put("IsClosed", stage.closed());
                    values.put("IsWon", stage.won());
                    values.putIfAbsent("ForecastCategoryName", stage.forecastCategory());
                    if (values.get("Probability") == null) {
                        values.put("Probability", BigDecimal.valueOf(stage.probability()));
                    }
                }
                if (values.containsKey("Amount") || values.containsKey("Probability")) {
                    Object amount = values.containsKey("Amount") ? values.get("Amount")
                            : row == null ? null : row.get("Amount");
                    Object probability = values.containsKey("Probability") ? values.get("Probability")
                            : row == null ? null : row.get("Probability");
                    values.put("ExpectedRevenue", amount instanceof BigDecimal a && probability instanceof BigDecimal p
                            ? a.multiply(p).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP) : null);
                }
            }
            case "Contact" -> {
                if (values.containsKey("FirstName") || values.containsKey("LastName")) {
                    Object first = values.containsKey("FirstName") ? values.get("FirstName")
                            : row == null ? null : row.get("FirstName");
                    Object last = values.containsKey("LastName") ? values.get("LastName") : row.get("LastName");
                    values.put("Name", ((first == null ? "" : first + " ") + last).trim());
                }
            }
            case "OpportunityTeamMember" -> {
                if (row == null) {
                    txn.data().row((String) values.get("UserId")).ifPresent(user -> {
                        values.put("Name", user.get("Name"));
                        values.put("Title", user.get("Title"));
                    });
                }
            }
            case "Microsoft_Solution__c" -> {
                if (row == null) {
                    values.put("Name", String.format("MS-%06d", txn.data().rows(type).size() + 1));
                }
            }
            default -> {
            }
        }
    }

    /** The audit stamps, in whole seconds as Salesforce keeps them (two saves in one second share a stamp). */
    private static void system(Txn txn, Map<String, Object> values, boolean create) {
        Instant stamp = txn.now().truncatedTo(ChronoUnit.SECONDS);
        if (create) {
            values.put("IsDeleted", false);
            values.put("CreatedDate", stamp);
            values.put("CreatedById", txn.user());
        }
        values.put("LastModifiedDate", stamp);
        values.put("LastModifiedById", txn.user());
        values.put("SystemModstamp", stamp);
    }

    /** Effects on other rows: the primary contact role. */
    private void after(Txn txn, Row row, Map<String, Object> values) {
        if (!row.type().name().equals("OpportunityContactRole") || !values.containsKey("IsPrimary")
                && !values.containsKey("ContactId")) {
            return;
        }
        Row opportunity = txn.data().row((String) row.get("OpportunityId")).orElseThrow();
        if (Boolean.TRUE.equals(row.get("IsPrimary"))) {
            for (Row other : live(txn, row.type())) {
                if (!other.id().equals(row.id()) && opportunity.id().equals(other.get("OpportunityId"))
                        && Boolean.TRUE.equals(other.get("IsPrimary"))) {
                    touch(txn, other, mapOf("IsPrimary", false));
                }
            }
            if (!Objects.equals(opportunity.get("ContactId"), row.get("ContactId"))) {
                touch(txn, opportunity, mapOf("ContactId", row.get("ContactId")));
            }
        } else if (Objects.equals(opportunity.get("ContactId"), row.get("ContactId"))) {
            touch(txn, opportunity, mapOf("ContactId", null));
        }
    }

    /** A system-made change to another row (no validation: Salesforce itself makes it). */
    private static void touch(Txn txn, Row row, Map<String, Object> values) {
        system(txn, values, false);
        txn.update(row, values);
    }

    private static Map<String, Object> mapOf(String field, Object value) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(field, value);
        return map;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
