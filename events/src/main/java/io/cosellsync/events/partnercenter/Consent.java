package io.cosellsync.events.partnercenter;

/**
 * The referral's {@code consent} block. {@code shareWithMicrosoftSellers} is what makes a deal visible to
 * Microsoft (false = private); Partner Center spells the first one {@code consentToToShareInfoWithOthers}.
 */
public record Consent(Boolean shareInfoWithOthers, Boolean contact, Boolean microsoftToContactSpecificPartners,
        Boolean shareWithMicrosoftSellers) {
}
