package io.cosellsync.simulator.salesforce.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.simulator.salesforce.data.FieldValues;
import io.cosellsync.simulator.salesforce.data.RecordError;
import io.cosellsync.simulator.salesforce.data.Row;
import io.cosellsync.simulator.salesforce.data.SaveException;
import io.cosellsync.simulator.salesforce.schema.Field;
import io.cosellsync.simulator.salesforce.schema.SObjectType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records as the REST API writes them ({@code attributes} first, every field, nulls kept) and request bodies read. */
final class Records {

    static final ObjectMapper JSON = new ObjectMapper();

    private Records() {
    }

    static Map<String, Object> render(Row row, String version, List<Field> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attributes", attributes(row.type(), row.id(), version));
        for (Field field : fields) {
            out.put(field.name(), FieldValues.toJson(row.get(field.name())));
        }
        return out;
    }

    static Map<String, Object> attributes(SObjectType type, String id, String version) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("type", type.name());
        attributes.put("url", "/services/data/" + version + "/sobjects/" + type.name() + "/" + id);
        return attributes;
    }

    /** The fields a {@code fields=} list names (all when absent); an unknown one is 400 INVALID_FIELD. */
    static List<Field> fields(SObjectType type, String fieldList) {
        if (fieldList == null || fieldList.isBlank()) {
            return List.copyOf(type.fields());
        }
        List<Field> fields = new ArrayList<>();
        for (String name : Arrays.stream(fieldList.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList()) {
            fields.add(type.field(name).orElseThrow(() -> SaveException.requestLevel(new RecordError(
                    "INVALID_FIELD", "No such column '" + name + "' on entity '" + type.name() + "'. If you are "
                    + "attempting to use a custom field, be sure to append the '__c' after the custom field name. "
                    + "Please reference your WSDL or the describe call for the appropriate names."))));
        }
        return fields;
    }

    /** A request body that must be a JSON object: 400 JSON_PARSER_ERROR otherwise. */
    static ObjectNode object(String body) {
        return object(parse(body));
    }

    static ObjectNode object(JsonNode node) {
        if (!node.isObject()) {
            throw SaveException.requestLevel(new RecordError("JSON_PARSER_ERROR",
                    "Cannot deserialize instance of sObject from " + node.getNodeType() + " value"));
        }
        return (ObjectNode) node;
    }

    static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw SaveException.requestLevel(new RecordError("JSON_PARSER_ERROR",
                    "No content to map due to end-of-input"));
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw SaveException.requestLevel(new RecordError("JSON_PARSER_ERROR", e.getOriginalMessage()
                    + " at [line:" + e.getLocation().getLineNr() + ", column:" + e.getLocation().getColumnNr()
                    + "]"));
        }
    }
}
