package io.cosellsync.events.partnercenter;

/**
 * Who invited whom and why. {@code assistanceRequestCode} is "How can Microsoft help?"; an organisation id
 * of {@code msft} means Microsoft shared the referral.
 */
public record InviteContext(String notes, String assistanceRequestCode, String invitedByOrganizationId,
        String invitedByOrganizationName) {
}
