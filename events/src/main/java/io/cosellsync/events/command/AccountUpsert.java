package io.cosellsync.events.command;

import io.cosellsync.events.Require;
import java.util.Map;

/**
 * The customer account of an opportunity: an existing account whose {@code match} fields all equal these values is
 * the customer (the tenant's matching rule, default name and country); otherwise one is created.
 *
 * @param match            Account field → value that identify the customer
 * @param fields           Account fields written on a created or matched account
 * @param createOnlyFields Account fields written only when the account is created
 */
public record AccountUpsert(Map<String, Object> match, Map<String, Object> fields,
        Map<String, Object> createOnlyFields) {

    public AccountUpsert {
        match = Require.fields(match);
        if (match.isEmpty() || match.values().stream().anyMatch(java.util.Objects::isNull)) {
            throw new Require.MissingField("match");
        }
        fields = Require.fields(fields);
        createOnlyFields = Require.fields(createOnlyFields);
    }
}
