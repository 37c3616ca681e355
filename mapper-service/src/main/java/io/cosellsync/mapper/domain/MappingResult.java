package io.cosellsync.mapper.domain;

import io.cosellsync.events.command.UpsertOpportunityCommand;

/** What became of one referral snapshot: a command for Salesforce, a deliberate skip, or a failure with its reason. */
public sealed interface MappingResult {

    /** The referral becomes this command. */
    record Command(UpsertOpportunityCommand command) implements MappingResult {
    }

    /** Not synced on purpose (e.g. a lead while the tenant syncs co-sell referrals only). */
    record Skipped(String reasonCode, String message) implements MappingResult {
    }

    /** Cannot be synced as it is; {@code message} says what to fix. */
    record Failed(String reasonCode, String message) implements MappingResult {
    }
}
