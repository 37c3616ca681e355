package io.cosellsync.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which Salesforce values reach an existing referral, as what requests. */
class ReferralMergeTest {

    private static final FieldMapper MAPPER = ReferralRoundTripTest.mapper(true);
    private static final Instant UPDATED = Instant.parse("2026-01-07T05:08:23Z");
    private static final Instant LATER = UPDATED.plusSeconds(60);
    private static final Instant EARLIER = UPDATED.minusSeconds(60);

    private static ObjectNode referral(String status, String substatus) {
        ObjectNode doc = ReferralDocument.of(Referrals.referral().sample());
        doc.put("status", status).put("substatus", substatus).put("updatedDateTime", UPDATED.toString());
        return doc;
    }

    private static SalesforceImage with(SalesforceImage image, String field, Object value) {
        return FieldMapperTest.withOpportunity(image, field, value);
    }

    /** What both sides agree on when the opportunity is exactly the referral. */
    private static Map<String, Object> agreement(FieldMapper mapper, JsonNode referral) {
        return ReferralMerge.merge(mapper, mapper.toSalesforce(referral), (Instant) null, referral, Map.of()).agreed();
    }

    private static List<String> paths(ArrayNode request) {
        List<String> paths = new ArrayList<>();
        request.forEach(op -> paths.add(op.get("path").asText()));
        return paths;
    }

    @Test
    void anOpportunityThatIsTheReferralSendsNothingAndIsTheAgreement() {
        ObjectNode referral = referral("Active", "Accepted");
        ReferralMerge.Result result = ReferralMerge.merge(MAPPER, MAPPER.toSalesforce(referral), LATER, referral,
                Map.of());
        assertTrue(result.requests().isEmpty(), () -> result.requests().toString());
        assertEquals(MAPPER.toSalesforce(referral).record("Opportunity").get("Amount"),
                result.agreed().get("Opportunity.Amount"));
    }

    @Test
    void aValueOnlySalesforceChangedIsSentEvenWhenPartnerCenterChangedSomethingLater() {
        ObjectNode referral = referral("Active", "Accepted");
        Map<String, Object> base = agreement(MAPPER, referral);
        SalesforceImage edited = with(MAPPER.toSalesforce(referral), "Amount", new BigDecimal("4321.50"));
        ReferralMerge.Result result = ReferralMerge.merge(MAPPER, edited, EARLIER, referral, base);
        assertEquals(1, result.requests().size());
        ArrayNode request = result.requests().get(0);
        assertEquals(List.of("/details/dealValue"), paths(request));
        assertEquals(0, new BigDecimal("4321.50").compareTo(request.get(0).get("value").decimalValue()));
        assertEquals(new BigDecimal("4321.50"), result.agreed().get("Opportunity.Amount"));
    }

    @Test
    void aValueOnlyPartnerCenterChangedIsKeptEvenWhenSalesforceSavedLater() {
        ObjectNode referral = referral("Active", "Accepted");
        SalesforceImage before = MAPPER.toSalesforce(referral);
        Map<String, Object> base = agreement(MAPPER, referral);
        referral.with("details").put("notes", "changed in Partner Center");
        ReferralMerge.Result result = ReferralMerge.merge(MAPPER, before, LATER, referral, base);
        assertTrue(result.requests().isEmpty(), () -> result.requests().toString());
        // nor set back: the way in brings it to Salesforce, and a snapshot older than a seller's newest edit must not
        // undo that edit
        assertEquals(Map.of(), result.restored());
    }

