package io.cosellsync.events.command;

import io.cosellsync.events.Require;
import java.util.Map;

/**
 * A customer contact: matched by e-mail within the account, then linked to the opportunity with a contact role.
 *
 * @param fields Contact fields by API name
 */
public record ContactUpsert(String email, String role, boolean primary, Map<String, Object> fields) {

    public ContactUpsert {
        fields = Require.fields(fields);
    }
}
