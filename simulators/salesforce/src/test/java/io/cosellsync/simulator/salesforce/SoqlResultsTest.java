package io.cosellsync.simulator.salesforce;

import static io.cosellsync.simulator.salesforce.Org.V;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a query result looks like (nesting, child results, aggregates, errors) and that SOQL agrees with /sobjects. */
@QuarkusTest
class SoqlResultsTest {

    private Org org;
    private String account;
    private String opportunity;
    private String orphan;

    @BeforeEach
    void seed() {
        org = Org.fresh("contoso");
        account = org.account("Northwind Traders");
        opportunity = org.opportunity("Northwind renewal", account);
        orphan = org.create("Opportunity", Map.of("Name", "No account", "StageName", "Prospecting", "CloseDate",
                "2026-12-31"));
        String contact = org.create("Contact", Map.of("FirstName", "Nancy", "LastName", "Davolio", "AccountId",
                account, "Email", "nancy@northwind.example"));
        org.create("OpportunityContactRole", Map.of("OpportunityId", opportunity, "ContactId", contact, "Role",
                "Decision Maker", "IsPrimary", true));
        org.create("Microsoft_Solution__c", Map.of("Opportunity__c", opportunity, "Solution_Id__c", "sol-9",
                "Solution_Name__c", "Azure Migrate"));
        org.create("Note", Map.of("ParentId", opportunity, "Title", "Call notes", "Body", "Spoke to Nancy"));
    }

    private JsonPath query(String soql) {
        return org.rest().queryParam("q", soql).get(V + "/query").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void parentsNestUnderTheirRelationshipNameAndAnEmptyLookupIsNull() {
        JsonPath result = query("SELECT Name, Account.Name, Account.Owner.Name, Account.BillingCountry "
                + "FROM Opportunity ORDER BY Name DESC");
        assertEquals(2, result.getInt("totalSize"));
        assertTrue(result.getBoolean("done"));
        assertEquals("Opportunity", result.getString("records[0].attributes.type"));
        assertEquals(V + "/sobjects/Opportunity/" + opportunity, result.getString("records[0].attributes.url"));
        assertEquals(List.of("attributes", "Name", "Account"), List.copyOf(result.getMap("records[0]").keySet()));
        assertEquals("Account", result.getString("records[0].Account.attributes.type"));
        assertEquals(V + "/sobjects/Account/" + account, result.getString("records[0].Account.attributes.url"));
        assertEquals(List.of("attributes", "Name", "Owner", "BillingCountry"),
                List.copyOf(result.getMap("records[0].Account").keySet()));
        assertEquals("User", result.getString("records[0].Account.Owner.attributes.type"));
        assertEquals("Co-sell Integration", result.getString("records[0].Account.Owner.Name"));
        assertTrue(result.getMap("records[1]").containsKey("Account"));
        assertNull(result.get("records[1].Account"));
        assertEquals(orphan, result.getString("records[1].attributes.url").replaceAll(".*/", ""));
    }

    @Test
    void polymorphicParentsAreOfTypeName() {
        JsonPath result = query("SELECT Title, Parent.Name, Parent.Id FROM Note");
        assertEquals("Name", result.getString("records[0].Parent.attributes.type"));
        assertEquals(V + "/sobjects/Opportunity/" + opportunity, result.getString("records[0].Parent.attributes.url"));
        assertEquals("Northwind renewal", result.getString("records[0].Parent.Name"));
    }

    @Test
    void childSubQueriesAreNestedQueryResultsOrNull() {
        JsonPath result = query("SELECT Name, (SELECT Role, Contact.Email FROM OpportunityContactRoles), "
                + "(SELECT Solution_Id__c, Solution_Name__c FROM Microsoft_Solutions__r) FROM Opportunity "
                + "ORDER BY Name DESC");
        assertEquals(1, result.getInt("records[0].OpportunityContactRoles.totalSize"));
        assertTrue(result.getBoolean("records[0].OpportunityContactRoles.done"));
        assertEquals("OpportunityContactRole",
                result.getString("records[0].OpportunityContactRoles.records[0].attributes.type"));
        assertEquals("Decision Maker", result.getString("records[0].OpportunityContactRoles.records[0].Role"));
        assertEquals("nancy@northwind.example",
                result.getString("records[0].OpportunityContactRoles.records[0].Contact.Email"));
        assertEquals("Azure Migrate",
                result.getString("records[0].Microsoft_Solutions__r.records[0].Solution_Name__c"));
        assertTrue(result.getMap("records[1]").containsKey("OpportunityContactRoles"));
        assertNull(result.get("records[1].OpportunityContactRoles"));
        assertNull(result.get("records[1].Microsoft_Solutions__r"));
    }

    @Test
    void spacesMayBeSentAsPlusSigns() {
        JsonPath result = org.rest().urlEncodingEnabled(false)
                .get(V + "/query?q=SELECT+Name+FROM+Opportunity+WHERE+Name+LIKE+%27North%25%27").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of("Northwind renewal"), result.getList("records.Name"));
    }

