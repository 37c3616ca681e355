package io.cosellsync.events;

import io.cosellsync.events.command.AccountUpsert;
import io.cosellsync.events.command.ChildRecords;
import io.cosellsync.events.command.CreateReferralCommand;
import io.cosellsync.events.command.PatchOperation;
import io.cosellsync.events.command.UpdateOpportunityCommand;
import io.cosellsync.events.command.OpportunityImage;
import io.cosellsync.events.command.UpdateReferralCommand;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.events.outcome.DeadLetter;
import io.cosellsync.events.outcome.SyncDirection;
import io.cosellsync.events.outcome.SyncOutcome;
import io.cosellsync.events.partnercenter.Address;
import io.cosellsync.events.partnercenter.Consent;
import io.cosellsync.events.partnercenter.Customer;
import io.cosellsync.events.partnercenter.Details;
import io.cosellsync.events.partnercenter.InviteContext;
import io.cosellsync.events.partnercenter.Member;
import io.cosellsync.events.partnercenter.ReferralDirection;
import io.cosellsync.events.partnercenter.ReferralDraft;
import io.cosellsync.events.partnercenter.ReferralNotification;
import io.cosellsync.events.partnercenter.ReferralQualification;
import io.cosellsync.events.partnercenter.ReferralSnapshot;
import io.cosellsync.events.partnercenter.ReferralStatus;
import io.cosellsync.events.partnercenter.ReferralSubstatus;
import io.cosellsync.events.partnercenter.ReferralType;
import io.cosellsync.events.partnercenter.Solution;
import io.cosellsync.events.salesforce.ChangeNotification;
import io.cosellsync.events.salesforce.ContactRole;
import io.cosellsync.events.salesforce.Note;
import io.cosellsync.events.salesforce.OpportunitySnapshot;
import io.cosellsync.events.salesforce.SObjectRecord;
import io.cosellsync.events.salesforce.SolutionLink;
import io.cosellsync.events.salesforce.TeamMember;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java side of the golden samples in {@code src/main/resources/samples}: one co-sell deal (Fabrikam, shared
 * by Contoso) seen by every payload type. {@link ContractTest} checks that each encodes to its sample and that
 * each sample decodes to it.
 */
final class GoldenSamples {

    static final String REFERRAL_ID = "5dd4dc44-2c1a-4e16-8478-f783ebe815de";
    static final String OPPORTUNITY_ID = "006gK000001AbCdQAK";

    private GoldenSamples() {
    }