    @ParameterizedTest(name = "Salesforce saved {0}: sent = {1}")
    @CsvSource({"later,true", "earlier,false", "same,false"})
    void whenBothChangedTheLaterSideWinsAndATieGoesToPartnerCenter(String when, boolean sent) {
        ObjectNode referral = referral("Active", "Accepted");
        Map<String, Object> base = agreement(MAPPER, referral);
        referral.with("details").put("notes", "Partner Center's notes");
        SalesforceImage edited = with(MAPPER.toSalesforce(referral), "Description", "Salesforce's notes");
        Instant at = when.equals("later") ? LATER : when.equals("earlier") ? EARLIER : UPDATED;
        ReferralMerge.Result result = ReferralMerge.merge(MAPPER, edited, at, referral, base);
        assertEquals(sent, !result.requests().isEmpty());
        if (sent) {
            assertEquals("Salesforce's notes", result.requests().get(0).get(0).get("value").asText());
        }
    }

    @Test
    void theEchoOfOurOwnWriteOfAnOlderPartnerCenterValueNeverWinsWhateverItsClock() {
        // the salesforce-writer wrote Partner Center's earlier notes; Partner Center changed them again; the echo of
        // our write is stamped after that change, but its value is Partner Center's older one
        ObjectNode referral = referral("Active", "Accepted");
        Map<String, Object> base = agreement(MAPPER, referral);
        referral.with("details").put("notes", "Partner Center's second notes");
        SalesforceImage echo = with(MAPPER.toSalesforce(referral), "Description", "Partner Center's first notes");
        assertFalse(ReferralMerge.merge(MAPPER, echo, LATER, referral, base).requests().isEmpty(),
                "a seller's save, later: sent");
        ReferralMerge.Result result = ReferralMerge.merge(MAPPER, echo, LATER, List.of("Description"), referral,
                base);
        assertTrue(result.requests().isEmpty(), () -> result.requests().toString());
        assertEquals(Map.of("Description", "Partner Center's second notes"), result.restored());
        assertEquals(Map.of("Description", "Partner Center's first notes"), result.replaced(),
                "set back only where the opportunity still holds what it won over");
        // a field our write did not change keeps the clock: a seller's later save of it is sent
        assertFalse(ReferralMerge.merge(MAPPER, echo, LATER, List.of("Name"), referral, base).requests().isEmpty());
    }

    @Test
    void aValueThatLostIsNotSentWhileTheOpportunityStillHoldsIt() {
        // both sides changed the notes, Partner Center later: its value is kept and set back on the opportunity.
        // Until that write-back lands, the opportunity still holds the value that lost; a further snapshot of it (the
        // seller saved another field) must not read as Salesforce moving away from the new agreement
        ObjectNode referral = referral("Active", "Accepted");
        Map<String, Object> base = agreement(MAPPER, referral);
        referral.with("details").put("notes", "Partner Center's notes");
        SalesforceImage lost = with(MAPPER.toSalesforce(referral), "Description", "the seller's earlier notes");
        ReferralMerge.Result first = ReferralMerge.merge(MAPPER, lost, EARLIER, referral, base);
        assertTrue(first.requests().isEmpty(), () -> first.requests().toString());
        assertEquals(Map.of("Description", "Partner Center's notes"), first.restored());

        ReferralMerge.Result again = ReferralMerge.merge(MAPPER, with(lost, "Amount", new BigDecimal("777")), LATER,
                referral, first.agreed());
        assertEquals(1, again.requests().size(), () -> again.requests().toString());
        assertEquals(List.of("/details/dealValue"), paths(again.requests().get(0)), "the new Amount goes; the notes"
                + " that lost do not");
        assertEquals(Map.of("Description", "Partner Center's notes"), again.restored(), "and are set back again");

        // once the opportunity holds Partner Center's value, a seller's new notes are sent as always
        SalesforceImage restored = with(MAPPER.toSalesforce(referral), "Description", "Partner Center's notes");
        Map<String, Object> settled = ReferralMerge.merge(MAPPER, restored, LATER, referral, again.agreed()).agreed();
        ReferralMerge.Result edited = ReferralMerge.merge(MAPPER, with(restored, "Description",
                "the seller's earlier notes"), LATER, referral, settled);
        assertEquals(List.of("/details/notes"), paths(edited.requests().get(0)), "the same words saved anew are sent");
    }

