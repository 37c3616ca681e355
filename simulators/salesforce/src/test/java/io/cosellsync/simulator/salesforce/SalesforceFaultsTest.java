package io.cosellsync.simulator.salesforce;

import static io.cosellsync.simulator.salesforce.Org.V;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.simulator.salesforce.control.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults, the daily allocation, counters, the seller's actions and the change log of the control API. */
@QuarkusTest
class SalesforceFaultsTest {

    private Org org;

    @BeforeEach
    void signIn() {
        org = Org.fresh("contoso");
    }

    @Test
    void everyFaultHasATest() {
        Set<Fault> covered = EnumSet.noneOf(Fault.class);
        Arrays.stream(getClass().getDeclaredMethods()).filter(m -> m.isAnnotationPresent(InjectsFault.class))
                .forEach(m -> covered.add(m.getAnnotation(InjectsFault.class).value()));
        assertEquals(EnumSet.allOf(Fault.class), covered);
    }

    private long injected(Fault fault) {
        Number n = org.control().get("/_sim/orgs/contoso/counters").then().extract().path("faults." + fault);
        return n == null ? 0 : n.longValue();
    }

    @Test
    @InjectsFault(Fault.LATENCY)
    void latencyDelaysEveryRestCall() {
        org.faults(Map.of("LATENCY", 300));
        long start = System.nanoTime();
        org.rest().get(V + "/limits").then().statusCode(200);
        assertTrue(System.nanoTime() - start >= 300_000_000L, "answered before the injected latency");
        assertEquals(1, injected(Fault.LATENCY));
    }

    @Test
    @InjectsFault(Fault.SERVER_UNAVAILABLE)
    void serverUnavailableAnswers503() {
        org.faults(Map.of("SERVER_UNAVAILABLE", 1.0));
        org.rest().get(V + "/limits").then().statusCode(503).body("[0].errorCode", equalTo("SERVER_UNAVAILABLE"));
        org.faults(Map.of());
        org.rest().get(V + "/limits").then().statusCode(200);
        assertEquals(1, injected(Fault.SERVER_UNAVAILABLE));
    }

    @Test
    @InjectsFault(Fault.REQUEST_LIMIT_EXCEEDED)
    void requestLimitExceededIsHeldForItsSecondsThenLifts() {
        org.faults(Map.of("REQUEST_LIMIT_EXCEEDED", 600));
        org.rest().get(V + "/sobjects").then().statusCode(403)
                .body("[0].errorCode", equalTo("REQUEST_LIMIT_EXCEEDED"),
                        "[0].message", equalTo("TotalRequests Limit exceeded."));
        org.rest().body(Map.of("Name", "x")).post(V + "/sobjects/Account").then().statusCode(403);
        assertEquals(2, injected(Fault.REQUEST_LIMIT_EXCEEDED));
        org.control().post("/_sim/clock/advance?seconds=601").then().statusCode(200);
        org.rest().get(V + "/sobjects").then().statusCode(200);
    }

    @Test
    @InjectsFault(Fault.ROW_LOCK)
    void rowLocksFailSingleWritesAndIndividualRecordsInCollections() {
        String account = org.account("Locked");
        org.faults(Map.of("ROW_LOCK", 1.0));
        org.patch("/sobjects/Account/" + account, Map.of("Name", "y")).then().statusCode(400)
                .body("[0].errorCode", equalTo("UNABLE_TO_LOCK_ROW"));
        org.post("/composite/sobjects", Map.of("records", List.of(Map.of("attributes", Map.of("type", "Account"),
                "Name", "z")))).then().statusCode(200).body("[0].errors[0].statusCode", equalTo("UNABLE_TO_LOCK_ROW"));
        assertEquals(2, injected(Fault.ROW_LOCK));
        org.faults(Map.of());
        org.patch("/sobjects/Account/" + account, Map.of("Name", "y")).then().statusCode(204);
    }

    @Test
    @InjectsFault(Fault.SESSION_REVOCATION)
    void sessionRevocationEndsAValidSessionAndANewGrantWorks() {
        org.faults(Map.of("SESSION_REVOCATION", 1.0));
        org.rest().get(V + "/limits").then().statusCode(401).body("[0].errorCode", equalTo("INVALID_SESSION_ID"));
        org.faults(Map.of());
        org.rest().get(V + "/limits").then().statusCode(401);
        Org.signIn("contoso").rest().get(V + "/limits").then().statusCode(200);
        assertEquals(1, injected(Fault.SESSION_REVOCATION));
    }

    @Test
    void badFaultSettingsAreRefused() {
        org.control().body(Map.of("ROW_LOCK", 2.0)).put("/_sim/orgs/contoso/faults").then().statusCode(400);
        org.control().body(Map.of("GREMLINS", 1.0)).put("/_sim/orgs/contoso/faults").then().statusCode(400);
        org.control().body(Map.of()).put("/_sim/orgs/nobody/faults").then().statusCode(404);
    }

