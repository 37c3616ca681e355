package io.cosellsync.events.partnercenter;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.time.Instant;
import java.util.List;

/**
 * A Partner Center referral as ingress read it after a notification (the webhook only names the referral),
 * normalised from Partner Center's wire format. Key: {@code referralId}. Source version: {@code eTag}.
 *
 * @param microsoftCrmId {@code trackingInfo.microsoftMsxId}, set once Microsoft engages
 * @param referralLink   the referral's {@code links.self} URI
 */
public record ReferralSnapshot(
        @JsonProperty(required = true) String referralId,
        String engagementId,
        @JsonProperty(required = true) String name,
        String externalReferenceId,
        String organizationId,
        @JsonProperty(required = true) ReferralStatus status,
        @JsonProperty(required = true) ReferralSubstatus substatus,
        String statusReason,
        @JsonProperty(required = true) ReferralType type,
        ReferralQualification qualification,
        @JsonProperty(required = true) ReferralDirection direction,
        Instant createdDateTime,
        @JsonProperty(required = true) Instant updatedDateTime,
        Instant expirationDateTime,
        Instant acceptedDateTime,
        Instant closedDateTime,
        @JsonProperty(required = true) String eTag,
        Customer customer,
        Consent consent,
        Details details,
        List<Member> team,
        InviteContext inviteContext,
        String microsoftCrmId,
        String referralLink) {

    public ReferralSnapshot {
        Require.present(referralId, "referralId");
        Require.present(name, "name");
        Require.present(status, "status");
        Require.present(substatus, "substatus");
        Require.present(type, "type");
        Require.present(direction, "direction");
        Require.present(updatedDateTime, "updatedDateTime");
        Require.present(eTag, "eTag");
        team = Require.list(team);
    }
}
