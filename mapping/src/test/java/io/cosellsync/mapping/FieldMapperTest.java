package io.cosellsync.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The field map's transforms on the cases a reader would ask about. */
class FieldMapperTest {

    private static final FieldMapper MAPPER = ReferralRoundTripTest.mapper(true);

    private static ObjectNode referral(String status, String substatus) {
        ObjectNode doc = ReferralDocument.of(Referrals.referral().sample());
        doc.put("status", status).put("substatus", substatus);
        return doc;
    }

    /** The image with one Opportunity field changed. */
    static SalesforceImage withOpportunity(SalesforceImage image, String field, Object value) {
        Map<String, Map<String, Object>> records = new LinkedHashMap<>(image.records());
        Map<String, Object> opportunity = new LinkedHashMap<>(image.record("Opportunity"));
        opportunity.put(field, value);
        records.put("Opportunity", opportunity);
        return new SalesforceImage(records, image.collections());
    }

    @Test
    void microsoftsMessageAndStatusReasonReachTheOpportunityAndNeverGoBack() {
        ObjectNode referral = referral("Closed", "Declined");
        referral.put("statusReason", "Customer chose another partner");
        ((ObjectNode) referral.with("inviteContext")).put("notes", "Please help with a PoC.");
        ((ObjectNode) referral.with("details")).put("notes", "Our own notes.");
        Map<String, Object> opportunity = MAPPER.toSalesforce(referral).record("Opportunity");
        assertEquals("Customer chose another partner", opportunity.get("Microsoft_Status_Reason__c"));
        assertEquals("Please help with a PoC.", opportunity.get("Microsoft_Invitation_Notes__c"));
        assertEquals("Our own notes.", opportunity.get("Description"), "the partner's notes stay the Description");
        // a seller editing them changes nothing in Partner Center
        SalesforceImage edited = withOpportunity(withOpportunity(MAPPER.toSalesforce(referral),
                "Microsoft_Invitation_Notes__c", "edited"), "Microsoft_Status_Reason__c", "edited");
        ObjectNode next = MAPPER.toPartnerCenter(edited, referral);
        assertEquals("Please help with a PoC.", next.at("/inviteContext/notes").asText());
        assertEquals("Our own notes.", next.at("/details/notes").asText());
        assertEquals("Customer chose another partner", next.path("statusReason").asText());
    }

    @Test
    void theReferralLinkIsAnAddressASellerCanOpenNotTheApiUri() {
        ObjectNode referral = referral("New", "Pending");
        Object link = MAPPER.toSalesforce(referral).record("Opportunity").get("Referral_Link__c");
        assertEquals(TenantMapping.DEFAULT_REFERRAL_LINK, link);
        assertFalse(link.equals(referral.at("/links/self/uri").asText()), "not the API's own address");
    }

    @ParameterizedTest(name = "{0}/{1} → {2}")
    @CsvSource({"New,Pending,Co-sell Pending", "New,Received,Co-sell Pending", "Active,Accepted,Qualification",
        "Closed,Won,Closed Won", "Closed,Lost,Closed Lost", "Closed,Declined,Closed Lost", "Closed,Expired,Closed Lost"})
    void statusAndSubstatusPickTheStage(String status, String substatus, String stage) {
        assertEquals(stage, MAPPER.toSalesforce(referral(status, substatus)).record("Opportunity").get("StageName"));
    }

    @ParameterizedTest(name = "{0}/{1} moved to {2} → {3}/{4}")
    @CsvSource({
        "New,Pending,Qualification,Active,Accepted",
        "New,Pending,Negotiation/Review,Active,Accepted",
        "New,Pending,Closed Lost,Closed,Declined",
        "New,Received,Closed Won,Closed,Won",
        "Active,Accepted,Closed Won,Closed,Won",
        "Active,Accepted,Closed Lost,Closed,Lost",
        "Active,Accepted,Co-sell Pending,Active,Accepted",
        "Closed,Won,Qualification,Closed,Won",
        "Closed,Expired,Closed Won,Closed,Expired"})
    void aStageMoveBecomesTheReferralsStatus(String status, String substatus, String stage, String newStatus,
            String newSubstatus) {
        ObjectNode referral = referral(status, substatus);
        ObjectNode next = MAPPER.toPartnerCenter(withOpportunity(MAPPER.toSalesforce(referral), "StageName", stage),
                referral);
        assertEquals(newStatus, next.get("status").asText());
        assertEquals(newSubstatus, next.get("substatus").asText());
    }

    @Test
    void theCheckMarkStaysInSalesforce() {
        ObjectNode referral = referral("Active", "Accepted");
        referral.put("name", "Contoso rollout");
        ObjectNode next = MAPPER.toPartnerCenter(withOpportunity(MAPPER.toSalesforce(referral), "Name",
                "Contoso rollout phase 2 ✔"), referral);
        assertEquals("Contoso rollout phase 2", next.get("name").asText());
        FieldMapper withoutMarks = ReferralRoundTripTest.mapper(false);
        assertEquals("Contoso rollout phase 2 ✔", withoutMarks.toPartnerCenter(withOpportunity(
                withoutMarks.toSalesforce(referral), "Name", "Contoso rollout phase 2 ✔"), referral).get("name")
                .asText());
    }

