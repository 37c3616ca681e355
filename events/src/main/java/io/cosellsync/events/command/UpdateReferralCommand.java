package io.cosellsync.events.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.util.List;

/**
 * Change an existing referral. Two kinds, possibly together: {@code operations}, a JSON Patch applied as given (e.g.
 * writing back {@code externalReferenceId}); and {@code opportunity}, the opportunity as Salesforce has it now, which
 * partnercenter-writer applies onto the referral's current state through the tenant's field map and ownership rules,
 * sending only what differs (with If-Match) and moving the referral's status as the stage asks. Key:
 * {@code opportunityId}, so all changes of one opportunity stay in order whichever referral they address.
 *
 * @param operations  JSON Patch operations to apply as they are; may be empty when {@code opportunity} is given
 * @param baseETag    the eTag {@code operations} were computed against, or null to use the current one
 * @param opportunity the opportunity's image, or null
 */
public record UpdateReferralCommand(
        @JsonProperty(required = true) String referralId,
        @JsonProperty(required = true) String opportunityId,
        List<PatchOperation> operations,
        String baseETag,
        OpportunityImage opportunity) {

    public UpdateReferralCommand {
        Require.present(referralId, "referralId");
        Require.present(opportunityId, "opportunityId");
        operations = Require.list(operations);
        if (operations.isEmpty() && opportunity == null) {
            throw new Require.MissingField("operations");
        }
    }

    /** Only the given operations. */
    public UpdateReferralCommand(String referralId, String opportunityId, List<PatchOperation> operations,
            String baseETag) {
        this(referralId, opportunityId, operations, baseETag, null);
    }
}
