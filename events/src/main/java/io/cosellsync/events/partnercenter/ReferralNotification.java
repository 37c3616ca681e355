package io.cosellsync.events.partnercenter;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.time.Instant;

/**
 * A verified Partner Center webhook, as ingress received it (partner-center-api.md §4.3): a pointer to a referral
 * that changed, not the referral. The hydrator fetches the referral it names and publishes a snapshot.
 *
 * @param eventName             e.g. {@code referral-updated}, {@code related-referral-created}
 * @param referralId            the last path segment of {@code ResourceUri}: for {@code related-referral-*} events
 *                              the other party's referral, which the hydrator resolves through its engagement
 * @param resourceUri           {@code ResourceUri} as sent
 * @param resourceChangeUtcDate when Partner Center says the change happened (absent in some test events)
 * @param receivedAt            when ingress accepted the webhook
 */
public record ReferralNotification(
        @JsonProperty(required = true) String eventName,
        @JsonProperty(required = true) String referralId,
        @JsonProperty(required = true) String resourceUri,
        Instant resourceChangeUtcDate,
        @JsonProperty(required = true) Instant receivedAt) {

    public ReferralNotification {
        Require.present(eventName, "eventName");
        Require.present(referralId, "referralId");
        Require.present(resourceUri, "resourceUri");
        Require.present(receivedAt, "receivedAt");
    }

    /** Whether the referral named is the other party's (Microsoft's side of a co-sell engagement). */
    public boolean aboutRelatedReferral() {
        return eventName.startsWith("related-referral-");
    }
}
