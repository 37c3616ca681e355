package io.cosellsync.ingress.salesforce.hydration;

import io.cosellsync.events.salesforce.ChangeNotification;
import io.cosellsync.events.salesforce.OpportunitySnapshot;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A snapshot's clock to the millisecond. Salesforce stamps {@code SystemModstamp} in whole seconds, so two saves in
 * one second look simultaneous, and a seller's save at 15.722 s would lose to a Partner Center change at 15.689 s
 * on the way out. The change event of that save carries its {@code commitTimestamp} in milliseconds: when a user's
 * change of this opportunity among the changes being hydrated was committed within the stamp's second, the latest
 * such commit is the snapshot's clock. Reconciliation's changes carry no committer and no commit time of their own,
 * so they are never used. Pure.
 */
final class CommitClock {

    private CommitClock() {
    }

    static OpportunitySnapshot exact(OpportunitySnapshot snapshot, List<ChangeNotification> changes) {
        Instant stamp = snapshot.systemModstamp();
        Instant second = stamp.truncatedTo(ChronoUnit.SECONDS);
        Instant exact = stamp;
        for (ChangeNotification c : changes) {
            Instant commit = c.commitTimestamp();
            if (c.commitUser() != null && "Opportunity".equals(c.entity())
                    && snapshot.opportunityId().equals(c.recordId())
                    && commit.truncatedTo(ChronoUnit.SECONDS).equals(second) && commit.isAfter(exact)) {
                exact = commit;
            }
        }
        return exact.equals(stamp) ? snapshot : new OpportunitySnapshot(snapshot.opportunity(), exact,
                snapshot.lastModifiedById(), snapshot.account(), snapshot.contactRoles(), snapshot.solutions(),
                snapshot.team(), snapshot.notes());
    }
}
