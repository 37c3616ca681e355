package io.cosellsync.mapper.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.command.CreateReferralCommand;
import io.cosellsync.events.partnercenter.ReferralDraft;
import io.cosellsync.events.partnercenter.ReferralType;
import io.cosellsync.events.salesforce.ContactRole;
import io.cosellsync.events.salesforce.OpportunitySnapshot;
import io.cosellsync.events.salesforce.SObjectRecord;
import io.cosellsync.events.salesforce.SolutionLink;
import io.cosellsync.events.salesforce.TeamMember;
import io.cosellsync.mapping.FieldMap;
import io.cosellsync.mapping.FieldMapper;
import io.cosellsync.mapping.TenantMappings;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpportunityToReferralTest {

    private static final FieldMapper CONTOSO = new FieldMapper(FieldMap.standard(), TenantMappings.read(
            Path.of("../deploy/local/mappings/contoso.yaml"), FieldMap.standard()));
    private static final String OPPORTUNITY = "006000000000001AAA";

    private static Map<String, Object> opportunity(Map<String, Object> changes) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("Name", "Fabrikam data platform ✔");
        fields.put("StageName", "Prospecting");
        fields.put("CloseDate", "2027-03-31");
        fields.put("Amount", new BigDecimal("120000.00"));
        fields.put("CurrencyIsoCode", "USD");
        fields.put("Description", "Needs a PoC on Azure.");
        fields.put("IsClosed", false);
        fields.put("Sync_with_Partner_Center__c", true);
        fields.put("Referral_Identifier__c", null);
        fields.put("How_can_Microsoft_help__c", "Proof of concept or demo");
        fields.put("Microsoft_Visibility__c", false);
        fields.put("Customer_Marketplace_Intent__c", "Have not decided");
        fields.putAll(changes);
        return fields;
    }

    private static OpportunitySnapshot snapshot(Map<String, Object> changes, boolean withAccount,
            List<ContactRole> roles, List<SolutionLink> solutions) {
        SObjectRecord account = withAccount ? new SObjectRecord("001000000000001AAA", Map.of("Name", "Fabrikam Ltd",
                "BillingStreet", "1 Main St", "BillingCity", "Seattle", "BillingState", "WA", "BillingPostalCode",
                "98101", "BillingCountry", "US")) : null;
        return new OpportunitySnapshot(new SObjectRecord(OPPORTUNITY, opportunity(changes)), Instant.now(), null,
                account, roles, solutions, List.of(new TeamMember("00q000000000001AAA", "005000000000001AAA",
                        "Sales Rep", "Sam", "Lee", "sam.lee@contoso.example", null, "Account Executive")), List.of());
    }

    private static final List<ContactRole> ROLES = List.of(new ContactRole("00K000000000001AAA", "Decision Maker",
            true, new SObjectRecord("003000000000001AAA", Map.of("FirstName", "Ana", "LastName", "Diaz", "Email",
                    "ana.diaz@fabrikam.example", "Phone", "+12065550100"))));
    private static final List<SolutionLink> SOLUTIONS = List.of(new SolutionLink("a01000000000001AAA",
            "SOL-15974-MQF", "Contoso Data Platform"));

    private static OpportunityToReferral.Plan plan(Map<String, Object> changes) {
        return OpportunityToReferral.plan(snapshot(changes, true, ROLES, SOLUTIONS), CONTOSO);
    }

    @Test
    void aCoSellOpportunityBecomesASharedReferralWithEveryMappedField() {
        CreateReferralCommand command = assertInstanceOf(OpportunityToReferral.Create.class, plan(Map.of()))
                .command();
        ReferralDraft draft = command.referral();
        assertEquals(OPPORTUNITY, command.opportunityId());
        assertTrue(command.shareWithMicrosoft(), "co-sell: shared with Microsoft in the second step");
        assertEquals(ReferralType.SHARED, draft.type());
        assertEquals(OPPORTUNITY, draft.externalReferenceId());
        assertEquals("Fabrikam data platform", draft.name(), "the check mark stays in Salesforce");
        assertEquals(Boolean.TRUE, draft.consent().shareWithMicrosoftSellers(), "implied by the help asked for");
        assertEquals("ProofOfConceptOrDemo", draft.inviteContext().assistanceRequestCode());
        assertEquals("Fabrikam Ltd", draft.customer().name());
        assertEquals("US", draft.customer().address().country());
        assertEquals("Seattle", draft.customer().address().city());
        assertEquals("ana.diaz@fabrikam.example", draft.customer().contacts().get(0).email());
        assertEquals("+12065550100", draft.customer().contacts().get(0).phoneNumber());
        assertEquals("SOL-15974-MQF", draft.details().solutions().get(0).id());
        assertEquals(0, new BigDecimal("120000").compareTo(draft.details().dealValue()));
        assertEquals("USD", draft.details().currency());
        assertEquals(Instant.parse("2027-03-31T00:00:00Z"), draft.details().closingDateTime());
        assertEquals("Needs a PoC on Azure.", draft.details().notes());
        assertEquals("HaveNotDecided", draft.details().marketplaceIntent());
        assertEquals("sam.lee@contoso.example", draft.team().get(0).email());
    }

    @Test
    void visibilityWithoutHelpIsPartnerLedAndNeitherIsPrivate() {
        Map<String, Object> partnerLed = new HashMap<>();
        partnerLed.put("How_can_Microsoft_help__c", null);
        partnerLed.put("Microsoft_Visibility__c", true);
        CreateReferralCommand led = assertInstanceOf(OpportunityToReferral.Create.class, plan(partnerLed)).command();
        assertEquals(ReferralType.INDEPENDENT, led.referral().type());
        assertEquals(Boolean.TRUE, led.referral().consent().shareWithMicrosoftSellers());
        assertFalse(led.shareWithMicrosoft());

        partnerLed.put("Microsoft_Visibility__c", false);
        CreateReferralCommand privately = assertInstanceOf(OpportunityToReferral.Create.class, plan(partnerLed))
                .command();
        assertEquals(ReferralType.INDEPENDENT, privately.referral().type());
        assertEquals(Boolean.FALSE, privately.referral().consent().shareWithMicrosoftSellers());
    }

    @Test
    void preFlightNamesEverythingTheSellerMustFixAtOnce() {
        OpportunityToReferral.Refused refused = assertInstanceOf(OpportunityToReferral.Refused.class,
                OpportunityToReferral.plan(snapshot(Map.of(), true, List.of(), List.of()), CONTOSO));
        assertEquals(2, refused.problems().size(), refused.message());
        assertTrue(refused.message().contains("solution"), refused.message());
        assertTrue(refused.message().contains("customer contact"), refused.message());

        OpportunityToReferral.Refused noAccount = assertInstanceOf(OpportunityToReferral.Refused.class,
                OpportunityToReferral.plan(snapshot(Map.of(), false, ROLES, SOLUTIONS), CONTOSO));
        assertTrue(noAccount.message().contains("no account"), noAccount.message());
    }

    @Test
    void aCountryNameIsNotACountryCode() {
        OpportunitySnapshot named = snapshot(Map.of(), true, ROLES, SOLUTIONS);
        Map<String, Object> account = new HashMap<>(named.account().fields());
        account.put("BillingCountry", "United States");
        OpportunitySnapshot snapshot = new OpportunitySnapshot(named.opportunity(), named.systemModstamp(), null,
                new SObjectRecord(named.account().id(), account), ROLES, SOLUTIONS, named.team(), List.of());
        OpportunityToReferral.Refused refused = assertInstanceOf(OpportunityToReferral.Refused.class,
                OpportunityToReferral.plan(snapshot, CONTOSO));
        assertTrue(refused.message().contains("Account.BillingCountry must hold the customer's two-letter ISO 3166"
                + " country code (e.g. US), not 'United States'"), refused.message());
    }

    @Test
    void onlySyncedOpportunitiesAndNeverWhilePendingOrClosed() {
        Map<String, Object> off = new HashMap<>();
        off.put("Sync_with_Partner_Center__c", false);
        OpportunityToReferral.Skip never = assertInstanceOf(OpportunityToReferral.Skip.class, plan(off));
        assertFalse(never.report(), "an opportunity never synced is nobody's concern");
        off.put("Referral_Identifier__c", "2c5f5b0a-0000-4000-8000-000000000001");
        OpportunityToReferral.Skip switchedOff = assertInstanceOf(OpportunityToReferral.Skip.class, plan(off));
        assertTrue(switchedOff.report(), "the seller is told updates stopped");
        assertEquals(OpportunityToReferral.SYNC_SWITCHED_OFF, switchedOff.reasonCode());

        assertEquals(OpportunityToReferral.NOT_SHARED_WHILE_PENDING, assertInstanceOf(OpportunityToReferral.Skip.class,
                plan(Map.of("StageName", "Co-sell Pending"))).reasonCode());
        assertEquals(OpportunityToReferral.CLOSED_BEFORE_SHARING, assertInstanceOf(OpportunityToReferral.Skip.class,
                plan(Map.of("IsClosed", true))).reasonCode());

        OpportunityToReferral.Update update = assertInstanceOf(OpportunityToReferral.Update.class,
                plan(Map.of("Referral_Identifier__c", "2c5f5b0a-0000-4000-8000-000000000001")));
        assertEquals("2c5f5b0a-0000-4000-8000-000000000001", update.referralId());
        assertEquals("SOL-15974-MQF", update.image().collection("Microsoft_Solution__c").get(0)
                .get("Solution_Id__c"));
        assertEquals(true, update.image().record("Opportunity").get("Microsoft_Visibility__c"),
                "help requested: visible to Microsoft whatever the box says");
        // a referral shared with us and not accepted yet: its edits wait for the move out of the pending stage
        OpportunityToReferral.Skip pending = assertInstanceOf(OpportunityToReferral.Skip.class, plan(Map.of(
                "Referral_Identifier__c", "2c5f5b0a-0000-4000-8000-000000000001", "StageName", "Co-sell Pending")));
        assertEquals(OpportunityToReferral.NOT_SHARED_WHILE_PENDING, pending.reasonCode());
        assertFalse(pending.report());
    }
}