    static Object of(EventType type) {
        return switch (type) {
            case REFERRAL_NOTIFICATION -> new ReferralNotification("referral-updated", REFERRAL_ID,
                    "https://api.partnercenter.microsoft.com/engagements/v1/referrals/" + REFERRAL_ID,
                    Instant.parse("2026-01-07T05:08:59.548Z"), Instant.parse("2026-01-07T05:09:00.120Z"));
            case REFERRAL_SNAPSHOT -> referral();
            case CHANGE_NOTIFICATION -> new ChangeNotification("Opportunity", OPPORTUNITY_ID, "UPDATE",
                    "0000654a-5a8f-7c2b-e2a1-3f9d1c0b7e61", 1, Instant.parse("2026-01-07T05:10:12.004Z"),
                    "0055f000005mc66AAA", "com/salesforce/api/rest/62.0;client=cosell-sync",
                    List.of("StageName", "LastModifiedDate"), List.of(), true, "AAAAAAAFMhY=",
                    Instant.parse("2026-01-07T05:10:12.180Z"));
            case OPPORTUNITY_SNAPSHOT -> opportunity();
            case UPSERT_OPPORTUNITY -> upsertOpportunity();
            case UPDATE_OPPORTUNITY -> new UpdateOpportunityCommand(OPPORTUNITY_ID, fields(
                    "Referral_Identifier__c", REFERRAL_ID,
                    "Referral_Link__c", "https://partner.microsoft.com/dashboard/referrals/v2/leads/" + REFERRAL_ID,
                    "Microsoft_CRM_Identifier__c", null), "referral " + REFERRAL_ID + " created",
                    "Partner_Center_Audit__c", UpdateOpportunityCommand.Mark.SUCCEEDED);
            case CREATE_REFERRAL -> new CreateReferralCommand(OPPORTUNITY_ID, draft(), true);
            case UPDATE_REFERRAL -> new UpdateReferralCommand(REFERRAL_ID, OPPORTUNITY_ID, List.of(
                    new PatchOperation("replace", "/details/dealValue", new BigDecimal("135000.00")),
                    new PatchOperation("replace", "/details/notes", "Scope grew to two workloads.")),
                    "\"8500e212-0000-0100-0000-6225cdc90000\"", new OpportunityImage(Map.of("Opportunity", fields(
                            "Amount", new BigDecimal("135000.00"),
                            "Description", "Scope grew to two workloads.",
                            "StageName", "Develop")),
                    Map.of("Microsoft_Solution__c", List.of(fields(
                            "Solution_Id__c", "SOL-0001-A1B",
                            "Solution_Name__c", "Data platform migration"))),
                    Instant.parse("2026-01-07T05:10:12.480Z"), List.of(),
                    Map.of("Amount", Instant.parse("2026-01-07T05:10:12.480Z"))));
            case SYNC_OUTCOME -> new SyncOutcome(SyncDirection.SALESFORCE_TO_PARTNER_CENTER,
                    SyncOutcome.Status.FAILED, null, OPPORTUNITY_ID, "0b6f9d3e-40e2-4d59-9a56-1f0ad9e1d1a7",
                    "MISSING_COUNTRY_CODE",
                    "The account has no two-letter country code in BillingCountry; set it and save again.",
                    Instant.parse("2026-01-07T05:09:01.250Z"));
            case DEAD_LETTER -> new DeadLetter("salesforce-writer", "MALFORMED_EVENT",
                    "malformed event: field 'referralId': is required", Instant.parse("2026-01-07T05:09:02Z"), 1,
                    "cosell.salesforce.opportunity.commands", 3, 1042L, REFERRAL_ID,
                    "9b1e4c2a-5f37-4a8e-b1d6-2c7e0f4a9d13", "io.cosellsync.salesforce.opportunity.upsert.v1",
                    "{\"opportunityFields\":{}}", "utf-8", Map.of("ce_id", "9b1e4c2a-5f37-4a8e-b1d6-2c7e0f4a9d13",
                            "ce_type", "io.cosellsync.salesforce.opportunity.upsert.v1", "ce_tenant", "contoso"));
        };
    }

    static ReferralSnapshot referral() {
        return new ReferralSnapshot(REFERRAL_ID, "65921e35-4f28-472f-9ae4-58ddd6ae6270",
                "Fabrikam – data platform modernisation", OPPORTUNITY_ID, "b97870f2-fb0f-4b44-b597-992d4ecbe23d",
                ReferralStatus.ACTIVE, ReferralSubstatus.ACCEPTED, null, ReferralType.SHARED,
                ReferralQualification.SALES_QUALIFIED, ReferralDirection.OUTGOING,
                Instant.parse("2026-01-07T05:08:23.8101440Z"), Instant.parse("2026-01-07T05:08:23.8101440Z"), null,
                Instant.parse("2026-01-07T05:08:23.7620478Z"), null, "\"8500e212-0000-0100-0000-6225cdc90000\"",
                customer(), consent(), details(new BigDecimal("120000")), List.of(seller()), invite(), null,
                "https://api.partner.microsoft.com/v1.0/engagements/referrals/" + REFERRAL_ID);
    }

    static ReferralDraft draft() {
        return new ReferralDraft("Fabrikam – data platform modernisation", OPPORTUNITY_ID, ReferralType.SHARED,
                ReferralQualification.SALES_QUALIFIED, customer(), consent(), details(new BigDecimal("120000.00")),
                List.of(seller()), new InviteContext("Please help with a PoC.", "ProofOfConceptOrDemo", null, null));
    }

