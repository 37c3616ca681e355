package io.cosellsync.simulator.salesforce.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.simulator.salesforce.data.Dml;
import io.cosellsync.simulator.salesforce.data.OrgData.Savepoint;
import io.cosellsync.simulator.salesforce.data.OrgData.Txn;
import io.cosellsync.simulator.salesforce.data.RecordError;
import io.cosellsync.simulator.salesforce.data.Row;
import io.cosellsync.simulator.salesforce.data.SaveException;
import io.cosellsync.simulator.salesforce.schema.Field;
import io.cosellsync.simulator.salesforce.schema.SObjectType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * sObject Collections ({@code /composite/sobjects}, salesforce-api.md §2.7): up to 200 records per call, one API
 * call, results in request order with per-record {@code statusCode} errors; with {@code allOrNone} one failure
 * rolls every record back and the others report ALL_OR_NONE_OPERATION_ROLLED_BACK. A malformed request (too many
 * records, an unknown field, a value of the wrong type) is a 400 for the whole call.
 */
@ApplicationScoped
public class Collections {

    static final int MAX_RECORDS = 200;
    static final int MAX_TYPE_CHUNKS = 10;

    private static final RecordError ROLLED_BACK = new RecordError("ALL_OR_NONE_OPERATION_ROLLED_BACK",
            "Record rolled back because not all records were valid and the request was using AllOrNone header");

    /** One record's outcome before it is rendered. */
    private record Outcome(String id, Boolean created, List<RecordError> errors) {
        boolean success() {
            return errors.isEmpty();
        }
    }

    public ApiResponse create(ApiCall call, ObjectNode body) {
        List<ObjectNode> records = records(body);
        List<SObjectType> types = typesOf(call, records);
        return run(call, body.path("allOrNone").asBoolean(false), records.size(), (txn, i) -> {
            if (records.get(i).has("id") || records.get(i).has("Id")) {
                throw new SaveException(new RecordError("INVALID_FIELD",
                        "cannot specify Id in an insert call", List.of("Id")));
            }
            return new Outcome(call.org().dml().create(txn, types.get(i), records.get(i)), null, List.of());
        }, false);
    }

    public ApiResponse update(ApiCall call, ObjectNode body) {
        List<ObjectNode> records = records(body);
        List<SObjectType> types = typesOf(call, records);
        return run(call, body.path("allOrNone").asBoolean(false), records.size(), (txn, i) -> {
            ObjectNode record = records.get(i);
            String id = record.has("id") ? record.get("id").asText() : record.path("Id").asText(null);
            if (id == null) {
                throw new SaveException(new RecordError("MISSING_ARGUMENT", "Id not specified in an update call",
                        List.of("Id")));
            }
            try {
                call.org().dml().update(txn, types.get(i), id, record);
            } catch (SaveException e) {
                if (e.requestLevel()) {
                    throw e;
                }
                throw new IdentifiedFailure(id, e.errors());
            }
            return new Outcome(Dml.rowOf(txn.data(), types.get(i), id).id(), null, List.of());
        }, false);
    }

    /** Upsert of one object type keyed by an external id; duplicates of a key inside the request both fail. */
    public ApiResponse upsert(ApiCall call, String objectName, String externalIdField, ObjectNode body) {
        SObjectType type = RestApi.type(call, objectName);
        Field key = Dml.externalIdField(type, externalIdField);
        List<ObjectNode> records = records(body);
        for (ObjectNode record : records) {
            String declared = record.path("attributes").path("type").asText(type.name());
            if (!declared.equalsIgnoreCase(type.name())) {
                throw SaveException.requestLevel(new RecordError("INVALID_FIELD", "Upsert takes records of one "
                        + "type: " + declared + " is not " + type.name()));
            }
        }
        Map<String, Integer> keyCounts = new HashMap<>();
        for (ObjectNode record : records) {
            JsonNode value = fieldOf(record, key.name());
            if (value != null && !value.isNull()) {
                keyCounts.merge(value.asText().toLowerCase(Locale.ROOT), 1, Integer::sum);
            }
        }
        return run(call, body.path("allOrNone").asBoolean(false), records.size(), (txn, i) -> {
            ObjectNode record = records.get(i).deepCopy();
            JsonNode value = fieldOf(record, key.name());
            if (value == null || value.isNull() || value.asText().isEmpty()) {
                throw new SaveException(new RecordError("MISSING_ARGUMENT", "External ID field " + key.name()
                        + " has no value", List.of(key.name())));
            }
            if (keyCounts.get(value.asText().toLowerCase(Locale.ROOT)) > 1) {
                throw new SaveException(new RecordError("DUPLICATE_EXTERNAL_ID", "Duplicate external id "
                        + "specified: " + value.asText(), List.of(key.name())));
            }
            record.remove(fieldName(record, key.name()));
            try {
                Dml.Upserted result = call.org().dml().upsert(txn, type, key.name(), value.asText(), record,
                        false);
                return new Outcome(result.id(), result.created(), List.of());
            } catch (Dml.MultipleMatches e) {
                throw new SaveException(new RecordError("DUPLICATE_EXTERNAL_ID", "more than one record found for "
                        + "external id field: " + e.ids(), List.of(key.name())));
            }
        }, true);
    }

