package io.cosellsync.simulator.salesforce;

import static io.cosellsync.simulator.salesforce.Org.V;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.simulator.salesforce.data.DataRule;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The data rules of a real org, one contract test each (see {@link DataRule}). */
@QuarkusTest
class DataRulesTest {

    private Org org;
    private String account;

    @BeforeEach
    void signIn() {
        org = Org.fresh("contoso");
        account = org.account("Rules Inc");
    }

    private Map<String, Object> opportunity(Object... extra) {
        Map<String, Object> fields = new HashMap<>(Map.of("Name", "Rule deal", "StageName", "Prospecting",
                "CloseDate", "2026-12-31", "AccountId", account));
        for (int i = 0; i < extra.length; i += 2) {
            fields.put((String) extra[i], extra[i + 1]);
        }
        return fields;
    }

    private ValidatableResponse createFails(String object, Map<String, ?> body, String code) {
        return org.post("/sobjects/" + object, body).then().statusCode(400).body("[0].errorCode", equalTo(code));
    }

    @Test
    @Covers(DataRule.ID_IN_CREATE_BODY)
    void anIdInACreateBodyIsRefused() {
        createFails("Opportunity", opportunity("Id", account), "INVALID_FIELD")
                .body("[0].message", equalTo("The Id field should not be specified in the sobject data."));
    }

    @Test
    @Covers(DataRule.UNKNOWN_FIELD)
    void unknownFieldsAreRefusedByName() {
        createFails("Opportunity", opportunity("Bogus__c", "x"), "INVALID_FIELD")
                .body("[0].message", equalTo("No such column 'Bogus__c' on sobject of type Opportunity"));
        org.control().body(Map.of("pendingStage", "P", "activeStage", "A", "externalIdFields", List.of(),
                "nonUniqueExternalIdFields", List.of(), "multiCurrency", false, "currencies", List.of(),
                "dailyApiRequests", 15000)).put("/_sim/orgs/contoso/settings").then().statusCode(200);
        org = Org.signIn("contoso");
        String plain = org.account("Single currency");
        org.patch("/sobjects/Account/" + plain, Map.of("CurrencyIsoCode", "USD")).then().statusCode(400)
                .body("[0].errorCode", equalTo("INVALID_FIELD"));
    }

    @Test
    @Covers(DataRule.WRONG_VALUE_TYPE)
    void valuesOfTheWrongJsonTypeAreParserErrors() {
        createFails("Opportunity", opportunity("Amount", "lots"), "JSON_PARSER_ERROR");
        createFails("Opportunity", opportunity("CloseDate", "31/12/2026"), "JSON_PARSER_ERROR");
        createFails("Opportunity", opportunity("IsPrivate", 3), "JSON_PARSER_ERROR");
        createFails("Opportunity", opportunity("Name", Map.of("a", 1)), "JSON_PARSER_ERROR");
    }

    @Test
    @Covers(DataRule.READ_ONLY_FIELD)
    void readOnlyFieldsCannotBeWritten() {
        createFails("Opportunity", opportunity("IsWon", true), "INVALID_FIELD_FOR_INSERT_UPDATE")
                .body("[0].fields", contains("IsWon"));
        String id = org.opportunity("RO", account);
        org.patch("/sobjects/Opportunity/" + id, Map.of("CreatedDate", "2020-01-01T00:00:00.000+0000",
                "ExpectedRevenue", 5)).then().statusCode(400)
                .body("[0].errorCode", equalTo("INVALID_FIELD_FOR_INSERT_UPDATE"),
                        "[0].fields", containsInAnyOrder("CreatedDate", "ExpectedRevenue"));
    }

    @Test
    @Covers(DataRule.CREATE_ONLY_FIELD)
    void createOnlyFieldsCannotBeChangedLater() {
        String opp = org.opportunity("CO", account);
        String other = org.opportunity("Other", account);
        String contact = org.create("Contact", Map.of("LastName", "Kim"));
        String role = org.create("OpportunityContactRole", Map.of("OpportunityId", opp, "ContactId", contact));
        org.patch("/sobjects/OpportunityContactRole/" + role, Map.of("OpportunityId", other)).then()
                .statusCode(400).body("[0].errorCode", equalTo("INVALID_FIELD_FOR_INSERT_UPDATE"));
        org.patch("/sobjects/OpportunityContactRole/" + role, Map.of("Role", "Evaluator")).then().statusCode(204);
    }

