package io.cosellsync.events.salesforce;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.util.Map;

/**
 * One Salesforce record as queried: its Id and its fields by API name. Field API names are configured per
 * tenant, so the snapshot keeps them as Salesforce returned them and the mapper applies the tenant's field map.
 * Values are JSON scalars (string, number, boolean, null); dates stay ISO-8601 strings as on the wire.
 */
public record SObjectRecord(@JsonProperty(required = true) String id, Map<String, Object> fields) {

    public SObjectRecord {
        Require.present(id, "id");
        fields = Require.fields(fields);
    }

    public Object field(String apiName) {
        return fields.get(apiName);
    }
}
