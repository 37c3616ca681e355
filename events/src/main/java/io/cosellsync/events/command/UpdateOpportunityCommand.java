package io.cosellsync.events.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.util.Map;

/**
 * Update fields of an existing opportunity addressed by its Salesforce Id (write-back of the referral id and
 * link, check mark, Audit). Never creates a record: a missing opportunity is a failure. Key: {@code opportunityId}.
 *
 * @param reason why we write, recorded in the Audit trail
 */
public record UpdateOpportunityCommand(
        @JsonProperty(required = true) String opportunityId,
        @JsonProperty(required = true) Map<String, Object> fields,
        String reason) {

    public UpdateOpportunityCommand {
        Require.present(opportunityId, "opportunityId");
        Require.present(fields, "fields");
        fields = Require.fields(fields);
    }
}
