package io.cosellsync.simulator.salesforce.rest;

import io.cosellsync.simulator.salesforce.schema.Field;
import io.cosellsync.simulator.salesforce.schema.OrgSchema;
import io.cosellsync.simulator.salesforce.schema.OrgSchema.ChildRelationship;
import io.cosellsync.simulator.salesforce.schema.SObjectType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** describeGlobal and describeSObject results in the REST API's shapes. */
final class Describe {

    private Describe() {
    }

    static Map<String, Object> global(OrgSchema schema, String version) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("encoding", "UTF-8");
        out.put("maxBatchSize", 200);
        out.put("sobjects", schema.types().stream().map(t -> basic(t, version)).toList());
        return out;
    }

    static Map<String, Object> basic(SObjectType type, String version) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", type.name());
        out.put("label", type.label());
        out.put("labelPlural", type.labelPlural());
        out.put("keyPrefix", type.keyPrefix());
        out.put("custom", type.custom());
        out.put("createable", type.createable());
        out.put("updateable", type.createable());
        out.put("deletable", type.createable());
        out.put("undeletable", type.undeletable());
        out.put("queryable", true);
        out.put("retrieveable", true);
        out.put("searchable", true);
        String base = "/services/data/" + version + "/sobjects/" + type.name();
        out.put("urls", Map.of("sobject", base, "describe", base + "/describe", "rowTemplate", base + "/{ID}"));
        return out;
    }

    static Map<String, Object> full(OrgSchema schema, SObjectType type, String version) {
        Map<String, Object> out = basic(type, version);
        out.put("fields", type.fields().stream().map(Describe::field).toList());
        List<Map<String, Object>> children = schema.childrenOf(type.name()).stream().map(Describe::child).toList();
        out.put("childRelationships", children);
        out.put("recordTypeInfos", List.of());
        return out;
    }

    private static Map<String, Object> field(Field f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", f.name());
        out.put("label", f.label());
        out.put("type", f.type().describeName());
        out.put("soapType", f.type().soapType());
        out.put("length", f.length());
        out.put("byteLength", f.length() * 3);
        out.put("precision", f.precision());
        out.put("scale", f.scale());
        out.put("digits", f.type().describeName().equals("int") ? f.precision() : 0);
        out.put("nillable", f.nillable());
        out.put("createable", f.createable());
        out.put("updateable", f.updateable());
        out.put("defaultedOnCreate", f.defaultedOnCreate());
        out.put("calculated", f.calculated());
        out.put("custom", f.custom());
        out.put("externalId", f.externalId());
        out.put("unique", f.unique());
        out.put("idLookup", f.externalId() || f.name().equals("Id"));
        out.put("caseSensitive", false);
        out.put("filterable", true);
        out.put("sortable", !f.type().describeName().equals("textarea") || f.length() <= 255);
        out.put("restrictedPicklist", f.restrictedPicklist());
        out.put("picklistValues", f.picklistValues().stream().map(v -> {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("active", true);
            value.put("defaultValue", false);
            value.put("label", v);
            value.put("validFor", null);
            value.put("value", v);
            return value;
        }).toList());
        out.put("referenceTo", f.referenceTo());
        out.put("relationshipName", f.relationshipName());
        out.put("cascadeDelete", f.cascadeDelete());
        return out;
    }

    private static Map<String, Object> child(ChildRelationship c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("childSObject", c.child());
        out.put("field", c.field());
        out.put("relationshipName", c.relationshipName());
        out.put("cascadeDelete", c.cascadeDelete());
        out.put("deprecatedAndHidden", false);
        out.put("restrictedDelete", false);
        return out;
    }
}