    @Test
    @Covers(DataRule.REQUIRED_FIELD)
    void requiredFieldsAreListedWhenMissingOrNulled() {
        org.post("/sobjects/Opportunity", Map.of("Name", "No stage")).then().statusCode(400)
                .body("[0].errorCode", equalTo("REQUIRED_FIELD_MISSING"),
                        "[0].message", equalTo("Required fields are missing: [StageName, CloseDate]"),
                        "[0].fields", contains("StageName", "CloseDate"));
        String id = org.opportunity("Req", account);
        Map<String, Object> nulled = new HashMap<>();
        nulled.put("CloseDate", null);
        org.patch("/sobjects/Opportunity/" + id, nulled).then().statusCode(400)
                .body("[0].errorCode", equalTo("REQUIRED_FIELD_MISSING"), "[0].fields", contains("CloseDate"));
        createFails("Contact", Map.of("FirstName", "Only"), "REQUIRED_FIELD_MISSING");
    }

    @Test
    @Covers(DataRule.STRING_TOO_LONG)
    void textLongerThanTheFieldIsRefused() {
        createFails("Opportunity", opportunity("Name", "x".repeat(121)), "STRING_TOO_LONG")
                .body("[0].message", containsString("(max length=120)"), "[0].fields", contains("Name"));
        org.post("/sobjects/Opportunity", opportunity("Name", "✔".repeat(120))).then().statusCode(201);
        createFails("Account", Map.of("Name", "A", "BillingCity", "c".repeat(41)), "STRING_TOO_LONG");
    }

    @Test
    @Covers(DataRule.NUMBER_OUT_OF_RANGE)
    void numbersBeyondTheFieldsPrecisionAreRefusedAndDecimalsRound() {
        createFails("Opportunity", opportunity("Amount", new java.math.BigDecimal("1e17")),
                "NUMBER_OUTSIDE_VALID_RANGE");
        String id = org.create("Opportunity", opportunity("Amount", 10.005));
        assertEquals(10.01, org.get("Opportunity", id).getDouble("Amount"));
    }

