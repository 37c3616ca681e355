package io.cosellsync.simulator.partnercenter.referrals;

/** A referral was created or changed (CDI event, fired after the write). */
public record ReferralChanged(String tenant, String referralId, boolean created, String organizationId) {
}
