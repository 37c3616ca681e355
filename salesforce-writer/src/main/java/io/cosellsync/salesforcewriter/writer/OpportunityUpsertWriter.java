package io.cosellsync.salesforcewriter.writer;

import io.cosellsync.events.TenantId;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.salesforcewriter.persistence.SyncState;
import io.cosellsync.salesforcewriter.persistence.SyncStates;
import io.cosellsync.salesforce.client.SalesforceUnavailable;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a batch of one tenant's upsert commands to Salesforce, in the steps salesforce-writer/README.md lists:
 * the newest command of each referral against its sync state, then {@linkplain AccountResolver accounts},
 * {@linkplain OpportunityWrites opportunities} (read, then written), {@linkplain ChildRecordWriter child records},
 * and the sync state. A command older than the state or identical to what was applied makes no call. The sync state
 * is written after Salesforce, and the caller acknowledges Kafka after that: a crash anywhere repeats at most
 * idempotent writes.
 */
@ApplicationScoped
public class OpportunityUpsertWriter {

    private final SyncStates states;
    private final AccountResolver accounts;
    private final OpportunityWrites opportunities;
    private final ChildRecordWriter children;

    OpportunityUpsertWriter(SyncStates states, AccountResolver accounts, OpportunityWrites opportunities,
            ChildRecordWriter children) {
        this.states = states;
        this.accounts = accounts;
        this.opportunities = opportunities;
        this.children = children;
    }

    /** How one command ended. */
    public record Outcome(int index, String referralId, WriteResult result, String opportunityId, boolean created,
            String failureCode, String failureMessage, List<String> notes) {
    }

    /** A command to apply, with its position in the batch and its source version (the referral's eTag). */
    public record Pending(int index, UpsertOpportunityCommand command, String sourceVersion) {
    }

    /**
     * Applies the commands; fails with {@link SalesforceUnavailable} when Salesforce cannot take them now (nothing
     * is recorded then, and the whole batch is applied again later).
     */
    public Uni<List<Outcome>> apply(TenantId tenant, List<Pending> pending) {
        List<Work> works = pending.stream().map(p -> new Work(p.index(), p.command(), p.sourceVersion(),
                fingerprint(p.command()))).toList();
        Map<String, Work> newest = newestPerReferral(works);
        return states.load(tenant, newest.keySet()).chain(previous -> {
            List<Work> live = againstSyncState(newest.values(), previous);
            return accounts.resolve(tenant, live)
                    .chain(() -> opportunities.apply(tenant, live))
                    .chain(() -> children.write(tenant, live))
                    .chain(() -> save(tenant, live));
        }).map(ignored -> works.stream().map(w -> new Outcome(w.index, w.referralId(),
                w.result == null ? WriteResult.APPLIED : w.result, w.opportunityId, w.created, w.failureCode,
                w.failureMessage, List.copyOf(w.notes))).toList());
    }

    /** Within a batch only the newest command of a referral counts: the others are stale. */
    private static Map<String, Work> newestPerReferral(List<Work> works) {
        Map<String, Work> newest = new LinkedHashMap<>();
        for (Work w : works) {
            Work other = newest.get(w.referralId());
            if (other == null || !w.command.sourceUpdatedAt().isBefore(other.command.sourceUpdatedAt())) {
                if (other != null) {
                    other.result = WriteResult.STALE;
                }
                newest.put(w.referralId(), w);
            } else {
                w.result = WriteResult.STALE;
            }
        }
        return newest;
    }

    /**
     * Each command against what was applied for its referral: older (stale) or identical (unchanged) ones make no
     * call; the others start from the state's Salesforce ids. Returns the commands still to apply.
     */
    private static List<Work> againstSyncState(Collection<Work> newest, Map<String, SyncState> previous) {
        for (Work w : newest) {
            SyncState state = previous.get(w.referralId());
            w.previous = state;
            if (state == null) {
                continue;
            }
            if (w.command.sourceUpdatedAt().isBefore(state.sourceUpdatedAt())) {
                w.result = WriteResult.STALE;
            } else if (w.fingerprint.equals(state.fingerprint())) {
                w.result = WriteResult.UNCHANGED;
            } else {
                w.accountId = state.accountId();
                w.opportunityId = state.opportunityId();
                state.children().forEach((object, ids) -> w.children.put(object, new HashMap<>(ids)));
            }
        }
        return newest.stream().filter(Work::live).toList();
    }

    private Uni<Void> save(TenantId tenant, List<Work> works) {
        List<SyncState> next = new ArrayList<>();
        for (Work w : works) {
            if (w.live() && w.opportunityId != null) {
                next.add(new SyncState(w.referralId(), w.command.sourceUpdatedAt(), w.sourceVersion, w.fingerprint,
                        w.opportunityId, w.accountId, w.children, seen(w)));
            }
        }
        return states.save(tenant, next);
    }

    /** The referral's "latest" values the opportunity now reflects, for the sync state (null: not known). */
    private static Map<String, Object> seen(Work w) {
        if (OpportunityWrites.superseded(w)) {
            // none of its values written: what was seen before still is
            return w.previous == null ? null : w.previous.seen();
        }
        Map<String, Object> seen = new LinkedHashMap<>();
        w.command.latestFields().forEach(f -> seen.put(f, w.command.opportunityFields().get(f)));
        seen.putAll(w.deferred); // left as Salesforce has them: that is what the opportunity holds
        // … and since when, at the latest: a Partner Center change not after that is no news to them
        w.deferred.keySet().forEach(f -> seen.put(OpportunityWrites.SAVED_AT + f,
                w.current.path("SystemModstamp").asText()));
        return seen;
    }

    static String fingerprint(UpsertOpportunityCommand command) {
        return RecordValues.hash(command);
    }
}