    @Test
    void countShapes() {
        JsonPath count = query("SELECT COUNT() FROM Opportunity");
        assertEquals(Map.of("totalSize", 2, "done", true, "records", List.of()), count.getMap(""));
        JsonPath aggregate = query("SELECT COUNT(Id), COUNT(AccountId) withAccount FROM Opportunity");
        assertEquals(1, aggregate.getInt("totalSize"));
        assertEquals(Map.of("type", "AggregateResult"), aggregate.getMap("records[0].attributes"));
        assertEquals(2, aggregate.getInt("records[0].expr0"));
        assertEquals(1, aggregate.getInt("records[0].withAccount"));
    }

    @Test
    void errorsPointAtTheOffendingColumnAsSalesforceDoes() {
        JsonPath error = org.rest().queryParam("q", "SELECT Id, Nme FROM Account").get(V + "/query").then()
                .statusCode(400).extract().jsonPath();
        assertEquals("INVALID_FIELD", error.getString("[0].errorCode"));
        assertEquals("\nSELECT Id, Nme FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Nme' on "
                + "entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after "
                + "the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
                error.getString("[0].message"));
        JsonPath multiLine = org.rest().queryParam("q", "SELECT Id\nFROM Account\nWHERE Name = 'x' AND AND")
                .get(V + "/query").then().statusCode(400).extract().jsonPath();
        assertEquals("MALFORMED_QUERY", multiLine.getString("[0].errorCode"));
        assertEquals("\nWHERE Name = 'x' AND AND\n                     ^\nERROR at Row:3:Column:22\n"
                + "unexpected token: AND", multiLine.getString("[0].message"));
        org.rest().get(V + "/query").then().statusCode(400);
    }

    @Test
    void compositeSubrequestsCanQueryAndReferenceTheResult() {
        JsonPath result = org.post("/composite", Map.of("compositeRequest", List.of(
                Map.of("method", "GET", "referenceId", "q", "url", V + "/query?q="
                        + "SELECT+Id,+Name+FROM+Opportunity+WHERE+AccountId+!=+null"),
                Map.of("method", "GET", "referenceId", "read", "url",
                        V + "/sobjects/Opportunity/@{q.records[0].Id}?fields=Name"))))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(200, 200), result.getList("compositeResponse.httpStatusCode"));
        assertEquals("Northwind renewal", result.getString("compositeResponse[1].body.Name"));
    }

    /** Every field of every object, read by id and by SOQL, gives the same JSON. */
    @Test
    void soqlAndSObjectRowsAgree() {
        for (String object : List.of("Account", "Contact", "Opportunity", "OpportunityContactRole",
                "Microsoft_Solution__c", "Note", "User")) {
            List<String> fields = org.rest().get(V + "/sobjects/" + object + "/describe").then().statusCode(200)
                    .extract().jsonPath().getList("fields.name");
            JsonPath all = query("SELECT " + String.join(", ", fields) + " FROM " + object);
            assertFalse(all.getList("records").isEmpty(), object);
            for (int i = 0; i < all.getInt("totalSize"); i++) {
                Map<String, Object> bySoql = all.getMap("records[" + i + "]");
                String url = all.getString("records[" + i + "].attributes.url");
                Map<String, Object> byId = org.rest().get(url).then().statusCode(200).extract().jsonPath()
                        .getMap("");
                assertEquals(byId, bySoql, object);
            }
            String someFields = fields.stream().filter(f -> !f.equals("Id")).limit(4)
                    .collect(Collectors.joining(","));
            String id = all.getString("records[0].Id");
            Map<String, Object> subset = org.rest().queryParam("fields", someFields)
                    .get(V + "/sobjects/" + object + "/" + id).then().statusCode(200).extract().jsonPath().getMap("");
            assertEquals(subset, query("SELECT " + someFields + " FROM " + object + " WHERE Id = '" + id + "'")
                    .getMap("records[0]"), object);
        }
    }
}