    @Test
    @Covers(DataRule.RESTRICTED_PICKLIST)
    void restrictedPicklistsRefuseOtherValues() {
        createFails("Opportunity", opportunity("StageName", "Almost won"), "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
                .body("[0].message", equalTo("Stage: bad value for restricted picklist field: Almost won"));
        createFails("Opportunity", opportunity("How_can_Microsoft_help__c", "Please"),
                "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        org.post("/sobjects/Opportunity", opportunity("LeadSource", "Trade show")).then().statusCode(201);
        // a multi-select value is checked value by value, and kept without duplicates in the picklist's order
        createFails("Opportunity", opportunity("Microsoft_Products__c", "Azure;Clippy"),
                "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
                .body("[0].message", equalTo("Microsoft Products: bad value for restricted picklist field: Clippy"));
        String id = org.create("Opportunity", opportunity("Microsoft_Products__c", "SQL; Azure;SQL"));
        assertEquals("Azure;SQL", org.get("Opportunity", id).getString("Microsoft_Products__c"));
    }

    @Test
    @Covers(DataRule.CURRENCY_ISO_CODE)
    void currencyCodesMustBeActiveAndDefaultToTheCorporateCurrency() {
        createFails("Opportunity", opportunity("CurrencyIsoCode", "XYZ"), "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        String usd = org.create("Opportunity", opportunity());
        assertEquals("USD", org.get("Opportunity", usd).getString("CurrencyIsoCode"));
        String eur = org.create("Opportunity", opportunity("CurrencyIsoCode", "EUR"));
        assertEquals("EUR", org.get("Opportunity", eur).getString("CurrencyIsoCode"));
    }

    @Test
    @Covers(DataRule.EMAIL_FORMAT)
    void emailFieldsHoldAddresses() {
        createFails("Contact", Map.of("LastName", "Lee", "Email", "not-an-email"), "INVALID_EMAIL_ADDRESS");
        org.post("/sobjects/Contact", Map.of("LastName", "Lee", "Email", "lee@example.com")).then().statusCode(201);
    }

    @Test
    @Covers(DataRule.UNIQUE_EXTERNAL_ID)
    void uniqueExternalIdsAreUniqueCaseInsensitively() {
        String first = org.create("Opportunity", opportunity("Referral_Identifier__c", "ref-1"));
        createFails("Opportunity", opportunity("Referral_Identifier__c", "REF-1"), "DUPLICATE_VALUE")
                .body("[0].message", equalTo("duplicate value found: Referral_Identifier__c duplicates value on "
                        + "record with id: " + first));
        org.patch("/sobjects/Opportunity/" + first, Map.of("Referral_Identifier__c", "ref-1")).then()
                .statusCode(204);
    }

    @Test
    @Covers(DataRule.REFERENCE_CHECKED)
    void lookupsMustNameAnExistingRecordOfTheRightObject() {
        String contact = org.create("Contact", Map.of("LastName", "Wrong"));
        createFails("Opportunity", opportunity("AccountId", "garbage"), "MALFORMED_ID");
        createFails("Opportunity", opportunity("AccountId", contact), "FIELD_INTEGRITY_EXCEPTION");
        createFails("Opportunity", opportunity("AccountId", "001000000000000AAA"), "INVALID_CROSS_REFERENCE_KEY");
        String gone = org.account("Gone");
        org.rest().delete(V + "/sobjects/Account/" + gone).then().statusCode(204);
        createFails("Opportunity", opportunity("AccountId", gone), "ENTITY_IS_DELETED");
        String id = org.create("Opportunity", opportunity("AccountId", account.substring(0, 15)));
        assertEquals(account, org.get("Opportunity", id).getString("AccountId"));
    }

    @Test
    @Covers(DataRule.PARENT_BY_EXTERNAL_ID)
    void parentsNamedByExternalIdMustExistAndBeExternalIds() {
        org.create("Opportunity", opportunity("Referral_Identifier__c", "REF-P"));
        String note = org.create("Microsoft_Solution__c", Map.of("Solution_Id__c", "s",
                "Opportunity__r", Map.of("Referral_Identifier__c", "ref-p")));
        assertTrue(org.get("Microsoft_Solution__c", note).getString("Opportunity__c").startsWith("006"));
        createFails("Microsoft_Solution__c", Map.of("Solution_Id__c", "s", "Opportunity__r",
                Map.of("Referral_Identifier__c", "nope")), "INVALID_FIELD")
                .body("[0].message", containsString("Foreign key external ID: nope not found"));
        createFails("Microsoft_Solution__c", Map.of("Solution_Id__c", "s", "Opportunity__r",
                Map.of("Name", "Rule deal")), "INVALID_FIELD");
    }

    @Test
    @Covers(DataRule.DELETED_ROW)
    void recycledRowsCannotBeWritten() {
        String id = org.opportunity("Deleted", account);
        org.rest().delete(V + "/sobjects/Opportunity/" + id).then().statusCode(204);
        org.patch("/sobjects/Opportunity/" + id, Map.of("Name", "x")).then().statusCode(404)
                .body("[0].errorCode", equalTo("ENTITY_IS_DELETED"));
        org.rest().delete(V + "/sobjects/Opportunity/" + id).then().statusCode(404)
                .body("[0].errorCode", equalTo("ENTITY_IS_DELETED"));
    }

    @Test
    @Covers(DataRule.STAGE_DERIVED_FIELDS)
    void stageDrivesClosedWonForecastProbabilityAndExpectedRevenue() {
        String id = org.opportunity("Stages", account);
        JsonPath open = org.get("Opportunity", id);
        assertEquals(false, open.getBoolean("IsClosed"));
        assertEquals(10.0, open.getDouble("Probability"));
        assertEquals(5000.0, open.getDouble("ExpectedRevenue"));
        assertEquals("Pipeline", open.getString("ForecastCategoryName"));
        org.patch("/sobjects/Opportunity/" + id, Map.of("StageName", "Closed Won")).then().statusCode(204);
        JsonPath won = org.get("Opportunity", id);
        assertEquals(true, won.getBoolean("IsClosed"));
        assertEquals(true, won.getBoolean("IsWon"));
        assertEquals(100.0, won.getDouble("Probability"));
        assertEquals("Closed", won.getString("ForecastCategoryName"));
        org.patch("/sobjects/Opportunity/" + id, Map.of("StageName", "Co-sell Active", "Probability", 35))
                .then().statusCode(204);
        JsonPath active = org.get("Opportunity", id);
        assertEquals(false, active.getBoolean("IsClosed"));
        assertEquals(35.0, active.getDouble("Probability"));
        assertEquals(17500.0, active.getDouble("ExpectedRevenue"));
        org.patch("/sobjects/Opportunity/" + id, Map.of("StageName", "Closed Lost")).then().statusCode(204);
        assertEquals(false, org.get("Opportunity", id).getBoolean("IsWon"));
    }

    @Test
    @Covers(DataRule.SYSTEM_FIELDS)
    void systemFieldsAreMaintainedOnEveryWrite() {
        String id = org.opportunity("System", account);
        JsonPath created = org.get("Opportunity", id);
        assertEquals(org.integrationUserId(), created.getString("CreatedById"));
        assertEquals(org.integrationUserId(), created.getString("OwnerId"));
        assertEquals(created.getString("CreatedDate"), created.getString("LastModifiedDate"));
        assertTrue(created.getString("SystemModstamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000"));
        org.control().post("/_sim/clock/advance?seconds=60").then().statusCode(200);
        org.control().body(Map.of("Description", "by the seller")).patch("/_sim/orgs/contoso/seller/records/"
                + "Opportunity/" + id).then().statusCode(204);
        JsonPath edited = org.get("Opportunity", id);
        assertEquals(org.sellerId(), edited.getString("LastModifiedById"));
        assertEquals(created.getString("CreatedDate"), edited.getString("CreatedDate"));
        assertNotEquals(created.getString("LastModifiedDate"), edited.getString("LastModifiedDate"));
        assertEquals(edited.getString("LastModifiedDate"), edited.getString("SystemModstamp"));
    }

    @Test
    @Covers(DataRule.DERIVED_NAMES)
    void namesAreDerivedFromTheirParts() {
        String contact = org.create("Contact", Map.of("FirstName", "Ada", "LastName", "Lovelace"));
        assertEquals("Ada Lovelace", org.get("Contact", contact).getString("Name"));
        org.patch("/sobjects/Contact/" + contact, Map.of("LastName", "King")).then().statusCode(204);
        assertEquals("Ada King", org.get("Contact", contact).getString("Name"));
        String opp = org.opportunity("Names", account);
        String member = org.create("OpportunityTeamMember", Map.of("OpportunityId", opp, "UserId", org.sellerId()));
        assertEquals("Sam Lee", org.get("OpportunityTeamMember", member).getString("Name"));
        String solution = org.create("Microsoft_Solution__c", Map.of("Opportunity__c", opp, "Solution_Id__c", "x"));
        assertTrue(org.get("Microsoft_Solution__c", solution).getString("Name").matches("MS-\\d{6}"));
    }

    @Test
    @Covers(DataRule.ONE_PRIMARY_CONTACT_ROLE)
    void oneContactRolePerOpportunityIsPrimaryAndSetsTheOpportunitysContact() {
        String opp = org.opportunity("Roles", account);
        String first = org.create("Contact", Map.of("LastName", "First"));
        String second = org.create("Contact", Map.of("LastName", "Second"));
        String r1 = org.create("OpportunityContactRole", Map.of("OpportunityId", opp, "ContactId", first,
                "IsPrimary", true));
        assertEquals(first, org.get("Opportunity", opp).getString("ContactId"));
        String r2 = org.create("OpportunityContactRole", Map.of("OpportunityId", opp, "ContactId", second,
                "IsPrimary", true));
        assertEquals(false, org.get("OpportunityContactRole", r1).getBoolean("IsPrimary"));
        assertEquals(second, org.get("Opportunity", opp).getString("ContactId"));
        org.rest().delete(V + "/sobjects/OpportunityContactRole/" + r2).then().statusCode(204);
        assertNull(org.get("Opportunity", opp).get("ContactId"));
        org.patch("/sobjects/Opportunity/" + opp, Map.of("ContactId", first)).then().statusCode(400)
                .body("[0].errorCode", equalTo("INVALID_FIELD_FOR_INSERT_UPDATE"));
    }

    @Test
    @Covers(DataRule.TEAM_MEMBER_PAIR)
    void aSecondTeamMemberForTheSamePairUpdatesTheFirst() {
        String opp = org.opportunity("Team", account);
        String first = org.create("OpportunityTeamMember", Map.of("OpportunityId", opp, "UserId", org.sellerId(),
                "TeamMemberRole", "Sales Rep"));
        String again = org.create("OpportunityTeamMember", Map.of("OpportunityId", opp, "UserId",
                org.sellerId(), "TeamMemberRole", "Sales Manager", "OpportunityAccessLevel", "Edit"));
        assertEquals(first, again);
        JsonPath member = org.get("OpportunityTeamMember", first);
        assertEquals("Sales Manager", member.getString("TeamMemberRole"));
        assertEquals("Edit", member.getString("OpportunityAccessLevel"));
    }

    @Test
    @Covers(DataRule.CASCADE_DELETE)
    void deletingAnOpportunityDeletesItsDependantsAndUndeleteRestoresThem() {
        String opp = org.opportunity("Cascade", account);
        String contact = org.create("Contact", Map.of("LastName", "Stays", "AccountId", account));
        String role = org.create("OpportunityContactRole", Map.of("OpportunityId", opp, "ContactId", contact));
        String member = org.create("OpportunityTeamMember", Map.of("OpportunityId", opp, "UserId", org.sellerId()));
        String solution = org.create("Microsoft_Solution__c", Map.of("Opportunity__c", opp, "Solution_Id__c", "s"));
        String note = org.create("Note", Map.of("ParentId", opp, "Title", "Call notes", "Body", "Went well"));
        org.rest().delete(V + "/sobjects/Opportunity/" + opp).then().statusCode(204);
        for (String[] gone : new String[][] {{"OpportunityContactRole", role}, {"Microsoft_Solution__c", solution},
                {"Note", note}}) {
            org.rest().get(V + "/sobjects/" + gone[0] + "/" + gone[1]).then().statusCode(404)
                    .body("[0].errorCode", equalTo("ENTITY_IS_DELETED"));
        }
        org.rest().get(V + "/sobjects/OpportunityTeamMember/" + member).then().statusCode(404)
                .body("[0].errorCode", equalTo("NOT_FOUND"));
        org.get("Contact", contact);
        soap("undelete", "<urn:ids>" + opp + "</urn:ids>").statusCode(200)
                .body(containsString("<success>true</success>"));
        org.get("OpportunityContactRole", role);
        org.get("Microsoft_Solution__c", solution);
        org.get("Note", note);
    }

    @Test
    @Covers(DataRule.UNDELETE)
    void onlyRecycledRowsCanBeUndeleted() {
        String live = org.account("Alive");
        soap("undelete", "<urn:ids>" + live + "</urn:ids>").statusCode(200)
                .body(containsString("<statusCode>UNDELETE_FAILED</statusCode>"));
        org.rest().delete(V + "/sobjects/Account/" + live).then().statusCode(204);
        org.control().post("/_sim/orgs/contoso/seller/undelete/" + live).then().statusCode(204);
        assertEquals(false, org.get("Account", live).getBoolean("IsDeleted"));
        String opp = org.opportunity("Team gone", account);
        String member = org.create("OpportunityTeamMember", Map.of("OpportunityId", opp, "UserId", org.sellerId()));
        org.rest().delete(V + "/sobjects/OpportunityTeamMember/" + member).then().statusCode(204);
        soap("undelete", "<urn:ids>" + member + "</urn:ids>").statusCode(200)
                .body(containsString("UNDELETE_FAILED"));
        given().contentType("text/xml").body("<x/>").post("/services/Soap/u/62.0").then().statusCode(500)
                .body(containsString("INVALID_SESSION_ID"));
    }

    @Test
    @Covers(DataRule.MERGE_ACCOUNTS)
    void mergingAccountsRecyclesTheLoserAndMovesItsChildren() {
        String loser = org.account("Rules Incorporated");
        String contact = org.create("Contact", Map.of("LastName", "Moves", "AccountId", loser));
        String opp = org.opportunity("Moves too", loser);
        soap("merge", "<urn:request><urn:masterRecord><urn1:type>Account</urn1:type><urn1:Id>" + account
                + "</urn1:Id></urn:masterRecord><urn:recordToMergeIds>" + loser
                + "</urn:recordToMergeIds></urn:request>").statusCode(200)
                .body(containsString("<mergedRecordIds>" + loser + "</mergedRecordIds>"),
                        containsString("<updatedRelatedIds>" + contact + "</updatedRelatedIds>"));
        assertEquals(account, org.get("Contact", contact).getString("AccountId"));
        assertEquals(account, org.get("Opportunity", opp).getString("AccountId"));
        org.rest().get(V + "/sobjects/Account/" + loser).then().statusCode(404)
                .body("[0].errorCode", equalTo("ENTITY_IS_DELETED"));
        String another = org.account("Seller merges");
        org.control().body(Map.of("masterId", account, "mergeIds", List.of(another)))
                .post("/_sim/orgs/contoso/seller/merge").then().statusCode(200)
                .body("mergedRecordIds", contains(another));
    }

    @Test
    @Covers(DataRule.USER_READ_ONLY)
    void usersAreNotWritableThroughTheApi() {
        createFails("User", Map.of("LastName", "Nope", "Username", "n@x.sim", "Email", "n@x.example"),
                "INSUFFICIENT_ACCESS_OR_READONLY");
        org.rest().get(V + "/sobjects/User/" + org.integrationUserId()).then().statusCode(200)
                .body("Name", equalTo("Co-sell Integration"), "Id", matchesPattern("005.{15}"));
    }

    @Test
    @Covers(DataRule.VALIDATION_RULES)
    void anActiveValidationRuleRefusesTheSavesThatBreakItUntilItIsDeactivated() {
        Map<String, Object> rule = new HashMap<>(Map.of("object", "Opportunity", "field", "Amount", "condition",
                "lessThan", "value", "1000", "errorMessage", "Co-sell deals start at 1,000", "errorField", "Amount",
                "active", true));
        org.control().body(rule).put("/_sim/orgs/contoso/validation-rules/Minimum_deal").then().statusCode(200);
        createFails("Opportunity", opportunity("Amount", 500), "FIELD_CUSTOM_VALIDATION_EXCEPTION")
                .body("[0].message", equalTo("Co-sell deals start at 1,000"), "[0].fields", contains("Amount"));
        // an update is checked on the record as it would be saved
        String id = org.opportunity("Big enough", account);
        org.patch("/sobjects/Opportunity/" + id, Map.of("Amount", 2000)).then().statusCode(204);
        org.patch("/sobjects/Opportunity/" + id, Map.of("Amount", 10)).then().statusCode(400)
                .body("[0].errorCode", equalTo("FIELD_CUSTOM_VALIDATION_EXCEPTION"));
        // a rule without an amount does not fire; inactive rules are kept and not checked
        org.post("/sobjects/Opportunity", opportunity()).then().statusCode(201);
        rule.put("active", false);
        org.control().body(rule).put("/_sim/orgs/contoso/validation-rules/Minimum_deal").then().statusCode(200);
        org.post("/sobjects/Opportunity", opportunity("Amount", 500)).then().statusCode(201);
        org.control().get("/_sim/orgs/contoso/validation-rules").then().statusCode(200)
                .body("Minimum_deal.active", equalTo(false));
        org.control().body(Map.of("object", "Opportunity", "field", "Amount", "condition", "sometimes",
                "errorMessage", "x")).put("/_sim/orgs/contoso/validation-rules/Bad").then().statusCode(400);
        org.control().delete("/_sim/orgs/contoso/validation-rules/Minimum_deal").then().statusCode(204);
    }

    private static io.restassured.specification.RequestSpecification given() {
        return Org.instance();
    }

    private ValidatableResponse soap(String operation, String inner) {
        String envelope = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                + "xmlns:urn=\"urn:partner.soap.sforce.com\" xmlns:urn1=\"urn:sobject.partner.soap.sforce.com\">"
                + "<soapenv:Header><urn:SessionHeader><urn:sessionId>" + org.token + "</urn:sessionId>"
                + "</urn:SessionHeader></soapenv:Header><soapenv:Body><urn:" + operation + ">" + inner + "</urn:"
                + operation + "></soapenv:Body></soapenv:Envelope>";
        return Org.instance().contentType("text/xml; charset=UTF-8").header("SOAPAction", operation).body(envelope)
                .post("/services/Soap/u/62.0").then();
    }
}