    @Test
    void aSaveMadeBeforeTheAgreementIsNoMoveAwayFromIt() {
        // Partner Center's notes won (changed at UPDATED, later than the seller's save) and are the agreement. A
        // snapshot of a seller's save made before UPDATED (it queued behind the first) differs from the agreement: not
        // a move after it, so not sent — Partner Center's later notes are set back again
        ObjectNode referral = referral("Active", "Accepted");
        Map<String, Object> base = agreement(MAPPER, referral);
        referral.with("details").put("notes", "Partner Center's notes");
        SalesforceImage first = with(MAPPER.toSalesforce(referral), "Description", "the seller's first notes");
        Map<String, Object> agreed = ReferralMerge.merge(MAPPER, first, EARLIER, referral, base).agreed();
        assertEquals("Partner Center's notes", agreed.get("Opportunity.Description"));

        SalesforceImage second = with(first, "Description", "the seller's second notes");
        ReferralMerge.Result stale = ReferralMerge.merge(MAPPER, second, UPDATED.minusSeconds(30), referral, agreed);
        assertTrue(stale.requests().isEmpty(), () -> stale.requests().toString());
        assertEquals(Map.of("Description", "Partner Center's notes"), stale.restored());
        assertEquals(Map.of("Description", "the seller's second notes"), stale.replaced());

        // within the agreement's second, or after it, the seller's save is news and is sent
        for (Instant at : List.of(UPDATED.plusMillis(400), LATER)) {
            ReferralMerge.Result sent = ReferralMerge.merge(MAPPER, second, at, referral, agreed);
            assertEquals(List.of("/details/notes"), paths(sent.requests().get(0)), at::toString);
        }
    }

    @Test
    void aSaveKnownToTheMillisecondIsComparedWithTheAgreementToTheMillisecond() {
        // Microsoft's notes (UPDATED + 700 ms) won over an older save and are the agreement. A save whose change event
        // says 300 ms into the same second is older still: not sent. One at 900 ms is news. A whole-second stamp (a
        // poll) cannot tell, and counts as news
        ObjectNode referral = referral("Active", "Accepted");
        Map<String, Object> base = agreement(MAPPER, referral);
        Instant microsoft = UPDATED.plusMillis(700);
        referral.with("details").put("notes", "Microsoft's notes");
        referral.put("updatedDateTime", microsoft.toString());
        SalesforceImage first = with(MAPPER.toSalesforce(referral), "Description", "the seller's first notes");
        Map<String, Object> agreed = ReferralMerge.merge(MAPPER, first, EARLIER, referral, base).agreed();
        assertEquals("Microsoft's notes", agreed.get("Opportunity.Description"));

        SalesforceImage second = with(first, "Description", "the seller's second notes");
        ReferralMerge.Result older = ReferralMerge.merge(MAPPER, second, UPDATED.plusMillis(300), referral, agreed);
        assertTrue(older.requests().isEmpty(), () -> older.requests().toString());
        assertEquals(Map.of("Description", "Microsoft's notes"), older.restored());
        for (Instant at : List.of(UPDATED.plusMillis(900), UPDATED)) {
            ReferralMerge.Result sent = ReferralMerge.merge(MAPPER, second, at, referral, agreed);
            assertEquals(List.of("/details/notes"), paths(sent.requests().get(0)), at::toString);
        }
        // a snapshot joining that older save with a later one dates the notes from their own save
        ReferralMerge.Result joined = ReferralMerge.merge(MAPPER, with(second, "Amount", new BigDecimal("777")),
                new ReferralMerge.Clocks(LATER, List.of(), Map.of("Description", UPDATED.plusMillis(300)), null),
                referral, agreed);
        assertEquals(List.of("/details/dealValue"), paths(joined.requests().get(0)));
    }

