package io.cosellsync.mapper.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.EventType;
import io.cosellsync.events.command.ChildRecords;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.events.partnercenter.Address;
import io.cosellsync.events.partnercenter.Customer;
import io.cosellsync.events.partnercenter.Details;
import io.cosellsync.events.partnercenter.InviteContext;
import io.cosellsync.events.partnercenter.ReferralDirection;
import io.cosellsync.events.partnercenter.ReferralQualification;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.events.partnercenter.ReferralStatus;
import io.cosellsync.events.partnercenter.ReferralSubstatus;
import io.cosellsync.events.partnercenter.ReferralType;
import io.cosellsync.mapping.FieldMap;
import io.cosellsync.mapping.FieldMapper;
import io.cosellsync.mapping.FieldRow;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.mapping.TenantMappings;
import io.cosellsync.testing.Samples;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Given a referral and a tenant's mapping file, the command (or the skip, or the failure) the mapper makes. */
class ReferralToOpportunityTest {

    private static final FieldMapper CONTOSO = mapper("contoso");
    private static final FieldMapper FABRIKAM = mapper("fabrikam");

    private final ReferralSnapshot referral = Samples.sample(EventType.REFERRAL_SNAPSHOT, ReferralSnapshot.class);

    private static FieldMapper mapper(String tenant) {
        return new FieldMapper(FieldMap.standard(), TenantMappings.read(Path.of("../deploy/local/mappings/" + tenant
                + ".yaml"), FieldMap.standard()));
    }

    private static UpsertOpportunityCommand command(MappingResult result) {
        return assertInstanceOf(MappingResult.Command.class, result).command();
    }

    private ReferralSnapshot with(ReferralStatus status, ReferralSubstatus substatus, ReferralDirection direction) {
        ReferralSnapshot r = referral;
        return new ReferralSnapshot(r.referralId(), r.engagementId(), r.name(), r.externalReferenceId(),
                r.organizationId(), status, substatus, r.statusReason(), r.type(), r.qualification(), direction,
                r.createdDateTime(), r.updatedDateTime(), r.expirationDateTime(), r.acceptedDateTime(),
                r.closedDateTime(), r.eTag(), r.customer(), r.consent(), r.details(), r.team(), r.inviteContext(),
                r.microsoftCrmId(), r.referralLink());
    }

    private ReferralSnapshot with(ReferralType type, ReferralQualification qualification, Customer customer,
            Details details) {
        ReferralSnapshot r = referral;
        return new ReferralSnapshot(r.referralId(), r.engagementId(), r.name(), r.externalReferenceId(),
                r.organizationId(), r.status(), r.substatus(), r.statusReason(), type, qualification, r.direction(),
                r.createdDateTime(), r.updatedDateTime(), r.expirationDateTime(), r.acceptedDateTime(),
                r.closedDateTime(), r.eTag(), customer, r.consent(), details, r.team(),
                new InviteContext(null, null, "msft", "Microsoft"), r.microsoftCrmId(), r.referralLink());
    }

