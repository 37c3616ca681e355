package io.cosellsync.ingress.salesforce.hydration;

import io.cosellsync.events.salesforce.ChangeNotification;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one opportunity's change events have said so far, across hydration batches: when each field was last
 * changed, when the record was created (the clock of every field no later event changed), and its latest commit.
 * Pure; {@link CommitHistories} keeps it. A snapshot is dated from it ({@link CommitClock}): a seller's Amount edit
 * hydrated in one batch and the close hydrated in the next must not both date from the close.
 *
 * @param createdAt  the {@code CREATE} event's commit, or null when the history began later (a reconciliation, a
 *                   record older than the history): then a field no event named has no clock of its own
 * @param lastCommit the latest commit of the record among the events
 * @param fields     field → its latest commit among the events ({@code changedFields} and {@code nulledFields})
 */
record CommitHistory(Instant createdAt, Instant lastCommit, Map<String, Instant> fields) {

    CommitHistory {
        fields = Map.copyOf(fields);
    }

    /**
     * The histories after these changes, in commit order; only the Opportunity events count. A reconciliation's
     * change (no committer: a gap, an overflow, a poll) changed the record at a time nobody knows: its history is
     * forgotten (null), and the events after it begin a new one.
     *
     * @param before the histories known, by opportunity id (absent: none)
     * @return the histories these changes made or ended, by opportunity id (null: forget it)
     */
    static Map<String, CommitHistory> after(Map<String, CommitHistory> before, List<ChangeNotification> changes) {
        Map<String, CommitHistory> after = new HashMap<>();
        changes.stream().filter(c -> "Opportunity".equals(c.entity()) && c.recordId() != null)
                .sorted(Comparator.comparing(ChangeNotification::commitTimestamp)
                        .thenComparingInt(ChangeNotification::sequenceNumber))
                .forEach(c -> {
                    String id = c.recordId();
                    CommitHistory known = after.containsKey(id) ? after.get(id) : before.get(id);
                    after.put(id, c.commitUser() == null ? null : apply(known, c));
                });
        return after;
    }

    /** One event applied (events redelivered change nothing: every clock keeps the later commit). */
    static CommitHistory apply(CommitHistory known, ChangeNotification change) {
        Instant at = change.commitTimestamp();
        Map<String, Instant> fields = new HashMap<>(known == null ? Map.of() : known.fields());
        change.changedFields().forEach(f -> fields.merge(f, at, CommitHistory::later));
        change.nulledFields().forEach(f -> fields.merge(f, at, CommitHistory::later));
        Instant created = known == null ? null : known.createdAt();
        if ("CREATE".equals(change.changeType()) && (created == null || at.isBefore(created))) {
            created = at;
        }
        return new CommitHistory(created, known == null ? at : later(known.lastCommit(), at), fields);
    }

    /** When this field was last changed, where the events say: its own change, else the record's creation. */
    Instant clockOf(String field) {
        Instant own = fields.get(field);
        return own != null ? own : createdAt;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
