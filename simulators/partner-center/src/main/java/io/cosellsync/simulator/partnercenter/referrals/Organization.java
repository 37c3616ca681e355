package io.cosellsync.simulator.partnercenter.referrals;

/** A partner organisation (tenant) of the simulator. */
public record Organization(String tenant, String organizationId, String organizationName, String mpnId) {
}