    @Test
    void anAcceptedCoSellReferralBecomesAnUpsertByTheReferralIdentifier() {
        UpsertOpportunityCommand command = command(ReferralToOpportunity.map(referral, CONTOSO));

        assertEquals(referral.referralId(), command.referralId());
        assertEquals("Referral_Identifier__c", command.externalIdField());
        assertEquals(referral.updatedDateTime(), command.sourceUpdatedAt());
        assertTrue(command.checkMark());
        Map<String, Object> opp = command.opportunityFields();
        assertEquals("Fabrikam – data platform modernisation", opp.get("Name"));
        assertEquals(new BigDecimal("120000.00"), opp.get("Amount"));
        assertEquals("USD", opp.get("CurrencyIsoCode"));
        assertEquals("2026-03-31", opp.get("CloseDate"));
        assertEquals("Needs help with a PoC on Azure.", opp.get("Description"));
        assertEquals(referral.referralId(), opp.get("Referral_Identifier__c"));
        assertEquals(TenantMapping.DEFAULT_REFERRAL_LINK, opp.get("Referral_Link__c"), "a page a seller can open");
        assertEquals("Proof of concept or demo", opp.get("How_can_Microsoft_help__c"));
        assertEquals(true, opp.get("Microsoft_Visibility__c"));
        assertEquals("Have not decided", opp.get("Customer_Marketplace_Intent__c"));
        // an open referral's stage and the sync flag are set only on a new opportunity
        assertEquals(Map.of("StageName", "Co-sell Active", "Sync_with_Partner_Center__c", true),
                command.createOnlyFields());
        assertEquals(new UpsertOpportunityCommand.StageMove("Co-sell Pending", "Co-sell Active"), command.stageMove());
        assertEquals(List.of("Name", "Amount", "CurrencyIsoCode", "CloseDate", "Description", "StageName",
                "How_can_Microsoft_help__c", "Microsoft_Visibility__c", "Customer_Marketplace_Intent__c")
                .stream().filter(opp::containsKey).toList(), command.latestFields());

        assertEquals(Map.of("Name", "Fabrikam Ltd", "BillingCountry", "US"), command.account().match());
        assertEquals("1 Main St", command.account().createOnlyFields().get("BillingStreet"));
        assertEquals("WA", command.account().createOnlyFields().get("BillingState"));
        Map<String, ChildRecords> children = new java.util.HashMap<>();
        command.children().forEach(c -> children.put(c.object(), c));
        assertEquals("ana.diaz@fabrikam.example", children.get("Contact").records().get(0).get("Email"));
        assertEquals("OpportunityContactRole", children.get("Contact").link());
        assertEquals("Email", children.get("Contact").matchField());
        assertEquals("SOL-15974-MQF", children.get("Microsoft_Solution__c").records().get(0).get("Solution_Id__c"));
        assertEquals("Solution_Id__c", children.get("Microsoft_Solution__c").matchField());
        assertEquals("sam.lee@contoso.example", children.get("User").records().get(0).get("Email"));
    }

    @Test
    void aReferralWithoutACurrencyLeavesTheOpportunitysCurrencyAlone() {
        Details d = referral.details();
        ReferralSnapshot noCurrency = with(referral.type(), referral.qualification(), referral.customer(),
                new Details(d.notes(), null, null, d.closingDateTime(), d.solutions(), d.marketplaceIntent()));
        UpsertOpportunityCommand command = command(ReferralToOpportunity.map(noCurrency, CONTOSO));
        // required in a multi-currency org: sent as null, Salesforce refuses the whole write (REQUIRED_FIELD_MISSING)
        assertFalse(command.opportunityFields().containsKey("CurrencyIsoCode"), command.opportunityFields().toString());
        assertFalse(command.createOnlyFields().containsKey("CurrencyIsoCode"));
        assertFalse(command.latestFields().contains("CurrencyIsoCode"));
        assertTrue(command.opportunityFields().containsKey("Amount"), "a deal value Partner Center cleared is cleared");
    }

    @Test
    void everyRowOfTheFieldMapBoundForSalesforceIsInTheCommand() {
        UpsertOpportunityCommand command = command(ReferralToOpportunity.map(referral, CONTOSO));
        Set<String> written = new HashSet<>();
        command.opportunityFields().keySet().forEach(f -> written.add("Opportunity." + f));
        command.createOnlyFields().keySet().forEach(f -> written.add("Opportunity." + f));
        command.account().fields().keySet().forEach(f -> written.add("Account." + f));
        command.account().createOnlyFields().keySet().forEach(f -> written.add("Account." + f));
        command.children().forEach(c -> c.records().forEach(r -> r.keySet().forEach(f -> written.add(c.object()
                + "." + f))));
        for (FieldRow row : FieldMap.standard().allRows()) {
            if (row.direction() == null || row.direction().toSalesforce()) {
                assertTrue(written.contains(row.salesforce()), row.label());
            }
        }
    }

    @Test
    void aReferralMicrosoftSharedAndNotYetAcceptedLandsInThePendingStage() {
        UpsertOpportunityCommand command = command(ReferralToOpportunity.map(with(ReferralStatus.NEW,
                ReferralSubstatus.PENDING, ReferralDirection.INCOMING), CONTOSO));
        assertEquals("Co-sell Pending", command.createOnlyFields().get("StageName"));
        assertEquals(true, command.createOnlyFields().get("Sync_with_Partner_Center__c"));
        assertNull(command.stageMove());
        assertFalse(command.opportunityFields().containsKey("StageName"));
    }