    @Test
    void aSnapshotJoiningTwoSavesDatesEachFieldFromItsOwnSave() {
        // the seller changed the Amount (EARLIER), Partner Center changed it too (UPDATED), then the seller closed the
        // deal (LATER); ingress lagged and read both saves in one snapshot, stamped LATER. The Amount is the first
        // save's: Partner Center's is later and stays (set back on the opportunity), while the close is sent
        ObjectNode referral = referral("Active", "Accepted");
        Map<String, Object> base = agreement(MAPPER, referral);
        referral.with("details").put("dealValue", 9000);
        SalesforceImage joined = with(with(MAPPER.toSalesforce(referral), "Amount", new BigDecimal("4321.50")),
                "StageName", "Closed Won");
        assertEquals(List.of("/details/dealValue"), paths(ReferralMerge.merge(MAPPER, joined, LATER, List.of(),
                referral, base).requests().get(0)).subList(0, 1), "by the record's clock the Amount is sent");

        ReferralMerge.Result result = ReferralMerge.merge(MAPPER, joined, new ReferralMerge.Clocks(LATER, List.of(),
                Map.of("Amount", EARLIER, "StageName", LATER), null), referral, base);
        assertEquals(1, result.requests().size(), () -> result.requests().toString());
        assertEquals(List.of("/status", "/substatus"), paths(result.requests().get(0)), "only the close goes");
        assertEquals("Won", result.requests().get(0).get(1).get("value").asText());
        assertEquals(0, new BigDecimal("9000").compareTo((BigDecimal) result.restored().get("Amount")));
    }

    @Test
    void anOlderPartnerCenterValueOurWriteBroughtIsNeverSentBackOverItsNewerOne() {
        // both sides agreed on Partner Center's 9000 (the latest); then the salesforce-writer, late, wrote Partner
        // Center's older 8000 onto the opportunity. Salesforce "moved" and Partner Center did not, but the moved
        // value is ours: Partner Center's 9000 stays and is set back
        ObjectNode referral = referral("Active", "Accepted");
        referral.with("details").put("dealValue", 9000);
        Map<String, Object> base = agreement(MAPPER, referral);
        SalesforceImage late = with(MAPPER.toSalesforce(referral), "Amount", new BigDecimal("8000"));
        ReferralMerge.Result result = ReferralMerge.merge(MAPPER, late, new ReferralMerge.Clocks(LATER,
                List.of("Amount"), Map.of("Amount", LATER), null), referral, base);
        assertTrue(result.requests().isEmpty(), () -> result.requests().toString());
        assertEquals(0, new BigDecimal("9000").compareTo((BigDecimal) result.restored().get("Amount")));
        // a seller's own edit to 8000 is sent as ever
        assertEquals(List.of("/details/dealValue"), paths(ReferralMerge.merge(MAPPER, late, LATER, referral, base)
                .requests().get(0)));
        // where Partner Center holds nothing, a value we wrote (a default) is never set back to nothing
        referral.with("details").putNull("dealValue");
        ReferralMerge.Result empty = ReferralMerge.merge(MAPPER, late, new ReferralMerge.Clocks(LATER,
                List.of("Amount"), Map.of("Amount", LATER), null), referral, agreement(MAPPER, referral));
        assertFalse(empty.restored().containsKey("Amount"), () -> empty.restored().toString());
    }

    @Test
    void anAgreementOnTheSellersValueDatesFromTheSaveSentNotFromPartnerCenter() {
        // the seller's notes of EARLIER are sent; Partner Center stamps that write later (UPDATED). A seller's save
        // between the two is newer than the agreement, and is sent in turn
        ObjectNode referral = referral("Active", "Accepted");
        Map<String, Object> base = agreement(MAPPER, referral);
        SalesforceImage first = with(MAPPER.toSalesforce(referral), "Description", "the seller's first notes");
        ReferralMerge.Result sent = ReferralMerge.merge(MAPPER, first, EARLIER, referral, base);
        assertEquals(List.of("/details/notes"), paths(sent.requests().get(0)));
        referral.with("details").put("notes", "the seller's first notes");
        SalesforceImage second = with(first, "Description", "the seller's second notes");
        ReferralMerge.Result next = ReferralMerge.merge(MAPPER, second, EARLIER.plusSeconds(10), referral,
                sent.agreed());
        assertEquals(List.of("/details/notes"), paths(next.requests().get(0)));
        assertEquals(Map.of(), next.restored());
    }

