package io.cosellsync.events.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.util.Map;

/**
 * Update fields of an existing opportunity addressed by its Salesforce Id (write-back of the referral id, link and
 * Microsoft CRM id, the check mark, the Audit trail). Never creates a record: a missing opportunity is a failure.
 * Key: {@code opportunityId}.
 *
 * @param fields     Opportunity fields to set, by this org's API names
 * @param reason     why we write: the line added to the Audit trail
 * @param auditField the org's Audit field, or null to keep no trail
 * @param mark       the sync mark to show after the opportunity's name, or null to leave the name alone
 * @param expected   for fields set back to Partner Center's value (it won over the opportunity's): the value the
 *                   opportunity held then; a field that holds another value now was saved since (by a seller, or
 *                   by the way in with a newer value) and is left alone (v1 addition)
 */
public record UpdateOpportunityCommand(
        @JsonProperty(required = true) String opportunityId,
        @JsonProperty(required = true) Map<String, Object> fields,
        String reason,
        String auditField,
        Mark mark,
        Map<String, Object> expected) implements SalesforceCommand {

    /** ✔ after a successful sync, ✖ after a failed one. */
    public enum Mark {
        SUCCEEDED,
        FAILED
    }

    public UpdateOpportunityCommand {
        Require.present(opportunityId, "opportunityId");
        Require.present(fields, "fields");
        fields = Require.fields(fields);
        expected = Require.fields(expected);
    }

    /** A write-back of values that overwrite whatever the opportunity holds. */
    public UpdateOpportunityCommand(String opportunityId, Map<String, Object> fields, String reason, String auditField,
            Mark mark) {
        this(opportunityId, fields, reason, auditField, mark, Map.of());
    }
}
