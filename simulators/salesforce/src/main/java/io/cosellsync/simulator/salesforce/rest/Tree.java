package io.cosellsync.simulator.salesforce.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.simulator.salesforce.data.OrgData.Txn;
import io.cosellsync.simulator.salesforce.data.RecordError;
import io.cosellsync.simulator.salesforce.data.SaveException;
import io.cosellsync.simulator.salesforce.schema.OrgSchema.ChildRelationship;
import io.cosellsync.simulator.salesforce.schema.SObjectType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * sObject Tree ({@code POST /composite/tree/{object}}): records of one root type with nested children under
 * their child relationship names, up to 200 in all, created together or not at all. 201 with each
 * {@code referenceId}'s new id, or 400 {@code hasErrors} naming the records that failed. The seller's seed
 * endpoint uses the same format.
 */
@ApplicationScoped
public class Tree {

    /** A record that failed, by its referenceId. */
    private static final class TreeFailure extends RuntimeException {
        private final String referenceId;
        private final transient List<RecordError> errors;

        TreeFailure(String referenceId, List<RecordError> errors) {
            super(null, null, false, false);
            this.referenceId = referenceId;
            this.errors = errors;
        }
    }

    public ApiResponse create(ApiCall call, String objectName, ObjectNode body) {
        SObjectType root = RestApi.type(call, objectName);
        JsonNode records = body.get("records");
        if (records == null || !records.isArray() || records.isEmpty()) {
            throw SaveException.requestLevel(new RecordError("JSON_PARSER_ERROR", "records must be an array"));
        }
        int total = count(records);
        if (total > Collections.MAX_RECORDS) {
            throw SaveException.requestLevel(new RecordError("LIMIT_EXCEEDED", "A tree request may hold at most "
                    + Collections.MAX_RECORDS + " records, not " + total));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        try {
            call.write(txn -> {
                Set<String> seen = new HashSet<>();
                for (JsonNode record : records) {
                    insert(call, txn, root, record, null, seen, results);
                }
                return null;
            });
        } catch (TreeFailure e) {
            Map<String, Object> failure = new LinkedHashMap<>();
            failure.put("referenceId", e.referenceId);
            failure.put("errors", e.errors.stream().map(ApiResponse::nested).toList());
            return ApiResponse.of(400, Map.of("hasErrors", true, "results", List.of(failure)));
        }
        return ApiResponse.of(201, Map.of("hasErrors", false, "results", results));
    }

    private static int count(JsonNode records) {
        int n = 0;
        for (JsonNode record : records) {
            n++;
            var fields = record.fields();
            while (fields.hasNext()) {
                JsonNode value = fields.next().getValue();
                if (value.isObject() && value.has("records")) {
                    n += count(value.get("records"));
                }
            }
        }
        return n;
    }

    private void insert(ApiCall call, Txn txn, SObjectType type, JsonNode node, ChildRelationship parentLink,
            Set<String> seen, List<Map<String, Object>> results) {
        String referenceId = node.path("attributes").path("referenceId").asText("");
        if (!node.isObject() || referenceId.isEmpty() || !seen.add(referenceId)) {
            throw new TreeFailure(referenceId, List.of(new RecordError("INVALID_INPUT",
                    "Each record needs attributes with a unique referenceId")));
        }
        String declared = node.path("attributes").path("type").asText(type.name());
        if (!declared.equalsIgnoreCase(type.name())) {
            throw new TreeFailure(referenceId, List.of(new RecordError("INVALID_TYPE", "Expected a "
                    + type.name() + " record, not " + declared)));
        }
        ObjectNode fields = Records.JSON.createObjectNode();
        Map<ChildRelationship, JsonNode> children = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (e.getKey().equals("attributes")) {
                return;
            }
            Optional<ChildRelationship> child = call.org().schema().childrenOf(type.name()).stream()
                    .filter(c -> c.relationshipName().equalsIgnoreCase(e.getKey())).findFirst();
            if (child.isPresent() && e.getValue().isObject()) {
                children.put(child.get(), e.getValue().path("records"));
            } else {
                fields.set(e.getKey(), e.getValue());
            }
        });
        String id;
        try {
            id = call.org().dml().create(txn, type, fields);
        } catch (SaveException e) {
            throw new TreeFailure(referenceId, e.errors());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("referenceId", referenceId);
        result.put("id", id);
        results.add(result);
        for (Map.Entry<ChildRelationship, JsonNode> entry : children.entrySet()) {
            SObjectType childType = call.org().schema().type(entry.getKey().child()).orElseThrow();
            for (JsonNode child : entry.getValue()) {
                if (child.isObject()) {
                    ((ObjectNode) child).put(entry.getKey().field(), id);
                }
                insert(call, txn, childType, child, entry.getKey(), seen, results);
            }
        }
    }
}