    @ParameterizedTest(name = "owner {0}: sent = {1}")
    @CsvSource({"salesforce,true", "partner-center,false", "never-overwrite-inbound,false"})
    void ownersOtherThanLatestDecideAlone(String owner, boolean sent) {
        FieldMapper mapper = new FieldMapper(FieldMap.standard(), TenantMappings.parse("activeStage: Qualification\n"
                + "pendingStage: Co-sell Pending\nowners:\n  Opportunity.Description: " + owner + "\n", "test",
                FieldMap.standard()));
        ObjectNode referral = referral("Active", "Accepted");
        Map<String, Object> base = agreement(mapper, referral);
        referral.with("details").put("notes", "Partner Center's notes");
        SalesforceImage edited = with(mapper.toSalesforce(referral), "Description", "Salesforce's notes");
        // Salesforce saved earlier: "latest" would keep Partner Center's value
        ReferralMerge.Result result = ReferralMerge.merge(mapper, edited, EARLIER, referral, base);
        assertEquals(sent, !result.requests().isEmpty());
    }

    private static FieldMapper owning(String field, String owner) {
        return new FieldMapper(FieldMap.standard(), TenantMappings.parse("activeStage: Qualification\n"
                + "pendingStage: Co-sell Pending\nowners:\n  " + field + ": " + owner + "\n", "test",
                FieldMap.standard()));
    }

    @ParameterizedTest(name = "owner {0}, Salesforce saved {1}: set back on the opportunity = {2}")
    @CsvSource({"partner-center,later,true", "partner-center,earlier,true", "latest,earlier,true",
            "latest,later,false", "salesforce,earlier,false", "never-overwrite-inbound,earlier,false"})
    void partnerCenterValuesThatWinAreSetBackOnTheOpportunity(String owner, String when, boolean restored) {
        FieldMapper mapper = owning("Opportunity.Description", owner);
        ObjectNode referral = referral("Active", "Accepted");
        Map<String, Object> base = agreement(mapper, referral);
        referral.with("details").put("notes", "Partner Center's notes");
        SalesforceImage edited = with(mapper.toSalesforce(referral), "Description", "Salesforce's notes");
        ReferralMerge.Result result = ReferralMerge.merge(mapper, edited, when.equals("later") ? LATER : EARLIER,
                referral, base);
        assertEquals(restored ? Map.of("Description", "Partner Center's notes") : Map.of(), result.restored());
        if (restored) {
            assertTrue(result.requests().isEmpty(), () -> result.requests().toString());
            assertEquals("Partner Center's notes", result.agreed().get("Opportunity.Description"));
        }
    }

    @Test
    void aPartnerCenterChangeOfAValueSalesforceOwnsIsSetBackToTheAgreement() {
        FieldMapper mapper = owning("Opportunity.CloseDate", "salesforce");
        assertTrue(OwnedValues.salesforceOwnsAny(mapper));
        assertTrue(!OwnedValues.salesforceOwnsAny(MAPPER), "the standard map gives Salesforce nothing");
        ObjectNode referral = referral("Active", "Accepted");
        referral.with("details").put("closingDateTime", "2027-06-30T00:00:00Z"); // the sample may have none
        Map<String, Object> base = agreement(mapper, referral);
        String agreed = referral.at("/details/closingDateTime").asText();
        referral.with("details").put("closingDateTime", "2031-03-03T00:00:00Z").put("notes", "partner's notes");

        ReferralMerge.Result result = OwnedValues.restore(mapper, referral, base);
        assertEquals(List.of("Opportunity.CloseDate"), result.sent());
        assertEquals(1, result.requests().size());
        ArrayNode request = result.requests().get(0);
        assertEquals(List.of("/details/closingDateTime"), paths(request), "the notes are not Salesforce's");
        assertEquals(agreed.substring(0, 10), request.get(0).get("value").asText().substring(0, 10));

        referral.with("details").put("closingDateTime", agreed);
        assertTrue(OwnedValues.restore(mapper, referral, base).requests().isEmpty(), "nothing differs");
        assertTrue(OwnedValues.restore(mapper, referral, null).requests().isEmpty(), "nothing agreed yet");
    }

