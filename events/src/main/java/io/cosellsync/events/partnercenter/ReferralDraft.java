package io.cosellsync.events.partnercenter;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.util.List;

/**
 * The client-writable part of a referral, as partnercenter-writer POSTs it. {@code externalReferenceId} is
 * the Salesforce opportunity id.
 */
public record ReferralDraft(
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) String externalReferenceId,
        @JsonProperty(required = true) ReferralType type,
        ReferralQualification qualification,
        Customer customer,
        Consent consent,
        Details details,
        List<Member> team,
        InviteContext inviteContext) {

    public ReferralDraft {
        Require.present(name, "name");
        Require.present(externalReferenceId, "externalReferenceId");
        Require.present(type, "type");
        team = Require.list(team);
    }
}
