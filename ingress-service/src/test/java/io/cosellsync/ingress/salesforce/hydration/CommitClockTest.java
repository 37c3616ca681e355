package io.cosellsync.ingress.salesforce.hydration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private static final String INTEGRATION_USER = "005integration";

    /** Dated by the batch's events alone: no history of the opportunity is known. */
    private static OpportunitySnapshot exact(OpportunitySnapshot snapshot, List<ChangeNotification> changes) {
        return CommitClock.date(snapshot, changes, null, null).snapshot();
    }

    private static OpportunitySnapshot snapshot() {
        return snapshot("005seller");
    }

    private static OpportunitySnapshot snapshot(String lastModifiedBy) {
        return new OpportunitySnapshot(new SObjectRecord(ID, Map.of("Amount", 53000)), STAMP, lastModifiedBy, null,
                List.of(), List.of(), List.of(), List.of());
    }

    private static ChangeNotification change(String entity, String id, Instant at, String user) {
        return new ChangeNotification(entity, id, "UPDATE", "tx-" + at.toEpochMilli(), 1, at, user, null,
                List.of("Amount"), List.of(), false, "AAA=", at);
    }

    private static ChangeNotification ours(Instant at, String... fields) {
        return new ChangeNotification("Opportunity", ID, "UPDATE", "tx-" + at.toEpochMilli(), 1, at,
                INTEGRATION_USER, "com/salesforce/api/rest/62.0;client=cosell-sync", List.of(fields), List.of(),
                true, "AAA=", at);
    }

    @Test
    void theFieldsWhoseLastChangeWasOurWriteAreOurs() {
        OpportunitySnapshot echo = exact(snapshot(INTEGRATION_USER), List.of(
                change("Opportunity", ID, STAMP.plusMillis(100), "005seller"), // Amount
                ours(STAMP.plusMillis(300), "Description"),
                ours(STAMP.minusMillis(2000), "Name")));
        assertEquals(List.of("Description", "Name"), echo.ourFields(), "the seller's Amount is not ours");
        assertEquals(STAMP.plusMillis(300), echo.systemModstamp());
        assertEquals(List.of("Amount", "Description"), exact(snapshot(INTEGRATION_USER), List.of(
                change("Opportunity", ID, STAMP.plusMillis(100), "005seller"),
                ours(STAMP.plusMillis(300), "Amount", "Description"))).ourFields());
    }

    @Test
    void nothingIsOursWhenASellerSavedAfterOurWrite() {
        // in the batch, after ours
        assertEquals(List.of(), exact(snapshot("005seller"), List.of(ours(STAMP.plusMillis(100),
                "Description"), change("Opportunity", ID, STAMP.plusMillis(300), "005seller"))).ourFields());
        // not yet in the batch: the record names the seller as its last modifier
        assertEquals(List.of(), exact(snapshot("005seller"), List.of(ours(STAMP.plusMillis(100),
                "Amount"))).ourFields());
    }

    @Test
    void aUsersCommitWithinTheStampsSecondGivesTheMillisecond() {
        Instant first = STAMP.plusMillis(615);
        Instant later = STAMP.plusMillis(722);
        assertEquals(later, exact(snapshot(), List.of(change("Opportunity", ID, first, "005seller"),
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
        assertEquals(STAMP, exact(snapshot(), others).systemModstamp());
    }

    private static ChangeNotification seller(Instant at, String... fields) {
        return new ChangeNotification("Opportunity", ID, "UPDATE", "tx-" + at.toEpochMilli(), 1, at, "005seller",
                null, List.of(fields), List.of(), false, "AAA=", at);
    }

    @Test
    void eachFieldDatesFromTheLastSaveThatChangedIt() {
        // an Amount edit two seconds before the close, both read in one snapshot stamped with the close's second
        Instant amount = STAMP.minusMillis(1700);
        Instant close = STAMP.plusMillis(250);
        OpportunitySnapshot joined = exact(snapshot(), List.of(seller(amount, "Amount"),
                seller(close, "StageName", "IsClosed"),
                change("Opportunity", "006000000000002AAA", STAMP.plusMillis(900), "005seller")));
        assertEquals(Map.of("Amount", amount, "StageName", close, "IsClosed", close), joined.fieldClocks());
        assertEquals(close, joined.systemModstamp());
    }

    @Test
    void noFieldIsDatedWhenTheEventsMayNotHoldEverySave() {
        // the snapshot shows a save of a later second whose event has not come yet
        assertEquals(Map.of(), exact(snapshot(), List.of(seller(STAMP.minusMillis(1700), "Amount")))
                .fieldClocks());
        // a reconciliation (a gap) changed the record at a time nobody knows
        assertEquals(Map.of(), exact(snapshot(), List.of(seller(STAMP.plusMillis(100), "Amount"),
                change("Opportunity", ID, STAMP.plusMillis(500), null))).fieldClocks());
    }

    private static ChangeNotification created(Instant at) {
        return new ChangeNotification("Opportunity", ID, "CREATE", "tx-" + at.toEpochMilli(), 1, at, "005seller",
                null, List.of(), List.of(), false, "AAA=", at);
    }

    private static CommitHistory history(ChangeNotification... inOrder) {
        return CommitHistory.after(Map.of(), List.of(inOrder)).get(ID);
    }

    @Test
    void aFieldChangedInAnEarlierBatchDatesFromThatChange() {
        // the seller's Amount edit was hydrated a batch before the close; the close's batch names only the stage
        Instant createdAt = STAMP.minusMillis(20_000);
        Instant amount = STAMP.minusMillis(2_249);
        Instant close = STAMP.plusMillis(372);
        ChangeNotification closing = seller(close, "StageName", "IsClosed");
        OpportunitySnapshot dated = CommitClock.date(snapshot(), List.of(closing),
                history(created(createdAt), seller(amount, "Amount"), closing), STAMP.plusMillis(900)).snapshot();
        assertEquals(Map.of("Amount", amount, "StageName", close, "IsClosed", close), dated.fieldClocks());
        assertEquals(close, dated.systemModstamp());
    }

    @Test
    void aFieldNoEventNamedDatesFromTheRecordsCreation() {
        Instant createdAt = STAMP.minusMillis(20_000);
        Instant close = STAMP.plusMillis(372);
        ChangeNotification closing = seller(close, "StageName");
        assertEquals(Map.of("Amount", createdAt, "StageName", close), CommitClock.date(snapshot(), List.of(closing),
                history(created(createdAt), closing), STAMP.plusMillis(900)).snapshot().fieldClocks());
        // a history that began after the creation (a reconciliation before it) knows nothing of the Amount
        assertEquals(Map.of("StageName", close), CommitClock.date(snapshot(), List.of(closing), history(closing),
                STAMP.plusMillis(900)).snapshot().fieldClocks());
    }

    @Test
    void aSnapshotShowingASaveWhoseEventHasNotComeIsHeldForAWhile() {
        // read after the close, while only the Amount edit's event has reached ingress
        ChangeNotification amount = seller(STAMP.minusMillis(2_249), "Amount");
        CommitHistory known = history(created(STAMP.minusMillis(20_000)), amount);
        assertTrue(CommitClock.date(snapshot(), List.of(amount), known, STAMP.plusMillis(900)).held());
        // five minutes later that event is taken as never coming: out it goes, dated by its stamp alone
        CommitClock.Dated late = CommitClock.date(snapshot(), List.of(amount), known,
                STAMP.plus(CommitClock.EVENT_WAIT));
        assertEquals(STAMP, late.snapshot().systemModstamp());
        assertEquals(Map.of(), late.snapshot().fieldClocks());
        // a reconciliation's snapshot is never held: it is all there is of a gap
        assertEquals(Map.of(), CommitClock.date(snapshot(), List.of(change("Opportunity", ID, STAMP, null)), known,
                STAMP.plusMillis(900)).snapshot().fieldClocks());
    }

    @Test
    void aFieldWhoseLastChangeWasOurWriteIsOursThoughASellerClosedTheDealAfter() {
        // we wrote Partner Center's amount, then the seller closed the deal (the record's last modifier)
        ChangeNotification ourAmount = ours(STAMP.minusMillis(160), "Amount", "Description");
        ChangeNotification closing = seller(STAMP.plusMillis(120), "StageName");
        OpportunitySnapshot dated = CommitClock.date(snapshot("005seller"), List.of(closing),
                history(created(STAMP.minusMillis(20_000)), ourAmount, closing), STAMP.plusMillis(900)).snapshot();
        assertEquals(List.of("Amount", "Description"), dated.ourFields());
        assertEquals(ourAmount.commitTimestamp(), dated.fieldClocks().get("Amount"));
    }

    @Test
    void aSaveInTheSecondOfOurWriteBySomeoneElseHoldsTheSnapshotForItsEvent() {
        // our write at .233, the seller's save at .315 (same second, its event not here yet): the record's last
        // modifier is the seller, not the last event's committer
        ChangeNotification ourAmount = ours(STAMP.plusMillis(233), "Amount");
        CommitHistory known = history(created(STAMP.minusMillis(20_000)), ourAmount);
        assertTrue(CommitClock.date(snapshot("005seller"), List.of(ourAmount), known, STAMP.plusMillis(400)).held());
        assertEquals(List.of("Amount"), CommitClock.date(snapshot(INTEGRATION_USER), List.of(ourAmount), known,
                STAMP.plusMillis(400)).snapshot().ourFields());
    }
}
