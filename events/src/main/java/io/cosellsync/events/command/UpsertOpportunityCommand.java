package io.cosellsync.events.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Create or update the opportunity of a referral, upserting by the org's Referral Identifier external id field so a
 * redelivered command never makes a second opportunity. Key: {@code referralId}. Field names are this org's API
 * names; the mapper already split them by the tenant's ownership rules.
 *
 * @param externalIdField   the Opportunity field holding the referral id (the upsert key)
 * @param sourceUpdatedAt   the referral's {@code updatedDateTime}: Partner Center's clock for {@code latestFields}
 * @param checkMark         whether the tenant shows ✔/✖ after the opportunity name
 * @param opportunityFields written on create and on every update
 * @param createOnlyFields  written only when the opportunity is created (Salesforce-owned or never overwritten)
 * @param latestFields      names among {@code opportunityFields} owned by "latest": skipped when Salesforce changed
 *                          the field after {@code sourceUpdatedAt}
 * @param stageMove         a stage change that applies only while the opportunity is in a given stage
 * @param children          contacts, solutions and sellers, one entry per collection of the field map
 * @param opportunityId     the opportunity this referral was created from (our own referral's
 *                          {@code externalReferenceId}), or null: that record is the referral's opportunity even
 *                          before its Referral Identifier was written back, so it is never created a second time
 * @param referralETag      the referral version this command was made from, or null: when it is the version our own
 *                          partnercenter-writer's last write made, its {@code latest} values came from Salesforce
 *                          (v1 addition)
 */
public record UpsertOpportunityCommand(
        @JsonProperty(required = true) String referralId,
        @JsonProperty(required = true) String externalIdField,
        @JsonProperty(required = true) Instant sourceUpdatedAt,
        boolean checkMark,
        Map<String, Object> opportunityFields,
        Map<String, Object> createOnlyFields,
        List<String> latestFields,
        StageMove stageMove,
        AccountUpsert account,
        List<ChildRecords> children,
        String opportunityId,
        String referralETag) implements SalesforceCommand {

    public UpsertOpportunityCommand {
        Require.present(referralId, "referralId");
        Require.present(externalIdField, "externalIdField");
        Require.present(sourceUpdatedAt, "sourceUpdatedAt");
        opportunityFields = Require.fields(opportunityFields);
        createOnlyFields = Require.fields(createOnlyFields);
        latestFields = Require.list(latestFields);
        children = Require.list(children);
    }

    /** A command whose referral version is not given. */
    public UpsertOpportunityCommand(String referralId, String externalIdField, Instant sourceUpdatedAt,
            boolean checkMark, Map<String, Object> opportunityFields, Map<String, Object> createOnlyFields,
            List<String> latestFields, StageMove stageMove, AccountUpsert account, List<ChildRecords> children,
            String opportunityId) {
        this(referralId, externalIdField, sourceUpdatedAt, checkMark, opportunityFields, createOnlyFields,
                latestFields, stageMove, account, children, opportunityId, null);
    }

    /** A referral that did not come from an opportunity of ours. */
    public UpsertOpportunityCommand(String referralId, String externalIdField, Instant sourceUpdatedAt,
            boolean checkMark, Map<String, Object> opportunityFields, Map<String, Object> createOnlyFields,
            List<String> latestFields, StageMove stageMove, AccountUpsert account, List<ChildRecords> children) {
        this(referralId, externalIdField, sourceUpdatedAt, checkMark, opportunityFields, createOnlyFields,
                latestFields, stageMove, account, children, null);
    }

    /** Move the opportunity from {@code from} to {@code to}, and only from there (a referral accepted in Partner Center). */
    public record StageMove(@JsonProperty(required = true) String from, @JsonProperty(required = true) String to) {

        public StageMove {
            Require.present(from, "from");
            Require.present(to, "to");
        }
    }
}
