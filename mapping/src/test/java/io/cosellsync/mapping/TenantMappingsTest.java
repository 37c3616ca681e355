package io.cosellsync.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A tenant's mapping file: Microsoft's defaults where it says nothing, and each mistake named by its key. */
class TenantMappingsTest {

    private static TenantMapping parse(String yaml) {
        return TenantMappings.parse(yaml, "contoso.yaml", FieldMap.standard());
    }

    private static List<String> problems(String yaml) {
        return assertThrows(MappingConfigException.class, () -> parse(yaml)).problems();
    }

    /** Found by {@code MappingFileFuzzTest}: YAML whose document is empty or null read as no mapping at all. */
    @Test
    void aFileWithoutADocumentIsReadAsAnEmptyOne() {
        List<String> empty = problems("");
        for (String yaml : List.of("# nothing yet\n", "~", "null", "---\n")) {
            assertEquals(empty, problems(yaml), yaml);
        }
    }

    @Test
    void microsoftsDefaultsApplyWhereTheFileIsSilent() {
        TenantMapping mapping = parse("activeStage: Qualification\npendingStage: Co-sell Pending\n");
        assertTrue(mapping.checkMark());
        assertTrue(mapping.coSellOnly());
        assertEquals("Account.BillingCountry", mapping.countryCodeField());
        assertEquals("Opportunity.Amount", mapping.apiName("Opportunity.Amount"));
        assertEquals("Opportunity.CurrencyIsoCode", mapping.apiName("Opportunity.CurrencyIsoCode"));
        assertEquals("Closed Lost", mapping.closedStages().get("Declined"));
        assertEquals("Proof of concept or demo",
                mapping.picklists().get("assistanceRequestCode").get("ProofOfConceptOrDemo"));
        assertEquals(List.of("Account.Name", "Account.BillingCountry"), mapping.accountMatch());
        assertEquals(Owner.LATEST, mapping.owner(FieldMap.standard().fields().stream()
                .filter(r -> r.salesforce().equals("Opportunity.Amount")).findFirst().orElseThrow()));
    }

    @Test
    void theReferralLinkIsTheTenantsTemplateOrPartnerCentersReferralsWorkspace() {
        TenantMapping standard = parse("activeStage: Qualification\npendingStage: Co-sell Pending\n");
        assertEquals("https://partner.microsoft.com/dashboard/referrals/v2/leads", standard.referralLink("r-1"));
        TenantMapping own = parse("activeStage: Qualification\npendingStage: Co-sell Pending\n"
                + "referralLink: https://partner.microsoft.com/dashboard/referrals/v2/leads/{id}?view=details\n");
        assertEquals("https://partner.microsoft.com/dashboard/referrals/v2/leads/7f3c%2B1?view=details",
                own.referralLink("7f3c+1"));
        assertEquals(null, own.referralLink(null));
        assertEquals(List.of("referralLink: must be an https:// address whose only placeholder is {id}"),
                problems("activeStage: A\npendingStage: P\nreferralLink: http://example.com/{referral}\n"));
    }

    @Test
    void fieldsAreRenamedAndOwnersOverriddenPerTenant() {
        TenantMapping mapping = parse("""
                activeStage: Qualification
                pendingStage: Co-sell Pending
                dealValueField: Opportunity.Deal_Value__c
                countryCodeField: Account.Country_Code__c
                fields:
                  Opportunity.Referral_Identifier__c: Opportunity.MSPC_Referral_Id__c
                owners:
                  Opportunity.CloseDate: salesforce
                """);
        assertEquals("Deal_Value__c", mapping.fieldName("Opportunity.Amount"));
        assertEquals("Country_Code__c", mapping.fieldName("Account.BillingCountry"));
        assertEquals("MSPC_Referral_Id__c", mapping.fieldName("Opportunity.Referral_Identifier__c"));
        assertEquals(Owner.SALESFORCE, mapping.owner(FieldMap.standard().fields().stream()
                .filter(r -> r.salesforce().equals("Opportunity.CloseDate")).findFirst().orElseThrow()));
    }

    @Test
    void everyMistakeIsNamedByItsKey() {
        List<String> problems = problems("""
                activeStage: Qualification
                dealValueField: Account.Amount
                closedStages:
                  Declined: Qualification
                  Lost: Closed Won
                  Pending: Closed Lost
                fields:
                  Opportunity.Amount_Typo: Opportunity.X__c
                  Opportunity.Description: Account.Description
                owners:
                  Opportunity.Nope__c: salesforce
                picklists:
                  customerMarketplaceIntent:
                    Yes: Yes please
                    No: Yes please
                defaults:
                  Opportunity.CloseDate: ninety days
                accountMatch: [Account.Name, Opportunity.Name]
                """);
        for (String expected : List.of("pendingStage: required", "dealValueField: 'Account.Amount' must be an "
                + "Opportunity field", "closedStages.Declined: 'Qualification' is also the active or pending stage",
                "closedStages.Lost: 'Closed Won' is the won stage too", "closedStages.Pending: not a closed substatus",
                "fields.Opportunity.Amount_Typo: not a field of the field map",
                "fields.Opportunity.Description: must name a field of the same object",
                "owners.Opportunity.Nope__c: not a field of the field map",
                "picklists.customerMarketplaceIntent.No: 'Yes please' is already the value of another code",
                "defaults.Opportunity.CloseDate: 'ninety days' is not an ISO period",
                "accountMatch: 'Opportunity.Name' is not a mapped Account field")) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(expected)), expected + " in " + problems);
        }
    }

    @Test
    void unknownSettingsAndBadValuesAreRefusedByName() {
        List<String> unknown = problems("activeStage: A\npendingStage: P\ncheckmark: true\n");
        assertEquals(1, unknown.size());
        assertTrue(unknown.get(0).startsWith("checkmark: unknown setting (known: "), unknown.get(0));
        assertTrue(unknown.get(0).contains("checkMark"), unknown.get(0));
        List<String> owner = problems("activeStage: A\npendingStage: P\nowners:\n  Opportunity.Amount: whoever\n");
        assertTrue(owner.get(0).startsWith("owners.Opportunity.Amount: 'whoever' is not a valid owner"),
                owner.toString());
        List<String> flag = problems("activeStage: A\npendingStage: P\ncoSellOnly: maybe\n");
        assertTrue(flag.get(0).startsWith("coSellOnly: 'maybe'"), flag.toString());
    }

    @Test
    void theShippedFieldMapIsValidAndABrokenOneIsNot() {
        assertTrue(FieldMap.standard().problems().isEmpty());
        FieldRow wrongArity = new FieldRow(List.of("status"), "Opportunity.StageName", Direction.BOTH, Owner.LATEST,
                Transform.STAGE, null);
        FieldRow twice = new FieldRow(List.of("name"), "Opportunity.StageName", Direction.BOTH, Owner.LATEST,
                Transform.TEXT, null);
        FieldRow noPicklist = new FieldRow(List.of("x"), "Opportunity.X__c", Direction.BOTH, Owner.LATEST,
                Transform.PICKLIST, null);
        List<String> problems = new FieldMap(List.of(wrongArity, twice, noPicklist), List.of()).problems();
        assertEquals(List.of("status ⇄ Opportunity.StageName: transform stage reads 2 Partner Center path(s), not 1",
                "name ⇄ Opportunity.StageName: Opportunity.StageName is mapped twice",
                "x ⇄ Opportunity.X__c: picklist names the picklist map of transform picklist, and only of it"),
                problems);
    }
}