    @Test
    void theCheckMarkTheOpportunityShowsIsNoChangeOfItsName() {
        ObjectNode referral = referral("Active", "Accepted");
        String name = referral.path("name").asText();
        Map<String, Object> base = agreement(MAPPER, referral);
        SalesforceImage marked = with(MAPPER.toSalesforce(referral), "Name", name + " ✔");
        ReferralMerge.Result echo = ReferralMerge.merge(MAPPER, marked, LATER, referral, base);
        assertTrue(echo.requests().isEmpty() && echo.restored().isEmpty(), echo::toString);
        assertEquals(name, echo.agreed().get("Opportunity.Name"));

        // an agreement that kept the mark (written before marks were stripped here): a seller's rename is still
        // only Salesforce's change, sent even though Partner Center changed the referral later
        Map<String, Object> old = new LinkedHashMap<>(base);
        old.put("Opportunity.Name", name + " ✔");
        ReferralMerge.Result renamed = ReferralMerge.merge(MAPPER, with(marked, "Name", "Renamed deal"), EARLIER,
                referral, old);
        assertEquals(List.of("/name"), paths(renamed.requests().get(0)));
        assertEquals(Map.of(), renamed.restored());
    }

    @Test
    void aContactAddedInSalesforceReplacesTheWholeList() {
        ObjectNode referral = referral("Active", "Accepted");
        Map<String, Object> base = agreement(MAPPER, referral);
        SalesforceImage image = MAPPER.toSalesforce(referral);
        Map<String, List<Map<String, Object>>> collections = new LinkedHashMap<>(image.collections());
        List<Map<String, Object>> contacts = new ArrayList<>(image.collection("Contact"));
        contacts.add(Map.of("FirstName", "Mia", "LastName", "Wong", "Email", "mia.wong@example.com"));
        collections.put("Contact", contacts);
        ReferralMerge.Result result = ReferralMerge.merge(MAPPER, new SalesforceImage(image.records(), collections),
                LATER, referral, base);
        ArrayNode request = result.requests().get(0);
        assertEquals(List.of("/customerProfile/team"), paths(request));
        assertEquals(contacts.size(), request.get(0).get("value").size());
        assertEquals("mia.wong@example.com", request.get(0).get("value").get(contacts.size() - 1).get("email")
                .asText());
    }

    @Test
    void valuesTheDefaultsFilledInAreNotSentEvenWhenTheirListIs() {
        ObjectNode referral = referral("Active", "Accepted");
        referral.put("createdDateTime", "2026-11-01T09:30:00Z");
        referral.with("details").putNull("closingDateTime");
        referral.with("customerProfile").putArray("team").addObject().put("email", "ana@contoso.example")
                .put("firstName", "Ana");
        Map<String, Object> base = agreement(MAPPER, referral);
        SalesforceImage image = MAPPER.toSalesforce(referral);
        assertEquals("2027-01-30", image.record("Opportunity").get("CloseDate"));
        assertTrue(ReferralMerge.merge(MAPPER, image, LATER, referral, base).requests().isEmpty());

        Map<String, List<Map<String, Object>>> collections = new LinkedHashMap<>(image.collections());
        List<Map<String, Object>> contacts = new ArrayList<>(image.collection("Contact"));
        contacts.add(Map.of("FirstName", "Mia", "LastName", "(not provided)", "Email", "mia@example.com"));
        collections.put("Contact", contacts);
        ArrayNode request = ReferralMerge.merge(MAPPER, new SalesforceImage(image.records(), collections), LATER,
                referral, base).requests().get(0);
        assertEquals(List.of("/customerProfile/team"), paths(request));
        JsonNode team = request.get(0).get("value");
        assertTrue(team.get(0).path("lastName").isMissingNode(), "filled by the default: " + team);
        assertEquals("(not provided)", team.get(1).get("lastName").asText(), "the seller's own value: " + team);
    }

