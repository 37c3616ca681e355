package io.cosellsync.events.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.util.List;
import java.util.Map;

/**
 * Create or update the opportunity of a referral, upserting by the Referral Identifier external id field so a
 * redelivered command never makes a second opportunity. Key: {@code referralId}.
 *
 * @param opportunityFields Opportunity fields by API name, already filtered by field ownership
 * @param solutions         desired {@code Microsoft_Solution__c} children, matched by solution id
 */
public record UpsertOpportunityCommand(
        @JsonProperty(required = true) String referralId,
        Map<String, Object> opportunityFields,
        AccountUpsert account,
        List<ContactUpsert> contacts,
        List<SolutionUpsert> solutions) {

    public UpsertOpportunityCommand {
        Require.present(referralId, "referralId");
        opportunityFields = Require.fields(opportunityFields);
        contacts = Require.list(contacts);
        solutions = Require.list(solutions);
    }
}
