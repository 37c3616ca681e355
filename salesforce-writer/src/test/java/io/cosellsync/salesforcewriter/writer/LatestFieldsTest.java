package io.cosellsync.salesforcewriter.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.salesforcewriter.persistence.SyncState;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which "latest" fields an update of an existing opportunity leaves as Salesforce has them. */
class LatestFieldsTest {

    private static final Instant AT = Instant.parse("2026-11-02T10:00:00Z");

    private static Work work(Map<String, Object> fields, Map<String, Object> seen, boolean adopted) {
        UpsertOpportunityCommand command = new UpsertOpportunityCommand("r-1", "Referral_Identifier__c", AT, false,
                fields, Map.of(), List.of("Amount", "Description"), null, null, List.of());
        Work w = new Work(0, command, "e1", "f1");
        w.previous = seen == null && !adopted ? null : new SyncState("r-1", AT.minusSeconds(60), "e0", "f0",
                "006000000000001AAA", null, Map.of(), seen);
        if (adopted) {
            w.previous = null;
            w.adopted = true;
        }
        return w;
    }

    @Test
    void fieldsPartnerCenterDidNotChangeSinceLastSeenAreLeftAlone() {
        Work w = work(Map.of("Amount", new BigDecimal("45000.00"), "Description", "new notes"),
                Map.of("Amount", 45000, "Description", "old notes"), false);
        assertEquals(List.of("Amount"), OpportunityWrites.unchangedLatest(w), "45000 is 45000.00");
    }

    @Test
    void aNewOpportunityAndAStateFromBeforeTheValuesWereKeptWriteEverything() {
        assertTrue(OpportunityWrites.unchangedLatest(work(Map.of("Amount", 1), null, false)).isEmpty());
        Work old = work(Map.of("Amount", 1), null, false);
        old.previous = new SyncState("r-1", AT, "e0", "f0", "006000000000001AAA", null, Map.of(), null);
        assertTrue(OpportunityWrites.unchangedLatest(old).isEmpty());
    }

    private static JsonNode row(Instant at, String amount, String name) {
        ObjectNode row = JsonNodeFactory.instance.objectNode().put("Id", "006000000000001AAA")
                .put("SystemModstamp", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx")
                        .withZone(ZoneOffset.UTC).format(at));
        row.set("Amount", JsonNodeFactory.instance.numberNode(new BigDecimal(amount)));
        return row.put("Description", "old notes").put("Name", name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"'the amount changed in Salesforce after the referral', 30, 2000, Amount",
            "'the amount changed before the referral changed', -30, 2000, ''",
            "'something else changed', 30, 45000, ''"})
    void fieldsBothSidesChangedWithSalesforceLaterAreLeftForTheWayOut(String what, int seconds, String amount,
            String deferred) {
        Work w = work(Map.of("Amount", new BigDecimal("47000"), "Description", "old notes"),
                Map.of("Amount", 45000, "Description", "old notes"), false);
        Map<String, Object> later = OpportunityWrites.changedLater(w, row(AT.plusSeconds(seconds), amount,
                "Deal"));
        assertEquals(deferred.isEmpty() ? Set.of() : Set.of(deferred), later.keySet(), what);
        if (!deferred.isEmpty()) {
            assertEquals(0, new BigDecimal(amount).compareTo(new BigDecimal(later.get("Amount").toString())),
                    "the opportunity's value is what the writer has seen from now on");
        }
    }

    @Test
    void theCheckMarkIsNoChangeOfTheName() {
        UpsertOpportunityCommand command = new UpsertOpportunityCommand("r-1", "Referral_Identifier__c", AT, true,
                Map.of("Name", "Deal 2"), Map.of(), List.of("Name"), null, null, List.of());
        Work w = new Work(0, command, "e1", "f1");
        w.previous = new SyncState("r-1", AT.minusSeconds(60), "e0", "f0", "006000000000001AAA", null, Map.of(),
                Map.of("Name", "Deal"));
        assertEquals(Map.of(), OpportunityWrites.changedLater(w, row(AT.plusSeconds(5), "1", "Deal ✔")));
        assertEquals(Map.of("Name", "Big deal"), OpportunityWrites.changedLater(w, row(AT.plusSeconds(5), "1",
                "Big deal ✔")));
    }

    @Test
    void theOpportunityOurOwnReferralWasMadeFromKeepsWhatTheSellerChangedSince() {
        Work adopted = work(Map.of("Amount", new BigDecimal("45000"), "Description", "old notes"), null, true);
        assertEquals(List.of(), OpportunityWrites.unchangedLatest(adopted), "nothing seen yet");
        assertEquals(Set.of("Amount"), OpportunityWrites.changedLater(adopted, row(AT.plusSeconds(5), "46000",
                "Deal")).keySet());
        assertEquals(Map.of(), OpportunityWrites.changedLater(adopted, row(AT.minusSeconds(5), "46000",
                "Deal")), "the referral is later");
    }

    @Test
    void aSaveInTheSameSecondAsPartnerCentersChangeIsNotKnownToBeEarlier() {
        Instant change = Instant.parse("2026-12-07T15:39:15.689Z");
        assertTrue(OpportunityWrites.possiblyLater(Instant.parse("2026-12-07T15:39:15Z"), change), "same second");
        assertTrue(OpportunityWrites.possiblyLater(Instant.parse("2026-12-07T15:39:16Z"), change));
        assertFalse(OpportunityWrites.possiblyLater(Instant.parse("2026-12-07T15:39:14Z"), change));
    }

}
