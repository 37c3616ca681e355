package io.cosellsync.ingress.salesforce.hydration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cosellsync.events.salesforce.ChangeNotification;
import io.cosellsync.events.salesforce.OpportunitySnapshot;
import io.cosellsync.events.salesforce.SObjectRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommitClockTest {

    private static final String ID = "006000000000001AAA";
    private static final Instant STAMP = Instant.parse("2026-12-07T15:39:15Z");

    private static OpportunitySnapshot snapshot() {
        return new OpportunitySnapshot(new SObjectRecord(ID, Map.of("Amount", 53000)), STAMP, "005seller", null,
                List.of(), List.of(), List.of(), List.of());
    }

    private static ChangeNotification change(String entity, String id, Instant at, String user) {
        return new ChangeNotification(entity, id, "UPDATE", "tx-" + at.toEpochMilli(), 1, at, user, null,
                List.of("Amount"), List.of(), false, "AAA=", at);
    }

    @Test
    void aUsersCommitWithinTheStampsSecondGivesTheMillisecond() {
        Instant first = STAMP.plusMillis(615);
        Instant later = STAMP.plusMillis(722);
        assertEquals(later, CommitClock.exact(snapshot(), List.of(change("Opportunity", ID, first, "005seller"),
                change("Opportunity", ID, later, "005seller"))).systemModstamp());
    }

    @Test
    void commitsOfOtherSecondsOtherRecordsOrReconciliationsLeaveTheStamp() {
        List<ChangeNotification> others = List.of(
                change("Opportunity", ID, STAMP.minusMillis(1), "005seller"),
                change("Opportunity", ID, STAMP.plusMillis(1000), "005seller"),
                change("Opportunity", "006000000000002AAA", STAMP.plusMillis(500), "005seller"),
                change("OpportunityContactRole", "00K000000000001AAA", STAMP.plusMillis(500), "005seller"),
                change("Opportunity", ID, STAMP.plusMillis(500), null));
        assertEquals(STAMP, CommitClock.exact(snapshot(), others).systemModstamp());
    }
}
