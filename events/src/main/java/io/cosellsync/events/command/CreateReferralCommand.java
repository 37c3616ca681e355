package io.cosellsync.events.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import io.cosellsync.events.partnercenter.ReferralDraft;

/**
 * Create the referral of an opportunity that has none (at most one per opportunity, even across crashes).
 * Key: {@code opportunityId}.
 *
 * @param shareWithMicrosoft after creating, share it with Microsoft sellers (the documented second step)
 */
public record CreateReferralCommand(
        @JsonProperty(required = true) String opportunityId,
        @JsonProperty(required = true) ReferralDraft referral,
        boolean shareWithMicrosoft) implements PartnerCenterCommand {

    public CreateReferralCommand {
        Require.present(opportunityId, "opportunityId");
        Require.present(referral, "referral");
    }
}
