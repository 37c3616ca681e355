package io.cosellsync.simulator.salesforce;

import static io.cosellsync.simulator.salesforce.Org.V;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sObject REST resources as a Salesforce client library uses them: describe, rows, external ids, limits. */
@QuarkusTest
class SObjectRowsTest {

    private Org org;

    @BeforeEach
    void signIn() {
        org = Org.fresh("contoso");
    }

    @Test
    void describeGlobalListsTheCoSellObjectsWithTheirKeyPrefixes() {
        org.rest().get(V + "/sobjects").then().statusCode(200)
                .body("maxBatchSize", equalTo(200))
                .body("sobjects.find { it.name == 'Account' }.keyPrefix", equalTo("001"))
                .body("sobjects.find { it.name == 'Contact' }.keyPrefix", equalTo("003"))
                .body("sobjects.find { it.name == 'Opportunity' }.keyPrefix", equalTo("006"))
                .body("sobjects.find { it.name == 'Note' }.keyPrefix", equalTo("002"))
                .body("sobjects.find { it.name == 'Microsoft_Solution__c' }.custom", equalTo(true))
                .body("sobjects.name", hasItems("OpportunityContactRole", "OpportunityTeamMember", "User"));
        org.rest().get(V + "/sobjects/Opportunity").then().statusCode(200)
                .body("objectDescribe.name", equalTo("Opportunity"));
    }

    @Test
    void describeGivesTypesLengthsPicklistsExternalIdsAndRelationships() {
        JsonPath describe = org.rest().get(V + "/sobjects/Opportunity/describe").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(120, describe.getInt("fields.find { it.name == 'Name' }.length"));
        assertEquals(false, describe.getBoolean("fields.find { it.name == 'Name' }.nillable"));
        assertEquals("picklist", describe.getString("fields.find { it.name == 'StageName' }.type"));
        assertEquals(true, describe.getBoolean("fields.find { it.name == 'StageName' }.restrictedPicklist"));
        List<String> stages = describe.getList("fields.find { it.name == 'StageName' }.picklistValues.value");
        org.rest().get(V + "/sobjects/Opportunity/describe").then()
                .body("fields.find { it.name == 'Referral_Identifier__c' }.externalId", equalTo(true))
                .body("fields.find { it.name == 'Referral_Identifier__c' }.unique", equalTo(true))
                .body("fields.find { it.name == 'Referral_Identifier__c' }.length", equalTo(100))
                .body("fields.find { it.name == 'AccountId' }.referenceTo", contains("Account"))
                .body("fields.find { it.name == 'AccountId' }.relationshipName", equalTo("Account"))
                .body("fields.find { it.name == 'IsWon' }.updateable", equalTo(false))
                .body("fields.find { it.name == 'CurrencyIsoCode' }.picklistValues.value", hasItems("USD", "EUR"))
                .body("childRelationships.relationshipName", hasItems("OpportunityContactRoles",
                        "OpportunityTeamMembers", "Microsoft_Solutions__r", "Notes"));
        assertEquals(true, stages.containsAll(List.of("Prospecting", "Co-sell Pending", "Co-sell Active",
                "Closed Won", "Closed Lost")));
        org.rest().get(V + "/sobjects/Nope__c/describe").then().statusCode(404)
                .body("[0].errorCode", equalTo("NOT_FOUND"));
    }

