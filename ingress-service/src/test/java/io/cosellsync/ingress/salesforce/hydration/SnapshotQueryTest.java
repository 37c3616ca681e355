package io.cosellsync.ingress.salesforce.hydration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.events.salesforce.OpportunitySnapshot;
import io.cosellsync.mapping.FieldMap;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.mapping.TenantMappings;
import io.cosellsync.salesforce.client.Soql;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SnapshotQueryTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final TenantMapping RENAMED = TenantMappings.parse("""
            activeStage: Qualification
            pendingStage: Co-sell Pending
            countryCodeField: Account.Country_Code__c
            dealValueField: Opportunity.Deal_Value__c
            fields:
              Opportunity.Referral_Identifier__c: Opportunity.MSPC_Referral_Id__c
              Contact.Title: Contact.Job_Title__c
            """, "test", FieldMap.standard());

    private static final String ROW = """
            {"attributes": {"type": "Opportunity"}, "Id": "006000000000001AAA", "Name": "Deal",
             "StageName": "Prospecting", "CloseDate": "2027-01-31", "Amount": 1200.50, "IsClosed": false,
             "Sync_with_Partner_Center__c": true, "LastModifiedById": "005000000000001AAA",
             "SystemModstamp": "2026-12-01T10:00:00.000+0000",
             "Account": {"attributes": {"type": "Account"}, "Id": "001000000000001AAA", "Name": "Acme",
                         "BillingCountry": "FR"},
             "OpportunityContactRoles": {"totalSize": 2, "done": true, "records": [
                {"Id": "00K000000000002AAA", "Role": "User", "IsPrimary": false, "ContactId": "003000000000002AAA",
                 "Contact": {"LastName": "B", "Email": "b@x.example"}},
                {"Id": "00K000000000001AAA", "Role": "Decision Maker", "IsPrimary": true,
                 "ContactId": "003000000000001AAA", "Contact": {"LastName": "A", "Email": "a@x.example"}}]},
             "Microsoft_Solutions__r": {"totalSize": 2, "done": true, "records": [
                {"Id": "a01000000000001AAA", "Solution_Id__c": "SOL-1", "Solution_Name__c": "One"},
                {"Id": "a01000000000002AAA", "Solution_Id__c": null, "Solution_Name__c": "Unnamed"}]},
             "OpportunityTeamMembers": null}
            """;

    private static JsonNode row(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void theQueryReadsTheTenantsFieldsAndTheChildren() {
        String soql = new SnapshotQuery(RENAMED, FieldMap.standard()).soql(List.of("006000000000001AAA"));
        assertTrue(soql.startsWith("SELECT Id, Name, StageName, CloseDate, AccountId"), soql);
        assertTrue(soql.contains("Deal_Value__c") && !soql.contains(" Amount,"), "the deal value field: " + soql);
        assertTrue(soql.contains("MSPC_Referral_Id__c") && !soql.contains("Referral_Identifier__c"), soql);
        assertTrue(soql.contains("Account.Country_Code__c") && !soql.contains("Account.BillingCountry"), soql);
        assertTrue(soql.contains("Contact.Job_Title__c FROM OpportunityContactRoles)"), soql);
        assertTrue(soql.contains("(SELECT Id, Solution_Id__c, Solution_Name__c FROM Microsoft_Solutions__r)"), soql);
        assertTrue(soql.contains("FROM OpportunityTeamMembers)"), soql);
        assertTrue(soql.endsWith("FROM Opportunity WHERE Id IN ('006000000000001AAA')"), soql);
    }

    @Test
    void fieldsTheOrgLacksAreLeftOut() {
        TenantMapping defaults = new TenantMapping(null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
        Set<String> opportunity = new java.util.HashSet<>(SnapshotQuery.OPPORTUNITY_FIELDS);
        opportunity.addAll(List.of("Amount", "Description", "Sync_with_Partner_Center__c", "Referral_Identifier__c",
                "Referral_Link__c", "Microsoft_CRM_Identifier__c", "How_can_Microsoft_help__c",
                "Microsoft_Visibility__c", "Customer_Marketplace_Intent__c", "Microsoft_Status_Reason__c",
                "Microsoft_Invitation_Notes__c"));
        SnapshotQuery query = new SnapshotQuery(defaults, FieldMap.standard(), Map.of("Opportunity", opportunity,
                "User", Set.of("Id", "FirstName", "LastName", "Email")));
        String soql = query.soql(List.of("006000000000001AAA"));
        assertTrue(!soql.contains("CurrencyIsoCode") && soql.contains("Amount"), "no multi-currency: " + soql);
        assertTrue(!soql.contains("User.Title") && soql.contains("User.Email"), soql);
        assertEquals(List.of("Opportunity.CurrencyIsoCode", "User.Title"), query.missing());
    }

    @Test
    void onlyRecordIdsReachAQueryAndAtMost200OfThem() {
        assertThrows(IllegalArgumentException.class, () -> Soql.idList(List.of("006000000000001AAA",
                "x') OR Name LIKE ('%")));
        SnapshotQuery query = new SnapshotQuery(RENAMED, FieldMap.standard());
        List<String> ids = IntStream.range(0, 201).mapToObj(i -> String.format("006%015d", i)).toList();
        assertThrows(IllegalArgumentException.class, () -> query.soql(ids));
        assertEquals(List.of(200, 1), Soql.chunks(ids, SnapshotQuery.IDS_PER_QUERY).stream().map(List::size).toList());
    }

    @Test
    void aRowBecomesASnapshotWithChildrenInIdOrder() throws Exception {
        TenantMapping defaults = new TenantMapping(null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
        OpportunitySnapshot s = new SnapshotQuery(defaults, FieldMap.standard()).snapshot(row(ROW));
        assertEquals("006000000000001AAA", s.opportunityId());
        assertEquals(0, new BigDecimal("1200.50").compareTo((BigDecimal) s.opportunity().field("Amount")));
        assertEquals(Instant.parse("2026-12-01T10:00:00Z"), s.systemModstamp());
        assertEquals("FR", s.account().field("BillingCountry"));
        assertEquals(List.of("00K000000000001AAA", "00K000000000002AAA"), s.contactRoles().stream()
                .map(r -> r.id()).toList());
        assertEquals("a@x.example", s.contactRoles().get(0).contact().field("Email"));
        assertEquals("003000000000001AAA", s.contactRoles().get(0).contact().id());
        assertEquals(1, s.solutions().size(), "a solution row without a solution id names nothing");
        assertTrue(s.team().isEmpty());
        assertNull(s.opportunity().field("Referral_Identifier__c"), "absent fields are null");
    }

    @Test
    void theVersionFollowsContentNotModificationStamps() throws Exception {
        TenantMapping defaults = new TenantMapping(null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
        SnapshotQuery query = new SnapshotQuery(defaults, FieldMap.standard());
        String version = SnapshotQuery.version(query.snapshot(row(ROW)));
        String touched = SnapshotQuery.version(query.snapshot(row(ROW.replace("2026-12-01T10:00:00.000+0000",
                "2026-12-01T11:00:00.000+0000").replace("\"005000000000001AAA\"", "\"005000000000009AAA\""))));
        assertEquals(version, touched, "a save that changed nothing is the same version");
        String roleRemoved = SnapshotQuery.version(query.snapshot(row(ROW.replaceAll(
                "\\{\"Id\": \"00K000000000002AAA\"[^}]*\\}\\},", ""))));
        assertNotEquals(version, roleRemoved, "a removed contact role is a new version");
        String amount = SnapshotQuery.version(query.snapshot(row(ROW.replace("1200.50", "1300.50"))));
        assertNotEquals(version, amount);
    }
}
