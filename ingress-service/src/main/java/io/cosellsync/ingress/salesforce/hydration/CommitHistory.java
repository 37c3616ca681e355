package io.cosellsync.ingress.salesforce.hydration;

import io.cosellsync.events.salesforce.ChangeNotification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one opportunity's change events have said so far, across hydration batches: when each field was last
 * changed, when the record was created (the clock of every field no later event changed), and its latest commit.
 * Pure; {@link CommitHistories} keeps it. A snapshot is dated from it ({@link CommitClock}): a seller's Amount edit
 * hydrated in one batch and the close hydrated in the next must not both date from the close.
 *
 * @param createdAt  the {@code CREATE} event's commit, or null when the history began later (a reconciliation, a
 *                   record older than the history): then a field no event named has no clock of its own
 * @param lastCommit the latest commit of the record among the events
 * @param lastUser   who made it ({@code commitUser}): a record last modified by someone else was saved since
 * @param fields     field → its latest commit among the events ({@code changedFields} and {@code nulledFields})
 * @param ours       the fields whose latest change was the salesforce-writer's own update
 *                   ({@link ChangeNotification#probablyOurs()}): their values came from Partner Center. Not the
 *                   fields of a record we created: some of those are the org's defaults, not Partner Center's
 */
record CommitHistory(Instant createdAt, Instant lastCommit, String lastUser, Map<String, Instant> fields,
        Set<String> ours) {

    CommitHistory {
        fields = Map.copyOf(fields);
        ours = Set.copyOf(ours);
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
        Set<String> ours = new HashSet<>(known == null ? Set.of() : known.ours());
        List<String> named = new ArrayList<>(change.changedFields());
        named.addAll(change.nulledFields());
        for (String f : named) {
            Instant before = fields.get(f);
            if (before == null || !at.isBefore(before)) {
                fields.put(f, at);
                if (change.probablyOurs()) {
                    ours.add(f);
                } else {
                    ours.remove(f);
                }
            }
        }
        Instant created = known == null ? null : known.createdAt();
        if ("CREATE".equals(change.changeType()) && (created == null || at.isBefore(created))) {
            created = at;
        }
        boolean latest = known == null || !at.isBefore(known.lastCommit());
        return new CommitHistory(created, latest ? at : known.lastCommit(),
                latest ? change.commitUser() : known.lastUser(), fields, ours);
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