    @Test
    void theDailyAllocationIsEnforcedAndCountersShowCallsByEndpointAndStatus() {
        Map<String, Object> settings = new HashMap<>(org.control().get("/_sim/orgs/contoso/settings").then()
                .statusCode(200).extract().jsonPath().getMap("$"));
        settings.put("dailyApiRequests", 3);
        org.control().body(settings).put("/_sim/orgs/contoso/settings").then().statusCode(200);
        org = Org.signIn("contoso");
        org.rest().get(V + "/limits").then().statusCode(200).header("Sforce-Limit-Info", "api-usage=1/3");
        org.rest().get(V + "/sobjects/Account/001000000000000AAA").then().statusCode(404);
        org.rest().get(V + "/limits").then().statusCode(200).body("DailyApiRequests.Remaining", equalTo(0));
        org.rest().get(V + "/limits").then().statusCode(403).body("[0].errorCode", equalTo("REQUEST_LIMIT_EXCEEDED"))
                .header("Sforce-Limit-Info", "api-usage=3/3");
        JsonPath counters = org.control().get("/_sim/orgs/contoso/counters").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(3, counters.getInt("apiUsage"));
        assertEquals(2, counters.getInt("calls.'GET DataResource.limits 200'"));
        assertEquals(1, counters.getInt("calls.'GET SObjectResource.get 404'"));
        assertEquals(1, counters.getInt("calls.'GET DataResource.limits 403'"));
        org.control().post("/_sim/clock/advance?seconds=86460").then().statusCode(200);
        org = Org.signIn("contoso");
        org.rest().get(V + "/limits").then().statusCode(200);
    }

    @Test
    void theSellerEditsAsTheUiWouldAndTheChangeLogTellsUsersAndOriginsApart() {
        String account = org.account("Seller Co");
        String opp = org.control().body(Map.of("Name", "Seller deal", "StageName", "Prospecting", "CloseDate",
                "2026-12-31", "AccountId", account, "Sync_with_Partner_Center__c", true))
                .post("/_sim/orgs/contoso/seller/records/Opportunity").then().statusCode(201).extract().path("id");
        String contact = org.control().body(Map.of("LastName", "Buyer", "AccountId", account))
                .post("/_sim/orgs/contoso/seller/records/Contact").then().statusCode(201).extract().path("id");
        org.control().body(Map.of("OpportunityId", opp, "ContactId", contact, "IsPrimary", true))
                .post("/_sim/orgs/contoso/seller/records/OpportunityContactRole").then().statusCode(201);
        org.control().body(Map.of("Opportunity__c", opp, "Solution_Id__c", "sol-9"))
                .post("/_sim/orgs/contoso/seller/records/Microsoft_Solution__c").then().statusCode(201);
        org.control().body(Map.of("ParentId", opp, "Title", "Kickoff"))
                .post("/_sim/orgs/contoso/seller/records/Note").then().statusCode(201);
        org.control().body(Map.of("OpportunityId", opp, "UserId", org.sellerId()))
                .post("/_sim/orgs/contoso/seller/records/OpportunityTeamMember").then().statusCode(201);
        org.control().body(Map.of("StageName", "Bogus")).patch("/_sim/orgs/contoso/seller/records/Opportunity/" + opp)
                .then().statusCode(400).body("[0].errorCode", equalTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"));
        org.patch("/sobjects/Opportunity/" + opp, Map.of("Referral_Identifier__c", "REF-9")).then().statusCode(204);

        JsonPath changes = org.control().get("/_sim/orgs/contoso/changes").then().statusCode(200).extract()
                .jsonPath();
        assertEquals("com/salesforce/api/rest/62.0;client=cosell-sync-test",
                changes.getString("find { it.entityName == 'Account' }.changeOrigin"));
        assertEquals(org.integrationUserId(), changes.getString("find { it.entityName == 'Account' }.commitUser"));
        assertEquals(org.sellerId(), changes.getString("find { it.entityName == 'Opportunity' }.commitUser"));
        assertEquals("", changes.getString("find { it.entityName == 'Opportunity' }.changeOrigin"));
        List<String> last = changes.getList("findAll { it.recordId == '" + opp + "' }.changedFields[-1]");
        assertTrue(last.contains("Referral_Identifier__c"));
        org.control().get("/_sim/orgs/contoso/changes?after=" + changes.getLong("[-1].sequence")).then()
                .body("size()", equalTo(0));
        org.control().get("/_sim/orgs/contoso/changes").then().body("size()", greaterThanOrEqualTo(8))
                .body("find { it.entityName == 'OpportunityContactRole' }.transactionKey", containsString("-"));
    }

    @Test
    void seedingAndResettingAnOrg() {
        org.control().body(Map.of("records", List.of(Map.of("attributes", Map.of("type", "Account",
                "referenceId", "a"), "Name", "Seeded")))).post("/_sim/orgs/fabrikam/seller/seed/Account").then()
                .statusCode(201);
        Org fabrikam = Org.signIn("fabrikam");
        fabrikam.rest().get(V + "/sobjects/Opportunity/describe").then().body(
                "fields.find { it.name == 'StageName' }.picklistValues.value", hasItem(
                        "Microsoft Referral - On Hold"));
        org.control().post("/_sim/orgs/fabrikam/reset").then().statusCode(200);
        assertEquals(0, org.control().get("/_sim/orgs/fabrikam/changes").then().extract().jsonPath()
                .getList("$").size());
    }
}
