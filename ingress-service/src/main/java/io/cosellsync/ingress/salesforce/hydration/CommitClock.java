package io.cosellsync.ingress.salesforce.hydration;

import io.cosellsync.events.salesforce.ChangeNotification;
import io.cosellsync.events.salesforce.OpportunitySnapshot;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the change events being hydrated say of a snapshot's last save. Pure.
 * <ul>
 * <li>Its clock to the millisecond. Salesforce stamps {@code SystemModstamp} in whole seconds, so two saves in one
 * second look simultaneous, and a seller's save at 15.722 s would lose to a Partner Center change at 15.689 s on the
 * way out. The change event of that save carries its {@code commitTimestamp} in milliseconds: when a change of this
 * opportunity was committed within the stamp's second, the latest such commit is the snapshot's clock.</li>
 * <li>Whether that last save was ours: the latest change of the stamp's second came through our client id as the
 * integration user ({@link ChangeNotification#probablyOurs()}), and the opportunity's {@code LastModifiedById} is
 * that user (a seller's save after it would have made it the seller). Such a save wrote Partner Center's values,
 * so its millisecond must not make them later than Partner Center's own later change.</li>
 * </ul>
 * Reconciliation's changes carry no committer and no commit time of their own, so they are never used.
 */
final class CommitClock {

    private CommitClock() {
    }

    static OpportunitySnapshot exact(OpportunitySnapshot snapshot, List<ChangeNotification> changes) {
        Instant stamp = snapshot.systemModstamp();
        Instant second = stamp.truncatedTo(ChronoUnit.SECONDS);
        Optional<ChangeNotification> last = changes.stream()
                .filter(c -> c.commitUser() != null && "Opportunity".equals(c.entity())
                        && snapshot.opportunityId().equals(c.recordId())
                        && c.commitTimestamp().truncatedTo(ChronoUnit.SECONDS).equals(second))
                .max(Comparator.comparing(ChangeNotification::commitTimestamp));
        if (last.isEmpty()) {
            return snapshot;
        }
        Instant exact = last.get().commitTimestamp().isAfter(stamp) ? last.get().commitTimestamp() : stamp;
        boolean ours = last.get().probablyOurs() && last.get().commitUser().equals(snapshot.lastModifiedById());
        return new OpportunitySnapshot(snapshot.opportunity(), exact, snapshot.lastModifiedById(), snapshot.account(),
                snapshot.contactRoles(), snapshot.solutions(), snapshot.team(), snapshot.notes(), ours);
    }
}