    @Test
    void aRowIsCreatedReadUpdatedAndDeletedWithTheDocumentedStatuses() {
        String account = org.account("Contoso Retail");
        org.post("/sobjects/Opportunity", Map.of("Name", "Deal", "StageName", "Prospecting",
                "CloseDate", "2026-12-31", "AccountId", account))
                .then().statusCode(201).header("Location", startsWith(V + "/sobjects/Opportunity/006"))
                .body("id", matchesPattern("006[0-9A-Za-z]{15}"), "success", equalTo(true), "errors.size()",
                        equalTo(0));
        String id = org.opportunity("Big deal", account);
        JsonPath row = org.get("Opportunity", id);
        assertEquals("Opportunity", row.getString("attributes.type"));
        assertEquals(V + "/sobjects/Opportunity/" + id, row.getString("attributes.url"));
        assertEquals("2026-12-31", row.getString("CloseDate"));
        assertEquals(50000.0, row.getDouble("Amount"));
        assertNull(row.get("Description"));
        org.rest().get(V + "/sobjects/Opportunity/" + id + "?fields=Name,StageName").then().statusCode(200)
                .body("Name", equalTo("Big deal"), "$", not(hasKey("Amount")));
        org.rest().get(V + "/sobjects/Opportunity/" + id + "?fields=Name,Bogus__c").then().statusCode(400)
                .body("[0].errorCode", equalTo("INVALID_FIELD"));

        org.patch("/sobjects/Opportunity/" + id, Map.of("Description", "updated")).then().statusCode(204);
        assertEquals("updated", org.get("Opportunity", id).getString("Description"));

        org.rest().delete(V + "/sobjects/Opportunity/" + id).then().statusCode(204);
        org.rest().get(V + "/sobjects/Opportunity/" + id).then().statusCode(404)
                .body("[0].errorCode", equalTo("ENTITY_IS_DELETED"));
        org.rest().get(V + "/sobjects/Opportunity/006000000000000AAA").then().statusCode(404)
                .body("[0].errorCode", equalTo("NOT_FOUND"));
        org.rest().get(V + "/sobjects/Opportunity/not-an-id").then().statusCode(400)
                .body("[0].errorCode", equalTo("MALFORMED_ID"), "[0].fields", contains("Id"));
    }

    @Test
    void fifteenCharacterIdsAndCaseInsensitiveEighteenCharacterIdsFindTheSameRow() {
        String id = org.account("Casey");
        org.rest().get(V + "/sobjects/Account/" + id.substring(0, 15)).then().statusCode(200)
                .body("Id", equalTo(id));
        org.rest().get(V + "/sobjects/Account/" + id.substring(0, 15).toLowerCase() + id.substring(15))
                .then().statusCode(200).body("Id", equalTo(id));
        org.rest().get(V + "/sobjects/Account/" + id.substring(0, 15).toLowerCase()).then().statusCode(404);
        org.rest().get(V + "/sobjects/Contact/" + id).then().statusCode(404);
    }

    @Test
    void upsertByExternalIdCreatesUpdatesAndRefusesAmbiguityAsDocumented() {
        String account = org.account("Upsert Co");
        Map<String, Object> body = Map.of("Name", "Referral deal", "StageName", "Co-sell Pending",
                "CloseDate", "2026-10-01", "AccountId", account);
        String path = "/sobjects/Opportunity/Referral_Identifier__c/" + "a1b2c3d4-0000-4000-8000-000000000001";
        String id = org.patch(path, body).then().statusCode(201).body("created", equalTo(true))
                .body("success", equalTo(true)).extract().path("id");
        org.patch(path, Map.of("Amount", 1200)).then().statusCode(200)
                .body("id", equalTo(id), "created", equalTo(false), "errors.size()", equalTo(0));
        assertEquals(1200.0, org.get("Opportunity", id).getDouble("Amount"));
        org.rest().get(V + path).then().statusCode(200).body("Id", equalTo(id));
        org.rest().get(V + path.toUpperCase().replace("/SOBJECTS/OPPORTUNITY/REFERRAL_IDENTIFIER__C",
                "/sobjects/Opportunity/Referral_Identifier__c")).then().statusCode(200).body("Id", equalTo(id));

        org.rest().body(body).queryParam("updateOnly", true)
                .patch(V + "/sobjects/Opportunity/Referral_Identifier__c/unknown-referral").then().statusCode(404)
                .body("[0].errorCode", equalTo("NOT_FOUND"));
        org.patch("/sobjects/Opportunity/Name/whatever", body).then().statusCode(404)
                .body("[0].message", containsString("external ID field does not exist"));
        org.patch(path, Map.of("Id", id, "Amount", 1)).then().statusCode(400)
                .body("[0].errorCode", equalTo("INVALID_FIELD"));

        org.rest().delete(V + path).then().statusCode(204);
        org.rest().get(V + path).then().statusCode(404);
    }

