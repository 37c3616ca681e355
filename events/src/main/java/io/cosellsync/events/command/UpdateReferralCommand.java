package io.cosellsync.events.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.util.List;

/**
 * Change an existing referral with a JSON Patch sent with If-Match. Key: {@code opportunityId}, so all changes
 * of one opportunity stay in order whichever referral they address.
 *
 * @param baseETag the eTag the patch was computed against, or null to use the current one
 */
public record UpdateReferralCommand(
        @JsonProperty(required = true) String referralId,
        @JsonProperty(required = true) String opportunityId,
        @JsonProperty(required = true) List<PatchOperation> operations,
        String baseETag) {

    public UpdateReferralCommand {
        Require.present(referralId, "referralId");
        Require.present(opportunityId, "opportunityId");
        operations = Require.list(operations);
        if (operations.isEmpty()) {
            throw new Require.MissingField("operations");
        }
    }
}
