package io.cosellsync.events.outcome;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.time.Instant;

/**
 * What happened to one command. Failures carry a machine-readable {@code reasonCode} and a message a seller can
 * act on; salesforce-writer turns them into the Audit field and the ✔/✖ mark. Key: the opportunity id where
 * known, else the referral id.
 *
 * @param commandId the event id of the command this reports on
 */
public record SyncOutcome(
        @JsonProperty(required = true) SyncDirection direction,
        @JsonProperty(required = true) Status status,
        String referralId,
        String opportunityId,
        @JsonProperty(required = true) String commandId,
        String reasonCode,
        String message,
        @JsonProperty(required = true) Instant occurredAt) {

    public enum Status {
        SUCCEEDED,
        FAILED,
        SKIPPED,
        /** The tenant is in dry run: nothing was written; {@code message} says what would have been. */
        DRY_RUN
    }

    public SyncOutcome {
        Require.present(direction, "direction");
        Require.present(status, "status");
        Require.present(commandId, "commandId");
        Require.present(occurredAt, "occurredAt");
        if (referralId == null && opportunityId == null) {
            throw new Require.MissingField("referralId");
        }
        if (status == Status.FAILED) {
            Require.present(reasonCode, "reasonCode");
        }
    }
}