    @Test
    void anUpsertMatchingSeveralRowsOfANonUniqueExternalIdAnswers300AndWritesNothing() {
        org.control().body(Map.of("pendingStage", "Co-sell Pending", "activeStage", "Co-sell Active",
                "externalIdFields", List.of("Opportunity.Referral_Identifier__c"),
                "nonUniqueExternalIdFields", List.of("Account.Customer_Key__c"), "multiCurrency", true,
                "currencies", List.of("USD", "EUR"), "dailyApiRequests", 15000))
                .put("/_sim/orgs/contoso/settings").then().statusCode(200);
        org = Org.signIn("contoso");
        String first = org.create("Account", Map.of("Name", "A", "Customer_Key__c", "K-1"));
        String second = org.create("Account", Map.of("Name", "B", "Customer_Key__c", "k-1"));
        org.patch("/sobjects/Account/Customer_Key__c/K-1", Map.of("Name", "C")).then().statusCode(300)
                .body("$", hasItems(V + "/sobjects/Account/" + first, V + "/sobjects/Account/" + second));
        assertEquals("A", org.get("Account", first).getString("Name"));
    }

    @Test
    void aParentCanBeNamedByItsExternalIdInsideTheBody() {
        String account = org.account("Parent Co");
        String opp = org.create("Opportunity", Map.of("Name", "Parent deal", "StageName", "Prospecting",
                "CloseDate", "2026-12-31", "AccountId", account, "Referral_Identifier__c", "REF-PARENT"));
        String solution = org.create("Microsoft_Solution__c", Map.of("Solution_Id__c", "sol-1",
                "Opportunity__r", Map.of("Referral_Identifier__c", "REF-PARENT")));
        assertEquals(opp, org.get("Microsoft_Solution__c", solution).getString("Opportunity__c"));
    }

    @Test
    void everyRestResponseCarriesTheApiUsageAndLimitsReportIt() {
        String first = org.rest().get(V + "/limits").then().statusCode(200)
                .header("Sforce-Limit-Info", matchesPattern("api-usage=\\d+/15000"))
                .body("DailyApiRequests.Max", equalTo(15000)).extract().header("Sforce-Limit-Info");
        org.account("Counted");
        String second = org.rest().get(V + "/sobjects").then().extract().header("Sforce-Limit-Info");
        int used = Integer.parseInt(first.replaceAll("api-usage=(\\d+)/.*", "$1"));
        assertEquals("api-usage=" + (used + 2) + "/15000", second);
        org.rest().get(V + "/limits").then().body("DailyApiRequests.Remaining", equalTo(15000 - used - 3));
        org.rest().get("/services/data").then().header("Sforce-Limit-Info", nullValue());
    }

    @Test
    void unknownResourcesAndMalformedBodiesAnswerInSalesforcesErrorShape() {
        org.rest().get(V + "/nothing/here").then().statusCode(404).body("[0].errorCode", equalTo("NOT_FOUND"));
        org.rest().body("{not json").post(V + "/sobjects/Account").then().statusCode(400)
                .body("[0].errorCode", equalTo("JSON_PARSER_ERROR"));
        org.rest().body("[1]").post(V + "/sobjects/Account").then().statusCode(400)
                .body("[0].errorCode", equalTo("JSON_PARSER_ERROR"));
        org.rest().get(V + "/sobjects/User/" + org.sellerId()).then().statusCode(200)
                .body("Username", equalTo("sam.lee@contoso.example.sim"));
        org.rest().get(V + "/sobjects").then().body("sobjects.name", not(hasItem("Lead")));
    }
}
