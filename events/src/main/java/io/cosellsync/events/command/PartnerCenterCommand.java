package io.cosellsync.events.command;

import java.util.function.Function;

/** What {@code partnercenter.referral.commands} carries: a referral to create, or one to update. */
public sealed interface PartnerCenterCommand permits CreateReferralCommand, UpdateReferralCommand {

    /** The opportunity the command comes from. */
    String opportunityId();

    /** The result of {@code create} or {@code update}, whichever this command is. */
    default <R> R either(Function<CreateReferralCommand, R> create, Function<UpdateReferralCommand, R> update) {
        return this instanceof CreateReferralCommand c ? create.apply(c) : update.apply((UpdateReferralCommand) this);
    }
}