    @ParameterizedTest(name = "{0}/{1} moved to {2} → {3}")
    @CsvSource({
        "New,Pending,Qualification,Active/Accepted",
        "New,Pending,Closed Won,Active/Accepted;Closed/Won",
        "New,Pending,Closed Lost,Closed/Declined",
        "Active,Accepted,Closed Won,Closed/Won",
        "Active,Accepted,Closed Lost,Closed/Lost",
        "Active,Accepted,Negotiation/Review,"})
    void aStageMoveIsWhatTheLifecycleAllows(String status, String substatus, String stage, String expected) {
        ObjectNode referral = referral(status, substatus);
        Map<String, Object> base = agreement(MAPPER, referral);
        SalesforceImage moved = with(MAPPER.toSalesforce(referral), "StageName", stage);
        ReferralMerge.Result result = ReferralMerge.merge(MAPPER, moved, LATER, referral, base);
        List<String> moves = new ArrayList<>();
        for (ArrayNode request : result.requests()) {
            String to = null;
            String sub = null;
            for (JsonNode op : request) {
                if (op.get("path").asText().equals("/status")) {
                    to = op.get("value").asText();
                } else if (op.get("path").asText().equals("/substatus")) {
                    sub = op.get("value").asText();
                } else if (op.get("path").asText().equals("/statusReason")) {
                    assertTrue(op.get("value").asText().contains(stage));
                }
            }
            moves.add(to + "/" + sub);
        }
        assertEquals(expected == null ? "" : expected, String.join(";", moves));
    }

    @Test
    void aReferralSeenForTheFirstTimeSendsOnlyTheStageAndAgreesOnWhatSalesforceHas() {
        ObjectNode referral = referral("New", "Pending");
        SalesforceImage image = with(with(MAPPER.toSalesforce(referral), "Description", "what Salesforce holds"),
                "StageName", "Qualification");
        ReferralMerge.Result first = ReferralMerge.merge(MAPPER, image, LATER, referral, null);
        assertEquals(1, first.requests().size());
        assertEquals(List.of("/status", "/substatus"), paths(first.requests().get(0)));
        assertEquals("what Salesforce holds", first.agreed().get("Opportunity.Description"));

        // unchanged since: still nothing sent
        referral.put("status", "Active").put("substatus", "Accepted");
        assertTrue(ReferralMerge.merge(MAPPER, image, LATER, referral, first.agreed()).requests().isEmpty());
        // a seller's edit afterwards: both sides now differ from the agreement, so the later one wins
        SalesforceImage edited = with(image, "Description", "edited");
        assertEquals(List.of("/details/notes"), paths(ReferralMerge.merge(MAPPER, edited, LATER, referral,
                first.agreed()).requests().get(0)));
        assertTrue(ReferralMerge.merge(MAPPER, edited, EARLIER, referral, first.agreed()).requests().isEmpty());
    }

    @Test
    void visibilityGivenCannotBeWithdrawnAndNothingIsSent() {
        ObjectNode referral = referral("Active", "Accepted");
        referral.with("consent").put("consentToShareReferralWithMicrosoftSellers", true);
        Map<String, Object> base = agreement(MAPPER, referral);
        SalesforceImage image = with(with(MAPPER.toSalesforce(referral), "Microsoft_Visibility__c", false),
                "Description", "edited too");
        ReferralMerge.Result result = ReferralMerge.merge(MAPPER, image, LATER, referral, base);
        assertTrue(result.requests().isEmpty());
        assertEquals(1, result.problems().size());
        assertTrue(result.problems().get(0).contains("Microsoft_Visibility__c"), result.problems().get(0));
    }
}
