package io.cosellsync.simulator.salesforce;

import static io.cosellsync.simulator.salesforce.Org.V;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An org set up differently from the package, as a preflight must find it: a field missing (or hidden by field-level
 * security), a field the integration user may only read, a field of another type, and Change Data Capture
 * selections — the last read through the Tooling API, as {@code PlatformEventChannelMember} rows.
 */
@QuarkusTest
class OrgSetupMistakesTest {

    private static final String MEMBERS = V + "/tooling/query?q=SELECT DeveloperName, SelectedEntity FROM"
            + " PlatformEventChannelMember";

    private Org org;

    @BeforeEach
    void signIn() {
        org = Org.fresh("contoso");
    }

    @Test
    void fieldsAnOrgLacksOrMayOnlyReadOrTypesDifferentlyShowInDescribeAndInWrites() {
        Map<String, Object> settings = new java.util.HashMap<>(org.control().get("/_sim/orgs/contoso/settings")
                .then().statusCode(200).extract().jsonPath().getMap("$"));
        settings.put("withoutFields", List.of("Opportunity.How_can_Microsoft_help__c"));
        settings.put("readOnlyFields", List.of("Opportunity.Referral_Link__c"));
        settings.put("fieldTypes", Map.of("Opportunity.Microsoft_CRM_Identifier__c", "double"));
        org.control().body(settings).put("/_sim/orgs/contoso/settings").then().statusCode(200)
                .body("withoutFields", contains("Opportunity.How_can_Microsoft_help__c"));
        org = Org.signIn("contoso");

        JsonPath describe = org.rest().get(V + "/sobjects/Opportunity/describe").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(List.of(), describe.getList("fields.findAll { it.name == 'How_can_Microsoft_help__c' }"));
        assertEquals(false, describe.get("fields.find { it.name == 'Referral_Link__c' }.updateable"));
        assertEquals(false, describe.get("fields.find { it.name == 'Referral_Link__c' }.createable"));
        assertEquals("double", describe.get("fields.find { it.name == 'Microsoft_CRM_Identifier__c' }.type"));

        String account = org.account("Setup Co");
        Map<String, Object> opportunity = Map.of("Name", "Setup deal", "StageName", "Prospecting", "CloseDate",
                "2027-01-31", "AccountId", account);
        org.post("/sobjects/Opportunity", with(opportunity, "How_can_Microsoft_help__c", "Workshop")).then()
                .statusCode(400).body("[0].errorCode", equalTo("INVALID_FIELD"));
        org.post("/sobjects/Opportunity", with(opportunity, "Referral_Link__c", "https://x.example")).then()
                .statusCode(400).body("[0].errorCode", equalTo("INVALID_FIELD_FOR_INSERT_UPDATE"));

        org.control().body(Map.of("withoutFields", List.of("Opportunity.Nope__c"), "pendingStage", "P",
                "activeStage", "A", "currencies", List.of("USD"), "dailyApiRequests", 100))
                .put("/_sim/orgs/contoso/settings").then().statusCode(400);
    }

    @Test
    void changeDataCaptureSelectionsAreToolingRowsAndAnObjectNoLongerSelectedPublishesNothing() {
        org.rest().get(MEMBERS).then().statusCode(200).body("entityTypeName", equalTo("PlatformEventChannelMember"))
                .body("records.DeveloperName", hasItem("ChangeEvents_OpportunityChangeEvent"))
                .body("records.SelectedEntity", hasItem("Microsoft_Solution__ChangeEvent"));

        org.control().body(List.of("Account", "Contact")).put("/_sim/pubsub/orgs/contoso/change-data-capture")
                .then().statusCode(200).body("$", contains("Account", "Contact"));
        org.rest().get(MEMBERS).then().statusCode(200)
                .body("records.SelectedEntity", contains("AccountChangeEvent", "ContactChangeEvent"));
        long before = published();
        String account = org.account("Still selected");
        org.create("Opportunity", Map.of("Name", "Not selected", "StageName", "Prospecting", "CloseDate",
                "2027-01-31", "AccountId", account));
        assertEquals(before + 1, published(), "the account's creation only");

        org.rest().get(V + "/tooling/query?q=SELECT Id FROM ApexClass").then().statusCode(400)
                .body("[0].errorCode", equalTo("INVALID_TYPE"));
        org.rest().get(V + "/tooling/query?q=SELECT Metadata FROM PlatformEventChannelMember").then()
                .statusCode(400).body("[0].errorCode", equalTo("INVALID_FIELD"))
                .body("[0].message", not(containsString("null")));
        org.control().body(List.of("Nothing__c")).put("/_sim/pubsub/orgs/contoso/change-data-capture").then()
                .statusCode(400);
    }

    private long published() {
        return org.control().get("/_sim/pubsub/orgs/contoso").then().statusCode(200).extract().jsonPath()
                .getLong("published");
    }

    private static Map<String, Object> with(Map<String, Object> base, String field, Object value) {
        Map<String, Object> out = new java.util.HashMap<>(base);
        out.put(field, value);
        return out;
    }
}
