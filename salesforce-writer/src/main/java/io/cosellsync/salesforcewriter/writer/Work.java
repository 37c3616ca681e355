package io.cosellsync.salesforcewriter.writer;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.salesforcewriter.persistence.SyncState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One command on its way through a batch: what was known before, what was written, and how it ended. */
final class Work {

    final int index;
    final UpsertOpportunityCommand command;
    final String sourceVersion;
    final String fingerprint;
    SyncState previous;
    String accountId;
    String opportunityId;
    /** The opportunity the referral was created from exists: it is updated, never initialised. */
    boolean adopted;
    boolean created;
    /**
     * "latest" fields Partner Center changed that Salesforce changed too, after the referral, with the opportunity's
     * value: left for the partnercenter-writer, which sees both sides, to decide.
     */
    final Map<String, Object> deferred = new HashMap<>();
    /**
     * What the referral and this opportunity last agreed on, by Opportunity field (the partnercenter-writer's record):
     * a field still holding its agreed value has no save Partner Center has not had.
     */
    Map<String, Object> agreed = Map.of();
    /** When the referral held that agreement (Partner Center's clock); null when unknown. */
    Instant agreedAt;
    /** The command's referral version is the one the partnercenter-writer's last write made: its own echo. */
    boolean echo;
    /**
     * When Partner Center itself last changed the referral before that write, where known: in our echo, the time of
     * the values our PATCH did not send ({@code updatedDateTime} is our PATCH's own).
     */
    Instant changedAt;
    /**
     * The command's referral version is one an earlier write of the partnercenter-writer made, not its last: a late
     * echo, whose values came from a Salesforce save older than the one it has since sent.
     */
    boolean lateEcho;
    /**
     * The command's referral change is older than the agreement: Partner Center has since held the agreed state, so
     * its values are superseded (Partner Center's later ones come in their own change).
     */
    boolean beforeAgreement;

    /** When the command's values changed in Partner Center: in our echo, Partner Center's own last change. */
    Instant valuesChangedAt() {
        return echo && changedAt != null ? changedAt : command.sourceUpdatedAt();
    }
    /** The opportunity as Salesforce held it before this batch wrote (null: not read, or not found). */
    JsonNode current;
    /** The opportunity was saved since it was read: it is read again and decided again. */
    boolean readAgain;
    /** The opportunity fields this command writes. */
    Map<String, Object> record;
    WriteResult result;
    String failureCode;
    String failureMessage;
    final List<String> notes = new ArrayList<>();
    final Map<String, Map<String, SyncState.Child>> children = new HashMap<>();

    Work(int index, UpsertOpportunityCommand command, String sourceVersion, String fingerprint) {
        this.index = index;
        this.command = command;
        this.sourceVersion = sourceVersion;
        this.fingerprint = fingerprint;
    }

    String referralId() {
        return command.referralId();
    }

    boolean live() {
        return result == null;
    }

    void fail(String code, String message) {
        if (result == null) {
            result = WriteResult.FAILED;
            failureCode = code;
            failureMessage = message;
        }
    }
}