    @Test
    void aDealValueSalesforceRoundsDoesNotTravelBackAsAChange() {
        ObjectNode referral = referral("Active", "Accepted");
        referral.with("details").set("dealValue", DecimalNode.valueOf(new BigDecimal("1234.565")));
        SalesforceImage image = MAPPER.toSalesforce(referral);
        assertEquals(new BigDecimal("1234.57"), image.record("Opportunity").get("Amount"));
        assertEquals(referral, MAPPER.toSyncedReferral(image, referral));
        // a deal value sent as a string, as Partner Center sometimes does
        referral.with("details").set("dealValue", TextNode.valueOf("250000"));
        assertEquals(new BigDecimal("250000.00"), MAPPER.toSalesforce(referral).record("Opportunity").get("Amount"));
    }

    @Test
    void requiredSalesforceFieldsGetTheTenantsDefaultsWhichDoNotTravelBackToTheReferralTheyFilled() {
        ObjectNode referral = referral("New", "Pending");
        referral.put("createdDateTime", "2026-11-01T09:30:00Z");
        referral.with("details").putNull("closingDateTime");
        referral.with("customerProfile").putArray("team").addObject().put("email", "ana@contoso.example")
                .put("firstName", "Ana");
        SalesforceImage image = MAPPER.toSalesforce(referral);
        assertEquals("2027-01-30", image.record("Opportunity").get("CloseDate"));
        assertEquals("(not provided)", image.collection("Contact").get(0).get("LastName"));
        ObjectNode next = MAPPER.toSyncedReferral(image, referral);
        assertEquals(referral, next);
        assertNull(next.at("/customerProfile/team/0/lastName").textValue());
    }

    /** Issue 31's sample: a closing date that happens to be the creation day plus the tenant's P90D default. */
    @Test
    void aRealClosingDateEqualToTheDefaultComesBack() {
        ObjectNode referral = referral("New", "Pending");
        referral.put("createdDateTime", "2026-11-01T09:30:00Z");
        referral.with("details").put("closingDateTime", "2027-01-30T00:00:00Z");
        SalesforceImage image = MAPPER.toSalesforce(referral);
        assertEquals("2027-01-30", image.record("Opportunity").get("CloseDate"));
        ObjectNode skeleton = referral.objectNode();
        for (String key : List.of("id", "status", "substatus", "createdDateTime")) {
            skeleton.set(key, referral.get(key));
        }
        assertEquals("2027-01-30T00:00:00Z", MAPPER.toPartnerCenter(image, skeleton)
                .at("/details/closingDateTime").asText());
    }

    @Test
    void aRealLastNameEqualToThePlaceholderComesBack() {
        ObjectNode referral = referral("New", "Pending");
        referral.with("customerProfile").putArray("team").addObject().put("email", "np@contoso.example")
                .put("firstName", "Ana").put("lastName", "(not provided)");
        SalesforceImage image = MAPPER.toSalesforce(referral);
        ObjectNode next = MAPPER.toPartnerCenter(image, referral);
        assertEquals("(not provided)", next.at("/customerProfile/team/0/lastName").textValue());
        ObjectNode skeleton = referral.objectNode();
        skeleton.set("createdDateTime", referral.get("createdDateTime"));
        assertEquals("(not provided)", MAPPER.toPartnerCenter(image, skeleton)
                .at("/customerProfile/team/0/lastName").textValue());
    }

    @Test
    void valuesSalesforceCannotTakeAreRefusedWithTheReason() {
        ObjectNode currency = referral("Active", "Accepted");
        currency.with("details").put("currency", "US Dollar");
        assertEquals("details.currency 'US Dollar' is not an ISO 4217 currency code",
                assertThrows(MappingException.class, () -> MAPPER.toSalesforce(currency)).getMessage());
        ObjectNode country = referral("Active", "Accepted");
        country.with("customerProfile").with("address").put("country", "Germany");
        assertEquals("customerProfile.address.country 'Germany' is not a two-letter ISO 3166 country code",
                assertThrows(MappingException.class, () -> MAPPER.toSalesforce(country)).getMessage());
        ObjectNode help = referral("Active", "Accepted");
        help.with("inviteContext").put("assistanceRequestCode", "BuyUsLunch");
        assertEquals("inviteContext.assistanceRequestCode 'BuyUsLunch' has no Salesforce value (add it to "
                + "picklists.assistanceRequestCode)",
                assertThrows(MappingException.class, () -> MAPPER.toSalesforce(help)).getMessage());
    }

    @Test
    void aRenamedFieldIsWrittenUnderTheOrgsName() {
        TenantMapping tenant = TenantMappings.parse("activeStage: Qualification\npendingStage: Co-sell Pending\n"
                + "dealValueField: Opportunity.Deal_Value__c\n", "test", FieldMap.standard());
        SalesforceImage image = new FieldMapper(FieldMap.standard(), tenant).toSalesforce(referral("New", "Pending"));
        assertEquals(List.of(false, true), List.of(image.record("Opportunity").containsKey("Amount"),
                image.record("Opportunity").containsKey("Deal_Value__c")));
    }
}
