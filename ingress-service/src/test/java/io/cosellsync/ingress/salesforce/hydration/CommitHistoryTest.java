package io.cosellsync.ingress.salesforce.hydration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.salesforce.ChangeNotification;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommitHistoryTest {

    private static final String ID = "006000000000001AAA";
    private static final Instant T = Instant.parse("2026-12-08T00:53:25.666Z");

    private static ChangeNotification event(String type, String id, Instant at, String user, String... fields) {
        return new ChangeNotification("Opportunity", id, type, "tx-" + at.toEpochMilli(), 1, at, user, null,
                List.of(fields), List.of(), false, "AAA=", at);
    }

    @Test
    void eachFieldKeepsItsLatestCommitWhateverTheOrderTheEventsCameIn() {
        ChangeNotification create = event("CREATE", ID, T, "005seller");
        ChangeNotification amount = event("UPDATE", ID, T.plusSeconds(15), "005seller", "Amount", "Description");
        ChangeNotification close = event("UPDATE", ID, T.plusSeconds(21), "005seller", "StageName");
        CommitHistory once = CommitHistory.after(Map.of(), List.of(close, create, amount)).get(ID);
        assertEquals(T, once.createdAt());
        assertEquals(T.plusSeconds(21), once.lastCommit());
        assertEquals(Map.of("Amount", T.plusSeconds(15), "Description", T.plusSeconds(15), "StageName",
                T.plusSeconds(21)), once.fields());
        // a batch read again (after a crash) changes nothing
        assertEquals(once, CommitHistory.after(Map.of(ID, once), List.of(amount, create)).get(ID));
        assertEquals(T, once.clockOf("Name"), "a field no update named dates from the creation");
    }

    @Test
    void aReconciliationForgetsTheRecordsHistoryAndLaterEventsBeginANewOne() {
        CommitHistory known = CommitHistory.after(Map.of(), List.of(event("CREATE", ID, T, "005seller"))).get(ID);
        Map<String, CommitHistory> gap = CommitHistory.after(Map.of(ID, known),
                List.of(event("UPDATE", ID, T.plusSeconds(5), null)));
        assertTrue(gap.containsKey(ID));
        assertNull(gap.get(ID), "forgotten");
        CommitHistory after = CommitHistory.after(Map.of(ID, known), List.of(event("UPDATE", ID, T.plusSeconds(5),
                null), event("UPDATE", ID, T.plusSeconds(9), "005seller", "Amount"))).get(ID);
        assertNull(after.createdAt(), "nothing is known of the fields the gap may have changed");
        assertNull(after.clockOf("Description"));
        assertEquals(T.plusSeconds(9), after.clockOf("Amount"));
    }

    @Test
    void onlyTheOpportunitysOwnEventsCount() {
        ChangeNotification role = new ChangeNotification("OpportunityContactRole", "00K000000000001AAA", "UPDATE",
                "tx", 1, T, "005seller", null, List.of("Role"), List.of(), false, "AAA=", T);
        assertEquals(Map.of(), CommitHistory.after(Map.of(), List.of(role)));
    }
}