    public ApiResponse delete(ApiCall call, String idList, boolean allOrNone) {
        List<String> ids = idList == null ? List.of()
                : java.util.Arrays.stream(idList.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        checkSize(ids.size());
        return run(call, allOrNone, ids.size(), (txn, i) -> {
            try {
                call.org().dml().delete(txn, ids.get(i));
            } catch (SaveException e) {
                throw new IdentifiedFailure(ids.get(i), e.errors());
            }
            return new Outcome(ids.get(i), null, List.of());
        }, false);
    }

    /** Records by id, in the order asked (null for an id with no live record); {@code fields} is required. */
    public ApiResponse retrieve(ApiCall call, String objectName, List<String> ids, List<String> fieldNames) {
        SObjectType type = RestApi.type(call, objectName);
        if (fieldNames.isEmpty()) {
            throw SaveException.requestLevel(new RecordError("MISSING_ARGUMENT", "fields is required"));
        }
        checkSize(ids.size());
        List<Field> fields = Records.fields(type, String.join(",", fieldNames));
        List<Object> out = new ArrayList<>();
        for (String id : ids) {
            Row row;
            try {
                row = Dml.rowOf(call.org().data(), type, id);
            } catch (SaveException e) {
                row = null;
            }
            out.add(row == null || row.deleted() ? null : Records.render(row, call.version(), fields));
        }
        return ApiResponse.of(200, out);
    }

    /** A failure that still names its record (updates and deletes report the id they were given). */
    private static final class IdentifiedFailure extends RuntimeException {
        private final String id;
        private final transient List<RecordError> errors;

        IdentifiedFailure(String id, List<RecordError> errors) {
            super(null, null, false, false);
            this.id = id;
            this.errors = errors;
        }
    }

    private ApiResponse run(ApiCall call, boolean allOrNone, int size, BiFunction<Txn, Integer, Outcome> each,
            boolean upsert) {
        List<Outcome> outcomes = new ArrayList<>();
        try {
            call.write(txn -> applyEach(txn, allOrNone, size, each, outcomes));
        } catch (AllOrNoneFailure rolledBack) {
            // every outcome already says why
        }
        return ApiResponse.of(200, outcomes.stream().map(o -> render(o, upsert)).toList());
    }

    /** Each record behind its own savepoint; with allOrNone one failure rolls all back (by throwing). */
    private static Void applyEach(Txn txn, boolean allOrNone, int size, BiFunction<Txn, Integer, Outcome> each,
            List<Outcome> outcomes) {
        boolean failed = false;
        for (int i = 0; i < size; i++) {
            Savepoint savepoint = txn.savepoint();
            try {
                outcomes.add(each.apply(txn, i));
            } catch (SaveException e) {
                if (e.requestLevel()) {
                    throw e;
                }
                txn.rollbackTo(savepoint);
                outcomes.add(new Outcome(null, null, e.errors()));
                failed = true;
            } catch (IdentifiedFailure e) {
                txn.rollbackTo(savepoint);
                outcomes.add(new Outcome(e.id, null, e.errors));
                failed = true;
            }
        }
        if (failed && allOrNone) {
            for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i).success()) {
                    outcomes.set(i, new Outcome(null, null, List.of(ROLLED_BACK)));
                }
            }
            throw new AllOrNoneFailure();
        }
        return null;
    }

    /** Rolls an all-or-none batch back; the outcomes already say why. */
    private static final class AllOrNoneFailure extends RuntimeException {
        AllOrNoneFailure() {
            super(null, null, false, false);
        }
    }

    private static Map<String, Object> render(Outcome outcome, boolean upsert) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (outcome.id() != null) {
            out.put("id", outcome.id());
        }
        out.put("success", outcome.success());
        out.put("errors", outcome.errors().stream().map(ApiResponse::nested).toList());
        if (upsert && outcome.success()) {
            out.put("created", outcome.created());
        }
        return out;
    }

    private static List<ObjectNode> records(ObjectNode body) {
        JsonNode records = body.get("records");
        if (records == null || !records.isArray()) {
            throw SaveException.requestLevel(new RecordError("JSON_PARSER_ERROR", "records must be an array"));
        }
        checkSize(records.size());
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode record : records) {
            if (!record.isObject()) {
                throw SaveException.requestLevel(new RecordError("JSON_PARSER_ERROR",
                        "Cannot deserialize instance of sObject from " + record.getNodeType() + " value"));
            }
            out.add((ObjectNode) record);
        }
        return out;
    }

    private static void checkSize(int size) {
        if (size > MAX_RECORDS) {
            throw SaveException.requestLevel(new RecordError("EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than " + MAX_RECORDS + " records into this call"));
        }
    }

    /** Each record's type from its attributes; contiguous runs of one type are chunks, at most ten. */
    private static List<SObjectType> typesOf(ApiCall call, List<ObjectNode> records) {
        List<SObjectType> types = new ArrayList<>();
        int chunks = 0;
        for (ObjectNode record : records) {
            String name = record.path("attributes").path("type").asText(null);
            if (name == null) {
                throw SaveException.requestLevel(new RecordError("INVALID_TYPE",
                        "When using the sObject Collections resource, each record needs attributes.type"));
            }
            SObjectType type = call.org().schema().type(name).orElseThrow(() -> SaveException.requestLevel(
                    new RecordError("INVALID_TYPE", "sObject type '" + name + "' is not supported.")));
            if (types.isEmpty() || types.get(types.size() - 1) != type) {
                chunks++;
            }
            types.add(type);
        }
        if (chunks > MAX_TYPE_CHUNKS) {
            throw SaveException.requestLevel(new RecordError("INVALID_BATCH_REQUEST", "Too many type chunks: "
                    + chunks + " (the limit is " + MAX_TYPE_CHUNKS + "); group records by type"));
        }
        return types;
    }

    private static JsonNode fieldOf(ObjectNode record, String name) {
        String actual = fieldName(record, name);
        return actual == null ? null : record.get(actual);
    }

    private static String fieldName(ObjectNode record, String name) {
        java.util.Iterator<String> names = record.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (n.equalsIgnoreCase(name)) {
                return n;
            }
        }
        return null;
    }
}
