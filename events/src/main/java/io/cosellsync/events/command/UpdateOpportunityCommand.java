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
 */
public record UpdateOpportunityCommand(
        @JsonProperty(required = true) String opportunityId,
        @JsonProperty(required = true) Map<String, Object> fields,
        String reason,
        String auditField,
        Mark mark) implements SalesforceCommand {

    /** ✔ after a successful sync, ✖ after a failed one. */
    public enum Mark {
        SUCCEEDED,
        FAILED
    }

    public UpdateOpportunityCommand {
        Require.present(opportunityId, "opportunityId");
        Require.present(fields, "fields");
        fields = Require.fields(fields);
    }
}
