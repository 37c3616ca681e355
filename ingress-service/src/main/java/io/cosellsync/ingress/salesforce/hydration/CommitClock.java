package io.cosellsync.ingress.salesforce.hydration;

import io.cosellsync.events.salesforce.ChangeNotification;
import io.cosellsync.events.salesforce.OpportunitySnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the change events being hydrated say of a snapshot's saves. Pure.
 * <ul>
 * <li>Its clock to the millisecond. Salesforce stamps {@code SystemModstamp} in whole seconds, so two saves in one
 * second look simultaneous, and a seller's save at 15.722 s would lose to a Partner Center change at 15.689 s on the
 * way out. The change event of that save carries its {@code commitTimestamp} in milliseconds: when a change of this
 * opportunity was committed within the stamp's second, the latest such commit is the snapshot's clock.</li>
 * <li>Which fields our own write changed last ({@link OpportunitySnapshot#ourFields()}): those whose latest change
 * among the events came through our client id as the integration user ({@link ChangeNotification#probablyOurs()}),
 * while the record's {@code LastModifiedById} is that user (a seller's save after it would have made it the
 * seller). Their values came from Partner Center, so the millisecond of our write must not make them later than
 * Partner Center's own later change.</li>
 * <li>Each field's own clock ({@link OpportunitySnapshot#fieldClocks()}): one snapshot can join several saves (a
 * seller's Amount edit, then a close two seconds later, hydrated together while ingress lags), and the record's clock
 * is the last save's. An Amount that Partner Center changed between the two saves is later than the seller's, and
 * must not lose to the close's clock. Given only where the events account for every save the snapshot shows: the
 * latest of them committed in the stamp's second, and none of them a reconciliation's (a gap's changes have no
 * commit time, so a field could have changed later than its last event says). The events of earlier batches count
 * too ({@link CommitHistory}): the Amount edit may have been hydrated a batch before the close, and a field no event
 * named dates from the record's creation.</li>
 * <li>With the history, which fields are ours needs no guess from the record's last modifier: a field whose latest
 * event was our update holds Partner Center's value, though a seller saved something else after it (the
 * close).</li>
 * <li>Whether to publish it now: a snapshot read after a save whose event is still on its way (ingress lagging)
 * cannot date any field, and would send the close's clock with an older Amount. It is held back; that save's event
 * hydrates the opportunity again a moment later. Such a save shows as a later second than the last event's, or as
 * another last modifier (a seller's save in the second of our write).</li>
 * </ul>
 * Reconciliation's changes carry no committer and no commit time of their own, so they are never used.
 */
final class CommitClock {

    /**
     * How long a snapshot showing a save whose change event has not come yet is held back for that event. Past it
     * the event is taken as never coming (a save Salesforce sends no event for) and the snapshot goes out undated.
     */
    static final Duration EVENT_WAIT = Duration.ofMinutes(5);

    private CommitClock() {
    }

    /**
     * A snapshot dated, or held back ({@code snapshot} null): it shows a save the events have not reached yet, so
     * no field of it can be dated, and that save's own event will hydrate the opportunity again shortly.
     */
    record Dated(OpportunitySnapshot snapshot) {

        boolean held() {
            return snapshot == null;
        }
    }

    /**
     * Dated by this batch's events and, where known, the opportunity's history of events up to and including them.
     * With a history, every field is dated from its own last change (or the record's creation) when the events
     * account for the snapshot's save; when they do not, the snapshot is held back for up to {@link #EVENT_WAIT}
     * after that save.
     *
     * @param history the opportunity's events so far (this batch's learned too), or null when none are known
     * @param readAt  when the snapshot was read
     */
    static Dated date(OpportunitySnapshot snapshot, List<ChangeNotification> changes, CommitHistory history,
            Instant readAt) {
        Instant stamp = snapshot.systemModstamp();
        Instant second = stamp.truncatedTo(ChronoUnit.SECONDS);
        List<ChangeNotification> own = changes.stream()
                .filter(c -> c.commitUser() != null && "Opportunity".equals(c.entity())
                        && snapshot.opportunityId().equals(c.recordId()))
                .sorted(Comparator.comparing(ChangeNotification::commitTimestamp)
                        .thenComparingInt(ChangeNotification::sequenceNumber))
                .toList();
        List<String> ours = ourFields(snapshot, own);
        boolean reconciled = changes.stream().anyMatch(c -> c.commitUser() == null
                && snapshot.opportunityId().equals(c.recordId()) && "Opportunity".equals(c.entity()));
        if (history != null && !reconciled) {
            Instant last = history.lastCommit();
            // a save in the same second after the last event shows as another last modifier
            boolean sameModifier = history.lastUser() == null || snapshot.lastModifiedById() == null
                    || history.lastUser().equals(snapshot.lastModifiedById());
            if (!last.truncatedTo(ChronoUnit.SECONDS).isBefore(second) && sameModifier) {
                Instant exact = last.truncatedTo(ChronoUnit.SECONDS).equals(second) && last.isAfter(stamp) ? last
                        : stamp;
                Map<String, Instant> clocks = new HashMap<>(history.fields());
                snapshot.opportunity().fields().keySet().forEach(f -> {
                    Instant at = history.clockOf(f);
                    if (at != null) {
                        clocks.put(f, at);
                    }
                });
                return new Dated(with(snapshot, exact, List.copyOf(new TreeSet<>(history.ours())), clocks));
            }
            if (readAt != null && Duration.between(stamp, readAt).compareTo(EVENT_WAIT) < 0) {
                return new Dated(null);
            }
        }
        Optional<Instant> exact = own.stream().map(ChangeNotification::commitTimestamp)
                .filter(t -> t.truncatedTo(ChronoUnit.SECONDS).equals(second) && t.isAfter(stamp))
                .max(Comparator.naturalOrder());
        Map<String, Instant> clocks = reconciled || own.isEmpty()
                || !own.get(own.size() - 1).commitTimestamp().truncatedTo(ChronoUnit.SECONDS).equals(second)
                        ? Map.of()
                        : fieldClocks(own);
        if (exact.isEmpty() && ours.isEmpty() && clocks.isEmpty()) {
            return new Dated(snapshot);
        }
        return new Dated(with(snapshot, exact.orElse(stamp), ours, clocks));
    }

    private static OpportunitySnapshot with(OpportunitySnapshot snapshot, Instant clock, List<String> ours,
            Map<String, Instant> clocks) {
        return new OpportunitySnapshot(snapshot.opportunity(), clock, snapshot.lastModifiedById(), snapshot.account(),
                snapshot.contactRoles(), snapshot.solutions(), snapshot.team(), snapshot.notes(), ours, clocks);
    }
    /** Each field's latest commit among the changes (in commit order). */
    private static Map<String, Instant> fieldClocks(List<ChangeNotification> inOrder) {
        Map<String, Instant> clocks = new HashMap<>();
        for (ChangeNotification c : inOrder) {
            c.changedFields().forEach(f -> clocks.put(f, c.commitTimestamp()));
            c.nulledFields().forEach(f -> clocks.put(f, c.commitTimestamp()));
        }
        return clocks;
    }

    /** The fields whose latest change (in commit order) was ours, when the record's last modifier is us. */
    private static List<String> ourFields(OpportunitySnapshot snapshot, List<ChangeNotification> inOrder) {
        Map<String, ChangeNotification> last = new HashMap<>();
        for (ChangeNotification c : inOrder) {
            c.changedFields().forEach(f -> last.put(f, c));
            c.nulledFields().forEach(f -> last.put(f, c));
        }
        List<String> ours = new ArrayList<>();
        last.forEach((field, c) -> {
            if (c.probablyOurs() && c.commitUser().equals(snapshot.lastModifiedById())) {
                ours.add(field);
            }
        });
        return ours.stream().sorted().toList();
    }
}
