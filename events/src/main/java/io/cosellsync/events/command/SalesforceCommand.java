package io.cosellsync.events.command;

import java.util.function.Function;

/** What {@code salesforce.opportunity.commands} carries: a referral's opportunity upserted, or a write-back by Id. */
public sealed interface SalesforceCommand permits UpsertOpportunityCommand, UpdateOpportunityCommand {

    /** The result of {@code upsert} or {@code update}, whichever this command is. */
    default <R> R either(Function<UpsertOpportunityCommand, R> upsert, Function<UpdateOpportunityCommand, R> update) {
        return this instanceof UpsertOpportunityCommand u ? upsert.apply(u)
                : update.apply((UpdateOpportunityCommand) this);
    }
}