    static OpportunitySnapshot opportunity() {
        SObjectRecord opp = new SObjectRecord(OPPORTUNITY_ID, fields(
                "Name", "Fabrikam – data platform modernisation",
                "StageName", "Qualification",
                "CloseDate", "2026-03-31",
                "Amount", new BigDecimal("120000.00"),
                "CurrencyIsoCode", "USD",
                "Description", "Needs help with a PoC on Azure.",
                "AccountId", "001gK000002XyZaQAK",
                "Sync_with_Partner_Center__c", true,
                "Referral_Identifier__c", null,
                "How_can_Microsoft_help__c", "ProofOfConceptOrDemo",
                "Microsoft_Visibility__c", true,
                "SystemModstamp", "2026-01-07T05:07:59.000+0000"));
        SObjectRecord account = new SObjectRecord("001gK000002XyZaQAK", fields(
                "Name", "Fabrikam Ltd",
                "BillingStreet", "1 Main St",
                "BillingCity", "Seattle",
                "BillingState", "WA",
                "BillingPostalCode", "98101",
                "BillingCountry", "US"));
        SObjectRecord contact = new SObjectRecord("003gK000003LmNoQAK", fields(
                "FirstName", "Ana", "LastName", "Diaz", "Email", "ana.diaz@fabrikam.example",
                "Phone", "+12065550100", "Title", null));
        return new OpportunitySnapshot(opp, Instant.parse("2026-01-07T05:07:59Z"), "005gK000000IntgQAK", account,
                List.of(new ContactRole("00KgK000000RoleQAK", "Decision Maker", true, contact)),
                List.of(new SolutionLink("a01gK000000SolQAK", "SOL-15974-MQF", "Contoso Data Platform")),
                List.of(new TeamMember("00qgK000000TeamQAK", "005gK000000SamQAK", "Account Manager", "Sam", "Lee",
                        "sam.lee@contoso.example", "+12065550111", null)),
                List.of(new Note("002gK000000NoteQAK", "Kick-off", "Customer wants a PoC in March.",
                        Instant.parse("2026-01-06T16:00:00Z"))), List.of(),
                Map.of("Amount", Instant.parse("2026-01-07T05:07:58.120Z"),
                        "StageName", Instant.parse("2026-01-07T05:07:59.000Z")));
    }

    static UpsertOpportunityCommand upsertOpportunity() {
        return new UpsertOpportunityCommand(REFERRAL_ID, "Referral_Identifier__c",
                Instant.parse("2026-01-07T05:08:23.810144Z"), true,
                fields("Name", "Fabrikam – data platform modernisation",
                        "CloseDate", "2026-03-31",
                        "Amount", new BigDecimal("120000.00"),
                        "CurrencyIsoCode", "USD",
                        "Description", "Needs help with a PoC on Azure.",
                        "Referral_Identifier__c", REFERRAL_ID,
                        "Referral_Link__c", "https://partner.microsoft.com/dashboard/referrals/v2/leads/"
                                + REFERRAL_ID),
                fields("StageName", "Qualification", "Sync_with_Partner_Center__c", true),
                List.of("Name", "CloseDate", "Amount", "CurrencyIsoCode", "Description"),
                new UpsertOpportunityCommand.StageMove("Co-sell Pending", "Qualification"),
                new AccountUpsert(fields("Name", "Fabrikam Ltd", "BillingCountry", "US"), fields(),
                        fields("Name", "Fabrikam Ltd", "BillingStreet", "1 Main St", "BillingCity", "Seattle",
                                "BillingState", "WA", "BillingPostalCode", "98101", "BillingCountry", "US")),
                List.of(new ChildRecords("Contact", "OpportunityContactRole", "Email", List.of(fields(
                                "FirstName", "Ana", "LastName", "Diaz", "Email", "ana.diaz@fabrikam.example",
                                "Phone", "+12065550100"))),
                        new ChildRecords("Microsoft_Solution__c", null, "Solution_Id__c", List.of(fields(
                                "Solution_Id__c", "SOL-15974-MQF", "Solution_Name__c", "Contoso Data Platform"))),
                        new ChildRecords("User", "OpportunityTeamMember", "Email", List.of(fields(
                                "Email", "sam.lee@contoso.example", "FirstName", "Sam", "LastName", "Lee")))),
                OPPORTUNITY_ID);
    }

    private static Customer customer() {
        return new Customer("Fabrikam Ltd",
                new Address("1 Main St", null, "Seattle", "WA", "98101", "US", null), "251to1000employees",
                List.of(new Member("Ana", "Diaz", "ana.diaz@fabrikam.example", "+12065550100", null)));
    }

    private static Consent consent() {
        return new Consent(true, true, null, true);
    }

    private static Details details(BigDecimal value) {
        return new Details("Needs help with a PoC on Azure.", value, "USD", Instant.parse("2026-03-31T00:00:00Z"),
                List.of(new Solution("SOL-15974-MQF", null, "Name")), "HaveNotDecided");
    }

    private static Member seller() {
        return new Member("Sam", "Lee", "sam.lee@contoso.example", "+12065550111", null);
    }

    private static InviteContext invite() {
        return new InviteContext("Please help with a PoC.", "ProofOfConceptOrDemo",
                "b97870f2-fb0f-4b44-b597-992d4ecbe23d", "Contoso");
    }

    /** An insertion-ordered map that, unlike Map.of, allows null values. */
    static Map<String, Object> fields(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
