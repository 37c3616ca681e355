package io.cosellsync.events.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.util.List;

/**
 * Change an existing referral. Three kinds, possibly together: {@code operations}, a JSON Patch applied as given
 * (e.g. writing back {@code externalReferenceId}); {@code opportunity}, the opportunity as Salesforce has it now,
 * which partnercenter-writer applies onto the referral's current state through the tenant's field map and ownership
 * rules, sending only what differs (with If-Match) and moving the referral's status as the stage asks; and
 * {@code restoreSalesforceOwned}: Partner Center changed the referral, so the values Salesforce owns (by the tenant's
 * ownership) are set back to what both sides last agreed on, where they differ. Key: {@code opportunityId}, so all
 * changes of one opportunity stay in order whichever referral they address; a restore made from a referral change
 * may not know its opportunity (the writer finds it by the referral) and is keyed by the referral id.
 *
 * @param opportunityId          required, except for a restore
 * @param operations             JSON Patch operations to apply as they are; may be empty when {@code opportunity} is
 *                               given or for a restore
 * @param baseETag               the eTag {@code operations} were computed against, or null to use the current one
 * @param opportunity            the opportunity's image, or null
 * @param restoreSalesforceOwned set back the fields Salesforce owns that Partner Center changed (v1 addition)
 */
public record UpdateReferralCommand(
        @JsonProperty(required = true) String referralId,
        String opportunityId,
        List<PatchOperation> operations,
        String baseETag,
        OpportunityImage opportunity,
        boolean restoreSalesforceOwned) implements PartnerCenterCommand {

    public UpdateReferralCommand {
        Require.present(referralId, "referralId");
        if (!restoreSalesforceOwned) {
            Require.present(opportunityId, "opportunityId");
        }
        operations = Require.list(operations);
        if (operations.isEmpty() && opportunity == null && !restoreSalesforceOwned) {
            throw new Require.MissingField("operations");
        }
    }

    /** The opportunity's image and/or operations. */
    public UpdateReferralCommand(String referralId, String opportunityId, List<PatchOperation> operations,
            String baseETag, OpportunityImage opportunity) {
        this(referralId, opportunityId, operations, baseETag, opportunity, false);
    }

    /** Only the given operations. */
    public UpdateReferralCommand(String referralId, String opportunityId, List<PatchOperation> operations,
            String baseETag) {
        this(referralId, opportunityId, operations, baseETag, null, false);
    }

    /** Partner Center changed the referral: set back what Salesforce owns. */
    public static UpdateReferralCommand restoreSalesforceOwned(String referralId, String opportunityId) {
        return new UpdateReferralCommand(referralId, opportunityId, List.of(), null, null, true);
    }
}