    @Test
    void ourOwnReferralNamesTheOpportunityItCameFromAndNoOtherDoes() {
        assertEquals(referral.externalReferenceId(), command(ReferralToOpportunity.map(with(ReferralStatus.ACTIVE,
                ReferralSubstatus.ACCEPTED, ReferralDirection.OUTGOING), CONTOSO)).opportunityId());
        assertNull(command(ReferralToOpportunity.map(with(ReferralStatus.NEW, ReferralSubstatus.PENDING,
                ReferralDirection.INCOMING), CONTOSO)).opportunityId(), "someone else's reference");
    }

    @Test
    void closedReferralsCloseTheOpportunityPerTheStageMap() {
        for (ReferralSubstatus substatus : List.of(ReferralSubstatus.WON, ReferralSubstatus.LOST,
                ReferralSubstatus.DECLINED, ReferralSubstatus.EXPIRED)) {
            UpsertOpportunityCommand command = command(ReferralToOpportunity.map(with(ReferralStatus.CLOSED,
                    substatus, ReferralDirection.INCOMING), CONTOSO));
            assertEquals(substatus == ReferralSubstatus.WON ? "Closed Won" : "Closed Lost",
                    command.opportunityFields().get("StageName"), substatus.name());
            assertNull(command.stageMove());
        }
    }

    @Test
    void leadsAreSkippedWhileTheTenantSyncsCoSellOnly() {
        ReferralSnapshot lead = with(ReferralType.INDEPENDENT, ReferralQualification.DIRECT, referral.customer(),
                referral.details());
        MappingResult.Skipped skipped = assertInstanceOf(MappingResult.Skipped.class,
                ReferralToOpportunity.map(lead, CONTOSO));
        assertEquals("LEAD_NOT_SYNCED", skipped.reasonCode());
        // fabrikam syncs leads too
        command(ReferralToOpportunity.map(lead, FABRIKAM));
        ReferralSnapshot qualified = with(ReferralType.INDEPENDENT, ReferralQualification.SALES_QUALIFIED,
                referral.customer(), referral.details());
        assertInstanceOf(MappingResult.Skipped.class, ReferralToOpportunity.map(qualified, CONTOSO));
        assertFalse(ReferralToOpportunity.isLead(referral));
    }

    @Test
    void perTenantOwnershipMovesAFieldToCreateOnly() {
        UpsertOpportunityCommand command = command(ReferralToOpportunity.map(referral, FABRIKAM));
        assertEquals("2026-03-31", command.createOnlyFields().get("CloseDate"));
        assertFalse(command.opportunityFields().containsKey("CloseDate"));
        assertFalse(command.latestFields().contains("CloseDate"));
        assertFalse(command.checkMark());
        assertEquals("Microsoft Referral - Accepted", command.createOnlyFields().get("StageName"));
    }

    @Test
    void aReferralSalesforceCannotTakeFailsWithAReasonNotAnException() {
        Details details = referral.details();
        ReferralSnapshot badCurrency = with(referral.type(), referral.qualification(), referral.customer(),
                new Details(details.notes(), details.dealValue(), "dollars", details.closingDateTime(),
                        details.solutions(), details.marketplaceIntent()));
        MappingResult.Failed failed = assertInstanceOf(MappingResult.Failed.class,
                ReferralToOpportunity.map(badCurrency, CONTOSO));
        assertEquals("UNMAPPABLE_REFERRAL", failed.reasonCode());
        assertEquals("details.currency 'dollars' is not an ISO 4217 currency code", failed.message());

        Customer c = referral.customer();
        ReferralSnapshot noCountry = with(referral.type(), referral.qualification(), new Customer(c.name(),
                new Address("1 Main St", null, "Seattle", "WA", "98101", null, null), c.size(), c.contacts()),
                referral.details());
        failed = assertInstanceOf(MappingResult.Failed.class, ReferralToOpportunity.map(noCountry, CONTOSO));
        assertTrue(failed.message().contains("Account.BillingCountry"), failed.message());
    }
}
