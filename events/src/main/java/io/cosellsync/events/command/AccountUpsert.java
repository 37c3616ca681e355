package io.cosellsync.events.command;

import io.cosellsync.events.Require;
import java.util.Map;

/**
 * The customer account for an opportunity: matched by name and country code before one is created.
 *
 * @param fields Account fields by API name to set on a created or matched account
 */
public record AccountUpsert(String name, String countryCode, Map<String, Object> fields) {

    public AccountUpsert {
        Require.present(name, "name");
        fields = Require.fields(fields);
    }
}
