package io.cosellsync.simulator.salesforce;

import static io.cosellsync.simulator.salesforce.Org.V;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Composite, sObject Collections and sObject Tree: references, all-or-none, per-record results, limits. */
@QuarkusTest
class CompositeTest {

    private Org org;

    @BeforeEach
    void signIn() {
        org = Org.fresh("contoso");
    }

    private static Map<String, Object> sub(String method, String url, String ref, Object body) {
        Map<String, Object> sub = new HashMap<>(Map.of("method", method, "url", V + url, "referenceId", ref));
        if (body != null) {
            sub.put("body", body);
        }
        return sub;
    }

    private static Map<String, Object> opportunity(String name, String accountRef) {
        return Map.of("Name", name, "StageName", "Prospecting", "CloseDate", "2026-12-31", "AccountId", accountRef);
    }

    /** Committed creates of an object, from the change log. */
    private long count(String object) {
        return org.control().get("/_sim/orgs/contoso/changes").then().extract().jsonPath()
                .getList("findAll { it.entityName == '" + object + "' && it.changeType == 'CREATE' }").size();
    }

    @Test
    void compositeReferencesEarlierResultsInUrlsAndBodies() {
        JsonPath result = org.post("/composite", Map.of("allOrNone", true, "compositeRequest", List.of(
                sub("POST", "/sobjects/Account", "acct", Map.of("Name", "Composite Co")),
                sub("POST", "/sobjects/Opportunity", "opp", opportunity("Composite deal", "@{acct.id}")),
                sub("GET", "/sobjects/Opportunity/@{opp.id}?fields=AccountId,Name", "read", null),
                sub("PATCH", "/sobjects/Opportunity/@{opp.id}", "edit", Map.of("Description",
                        "account @{read.AccountId}"))))).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(201, 201, 200, 204), result.getList("compositeResponse.httpStatusCode"));
        String account = result.getString("compositeResponse[0].body.id");
        assertEquals(account, result.getString("compositeResponse[2].body.AccountId"));
        assertEquals(V + "/sobjects/Account/" + account,
                result.getString("compositeResponse[0].httpHeaders.Location"));
        String opp = result.getString("compositeResponse[1].body.id");
        assertEquals("account " + account, org.get("Opportunity", opp).getString("Description"));
    }

    @Test
    void allOrNoneRollsEverythingBackAndReportsTheHalt() {
        long before = count("Account");
        JsonPath result = org.post("/composite", Map.of("allOrNone", true, "compositeRequest", List.of(
                sub("POST", "/sobjects/Account", "acct", Map.of("Name", "Rolled back")),
                sub("POST", "/sobjects/Opportunity", "bad", Map.of("Name", "No stage", "AccountId", "@{acct.id}")),
                sub("POST", "/sobjects/Account", "never", Map.of("Name", "Never"))))).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(400, 400, 400), result.getList("compositeResponse.httpStatusCode"));
        assertEquals("PROCESSING_HALTED", result.getString("compositeResponse[0].body[0].errorCode"));
        assertEquals("REQUIRED_FIELD_MISSING", result.getString("compositeResponse[1].body[0].errorCode"));
        assertEquals("PROCESSING_HALTED", result.getString("compositeResponse[2].body[0].errorCode"));
        assertEquals(before, count("Account"));
    }

    @Test
    void withoutAllOrNoneOnlyDependantsOfAFailureAreSkipped() {
        JsonPath result = org.post("/composite", Map.of("allOrNone", false, "compositeRequest", List.of(
                sub("POST", "/sobjects/Account", "bad", Map.of("Website", "no name")),
                sub("POST", "/sobjects/Opportunity", "dependant", opportunity("Dependant", "@{bad.id}")),
                sub("POST", "/sobjects/Account", "fine", Map.of("Name", "Independent"))))).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(400, 400, 201), result.getList("compositeResponse.httpStatusCode"));
        assertEquals("PROCESSING_HALTED", result.getString("compositeResponse[1].body[0].errorCode"));
        org.get("Account", result.getString("compositeResponse[2].body.id"));
    }

    @Test
    void compositeLimitsAreEnforced() {
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            many.add(sub("GET", "/sobjects/User/" + org.sellerId(), "u" + i, null));
        }
        org.post("/composite", Map.of("compositeRequest", many)).then().statusCode(400)
                .body("[0].errorCode", equalTo("LIMIT_EXCEEDED"));
        org.post("/composite", Map.of("compositeRequest", List.of(
                sub("GET", "/sobjects/User/" + org.sellerId(), "same", null),
                sub("GET", "/sobjects/User/" + org.sellerId(), "same", null)))).then().statusCode(400);
    }

    private static Map<String, Object> record(String type, Object... fields) {
        Map<String, Object> record = new HashMap<>();
        record.put("attributes", Map.of("type", type));
        for (int i = 0; i < fields.length; i += 2) {
            record.put((String) fields[i], fields[i + 1]);
        }
        return record;
    }

    @Test
    void collectionsCreateAndUpdateReportEachRecordInOrder() {
        JsonPath created = org.post("/composite/sobjects", Map.of("allOrNone", false, "records", List.of(
                record("Account", "Name", "One"), record("Account", "Website", "nameless"),
                record("Contact", "LastName", "Three")))).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(true, false, true), created.getList("success"));
        assertEquals("REQUIRED_FIELD_MISSING", created.getString("[1].errors[0].statusCode"));
        assertEquals(List.of("Name"), created.getList("[1].errors[0].fields"));
        String one = created.getString("[0].id");
        org.rest().body(Map.of("allOrNone", false, "records", List.of(
                record("Account", "id", one, "Name", "One renamed"),
                record("Account", "id", "001000000000000AAA", "Name", "Ghost")))).patch(V + "/composite/sobjects")
                .then().statusCode(200).body("success", equalTo(List.of(true, false)))
                .body("[1].id", equalTo("001000000000000AAA"), "[1].errors[0].statusCode", equalTo("NOT_FOUND"));
        assertEquals("One renamed", org.get("Account", one).getString("Name"));
    }

    @Test
    void collectionsAllOrNoneRollsBackTheHealthyRecords() {
        JsonPath result = org.post("/composite/sobjects", Map.of("allOrNone", true, "records", List.of(
                record("Account", "Name", "Healthy"), record("Account", "Website", "nameless")))).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of(false, false), result.getList("success"));
        assertEquals("ALL_OR_NONE_OPERATION_ROLLED_BACK", result.getString("[0].errors[0].statusCode"));
        assertEquals(null, result.getString("[0].id"));
        assertEquals(0, count("Account"));
    }

    @Test
    void collectionsUpsertOneTypeByExternalIdWithCreatedFlags() {
        String account = org.account("Upserts");
        String existing = org.create("Opportunity", Map.of("Name", "Existing", "StageName", "Prospecting",
                "CloseDate", "2026-12-31", "Referral_Identifier__c", "R-1"));
        List<Map<String, Object>> records = List.of(
                record("Opportunity", "Referral_Identifier__c", "r-1", "Amount", 10),
                record("Opportunity", "Referral_Identifier__c", "R-2", "Name", "New", "StageName", "Prospecting",
                        "CloseDate", "2026-11-30", "AccountId", account),
                record("Opportunity", "Referral_Identifier__c", "R-3", "Name", "Twice", "StageName", "Prospecting",
                        "CloseDate", "2026-11-30"),
                record("Opportunity", "Referral_Identifier__c", "r-3", "Name", "Twice", "StageName", "Prospecting",
                        "CloseDate", "2026-11-30"));
        JsonPath result = org.patch("/composite/sobjects/Opportunity/Referral_Identifier__c",
                Map.of("allOrNone", false, "records", records)).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(true, true, false, false), result.getList("success"));
        assertEquals(existing, result.getString("[0].id"));
        assertEquals(false, result.getBoolean("[0].created"));
        assertEquals(true, result.getBoolean("[1].created"));
        assertEquals("DUPLICATE_EXTERNAL_ID", result.getString("[2].errors[0].statusCode"));
        assertEquals(10.0, org.get("Opportunity", existing).getDouble("Amount"));
        org.patch("/composite/sobjects/Opportunity/Name", Map.of("records", records)).then().statusCode(404);
        org.patch("/composite/sobjects/Opportunity/Referral_Identifier__c", Map.of("records", List.of(
                record("Account", "Referral_Identifier__c", "x")))).then().statusCode(400);
    }

    @Test
    void collectionsDeleteAndRetrieveByIds() {
        String a = org.account("A");
        String b = org.account("B");
        org.rest().get(V + "/composite/sobjects/Account?ids=" + a + "," + b + ",001000000000000AAA&fields=Name")
                .then().statusCode(200).body("$", hasSize(3), "[0].Name", equalTo("A"), "[1].Name", equalTo("B"),
                        "[2]", nullValue());
        org.rest().delete(V + "/composite/sobjects?ids=" + a + ",001000000000000AAA&allOrNone=false").then()
                .statusCode(200).body("success", equalTo(List.of(true, false)));
        org.rest().delete(V + "/composite/sobjects?ids=" + b + ",001000000000000AAA&allOrNone=true").then()
                .statusCode(200).body("[0].errors[0].statusCode", equalTo("ALL_OR_NONE_OPERATION_ROLLED_BACK"));
        org.get("Account", b);
        org.post("/composite/sobjects/Account", Map.of("ids", List.of(b), "fields", List.of("Name"))).then()
                .statusCode(200).body("[0].Name", equalTo("B"));
    }

    @Test
    void collectionsRefuseMoreThan200RecordsAndUnknownFieldsForTheWholeCall() {
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            many.add(record("Account", "Name", "N" + i));
        }
        org.post("/composite/sobjects", Map.of("records", many)).then().statusCode(400)
                .body("[0].errorCode", equalTo("EXCEEDED_ID_LIMIT"));
        org.post("/composite/sobjects", Map.of("records", many.subList(0, 200))).then().statusCode(200)
                .body("success", hasSize(200));
        org.post("/composite/sobjects", Map.of("records", List.of(record("Account", "Name", "x", "Nope__c", 1))))
                .then().statusCode(400).body("[0].errorCode", equalTo("INVALID_FIELD"));
    }

    @Test
    void aTreeCreatesParentsWithChildrenOrNothing() {
        Map<String, Object> tree = Map.of("records", List.of(Map.of(
                "attributes", Map.of("type", "Account", "referenceId", "acct"), "Name", "Tree Co",
                "Contacts", Map.of("records", List.of(Map.of("attributes", Map.of("type", "Contact",
                        "referenceId", "c1"), "LastName", "Leaf"))),
                "Opportunities", Map.of("records", List.of(Map.of("attributes", Map.of("type", "Opportunity",
                        "referenceId", "o1"), "Name", "Tree deal", "StageName", "Prospecting", "CloseDate",
                        "2026-12-31"))))));
        JsonPath result = org.post("/composite/tree/Account", tree).then().statusCode(201)
                .body("hasErrors", equalTo(false)).extract().jsonPath();
        String account = result.getString("results.find { it.referenceId == 'acct' }.id");
        assertEquals(account, org.get("Contact", result.getString("results.find { it.referenceId == 'c1' }.id"))
                .getString("AccountId"));
        org.post("/composite/tree/Account", Map.of("records", List.of(Map.of(
                "attributes", Map.of("type", "Account", "referenceId", "ok"), "Name", "Never saved",
                "Contacts", Map.of("records", List.of(Map.of("attributes", Map.of("type", "Contact",
                        "referenceId", "broken"), "FirstName", "No last name"))))))).then().statusCode(400)
                .body("hasErrors", equalTo(true), "results[0].referenceId", equalTo("broken"),
                        "results[0].errors[0].statusCode", equalTo("REQUIRED_FIELD_MISSING"));
        assertEquals(1, count("Account"));
        assertEquals(1, count("Contact"));
    }

    @Test
    void aCompositeAndACollectionEachCountAsOneCall() {
        String before = org.rest().get(V + "/limits").then().extract().header("Sforce-Limit-Info");
        org.post("/composite/sobjects", Map.of("records", List.of(record("Account", "Name", "1"),
                record("Account", "Name", "2")))).then().statusCode(200);
        String after = org.rest().get(V + "/limits").then().extract().header("Sforce-Limit-Info");
        int used = Integer.parseInt(before.replaceAll("api-usage=(\\d+)/.*", "$1"));
        assertEquals("api-usage=" + (used + 2) + "/15000", after);
        org.rest().get(V + "/sobjects/Account/" + "001000000000000AAA").then().statusCode(404)
                .header("Sforce-Limit-Info", matchesPattern("api-usage=\\d+/15000")).body("[0].fields", nullValue());
    }
}
