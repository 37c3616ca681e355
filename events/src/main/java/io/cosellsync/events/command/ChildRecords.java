package io.cosellsync.events.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.util.List;
import java.util.Map;

/**
 * The records one of the referral's lists becomes: customer contacts (Contact, linked by OpportunityContactRole),
 * solutions ({@code Microsoft_Solution__c} children) or the partner's sellers (User, linked by
 * OpportunityTeamMember). The set in Salesforce is made equal to {@code records}; each record finds its existing
 * counterpart by {@code matchField}.
 *
 * @param object     the object holding the values
 * @param link       the junction object tying a record to the opportunity, or null for a direct child
 * @param matchField the field by which a record finds its counterpart
 * @param records    field maps by API name, in the referral's order
 */
public record ChildRecords(
        @JsonProperty(required = true) String object,
        String link,
        @JsonProperty(required = true) String matchField,
        List<Map<String, Object>> records) {

    public ChildRecords {
        Require.present(object, "object");
        Require.present(matchField, "matchField");
        records = Require.list(records).stream().map(Require::fields).toList();
    }
}
