package io.cosellsync.simulator.partnercenter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.cosellsync.simulator.partnercenter.referrals.ValidationRule;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One contract test per {@link ValidationRule}: the write is refused with the rule's code and the field named. */
@QuarkusTest
class ValidationRulesTest {

    private static final String REFERRALS = "/v1.0/engagements/referrals";

    @BeforeEach
    void empty() {
        given().post("/_sim/reset").then().statusCode(200);
    }

    private static RequestSpecification contoso() {
        return given().header("Authorization", "Bearer " + TestTokens.admin("contoso")).contentType(ContentType.JSON);
    }

    private static ValidatableResponse create(Map<String, Object> body) {
        return contoso().body(body).post(REFERRALS).then();
    }

    private static ValidatableResponse patch(String id, Object operations) {
        return contoso().body(operations).patch(REFERRALS + "/" + id).then();
    }

    private static String created() {
        return create(ReferralRequests.coSell("valid")).statusCode(201).extract().path("id");
    }

    private static void refused(ValidatableResponse response, ValidationRule rule, String mentions) {
        response.statusCode(400).body("code", equalTo(rule.code()), "message", containsString(mentions));
    }

    /** The valid request with one top-level property replaced (null removes it). */
    private static Map<String, Object> with(String key, Object value) {
        Map<String, Object> body = new HashMap<>(ReferralRequests.coSell("variant"));
        if (value == null) {
            body.remove(key);
        } else {
            body.put(key, value);
        }
        return body;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> nested(String key) {
        return new HashMap<>((Map<String, Object>) ReferralRequests.coSell("variant").get(key));
    }

    @Test
    @Covers(ValidationRule.MALFORMED_BODY)
    void aPropertyOfTheWrongJsonTypeIsRefused() {
        refused(create(with("customerProfile", "Fabrikam")), ValidationRule.MALFORMED_BODY, "'customerProfile'");
        refused(create(with("team", Map.of("email", "x@y.z"))), ValidationRule.MALFORMED_BODY, "'team'");
    }

    @Test
    @Covers(ValidationRule.REQUIRED_FIELD)
    void requiredFieldsAreNamed() {
        for (String field : List.of("name", "type", "customerProfile", "consent", "details")) {
            refused(create(with(field, null)), ValidationRule.REQUIRED_FIELD, "'" + field + "'");
        }
    }

    @Test
    @Covers(ValidationRule.ENUM_VALUE)
    void enumValuesMustBeDocumentedOnes() {
        refused(create(with("type", "Private")), ValidationRule.ENUM_VALUE, "'type'");
        refused(create(with("qualification", "Hot")), ValidationRule.ENUM_VALUE, "'qualification'");
        refused(patch(created(), List.of(Map.of("op", "replace", "path", "/substatus", "value", "Sleeping"))),
                ValidationRule.ENUM_VALUE, "'substatus'");
    }

    @Test
    @Covers(ValidationRule.COUNTRY_CODE)
    void theCustomerCountryIsATwoLetterIsoCode() {
        for (String country : List.of("USA", "United States", "XX")) {
            Map<String, Object> customer = nested("customerProfile");
            customer.put("address", Map.of("addressLine1", "1 Main St", "city", "Seattle", "country", country));
            refused(create(with("customerProfile", customer)), ValidationRule.COUNTRY_CODE,
                    "'customerProfile.address.country'");
        }
        Map<String, Object> noCountry = nested("customerProfile");
        noCountry.put("address", Map.of("city", "Seattle"));
        refused(create(with("customerProfile", noCountry)), ValidationRule.COUNTRY_CODE, "ISO 3166");
    }

    @Test
    @Covers(ValidationRule.CURRENCY_CODE)
    void theCurrencyIsAnIso4217Code() {
        Map<String, Object> details = nested("details");
        details.put("currency", "DOLLARS");
        refused(create(with("details", details)), ValidationRule.CURRENCY_CODE, "'details.currency'");
        refused(patch(created(), List.of(Map.of("op", "replace", "path", "/details/currency", "value", "usd"))),
                ValidationRule.CURRENCY_CODE, "usd");
    }

    @Test
    @Covers(ValidationRule.DEAL_VALUE)
    void theDealValueIsANonNegativeNumber() {
        Map<String, Object> details = nested("details");
        details.put("dealValue", -1);
        refused(create(with("details", details)), ValidationRule.DEAL_VALUE, "'details.dealValue'");
        refused(patch(created(), List.of(Map.of("op", "replace", "path", "/details/dealValue", "value", "lots"))),
                ValidationRule.DEAL_VALUE, "'details.dealValue'");
    }

    @Test
    @Covers(ValidationRule.STATUS_PAIR)
    void substatusMustBelongToStatus() {
        refused(patch(created(), List.of(Map.of("op", "replace", "path", "/substatus", "value", "Won"))),
                ValidationRule.STATUS_PAIR, "'substatus' Won does not go with status Active");
        refused(patch(created(), List.of(Map.of("op", "replace", "path", "/status", "value", "None"),
                Map.of("op", "replace", "path", "/substatus", "value", "None"))),
                ValidationRule.STATUS_PAIR, "'status' None");
    }

    @Test
    @Covers(ValidationRule.STATUS_TRANSITION)
    void onlyDocumentedMovesAreAllowed() {
        String id = created();
        refused(patch(id, List.of(Map.of("op", "replace", "path", "/status", "value", "New"),
                Map.of("op", "replace", "path", "/substatus", "value", "Pending"))),
                ValidationRule.STATUS_TRANSITION, "from Active to New");
        refused(patch(id, List.of(Map.of("op", "replace", "path", "/status", "value", "Closed"),
                Map.of("op", "replace", "path", "/substatus", "value", "Expired"))),
                ValidationRule.STATUS_TRANSITION, "Expired");
        refused(patch(id, List.of(Map.of("op", "replace", "path", "/status", "value", "Closed"),
                Map.of("op", "replace", "path", "/substatus", "value", "Declined"))),
                ValidationRule.STATUS_TRANSITION, "declined");
    }

    @Test
    @Covers(ValidationRule.CLOSED_IS_FINAL)
    void aClosedReferralCannotBeChangedAtAll() {
        String id = created();
        patch(id, List.of(Map.of("op", "replace", "path", "/status", "value", "Closed"),
                Map.of("op", "replace", "path", "/substatus", "value", "Lost"))).statusCode(204);
        refused(patch(id, List.of(Map.of("op", "replace", "path", "/name", "value", "renamed"))),
                ValidationRule.CLOSED_IS_FINAL, "closed");
    }

    @Test
    @Covers(ValidationRule.CO_SELL_NEEDS_CONTACT)
    void aCoSellReferralNeedsACustomerContact() {
        Map<String, Object> customer = nested("customerProfile");
        customer.remove("team");
        refused(create(with("customerProfile", customer)), ValidationRule.CO_SELL_NEEDS_CONTACT,
                "'customerProfile.team'");
        Map<String, Object> independent = with("customerProfile", customer);
        independent.put("type", "Independent");
        create(independent).statusCode(201);
    }

    @Test
    @Covers(ValidationRule.CO_SELL_NEEDS_SOLUTION)
    void aCoSellReferralNeedsASolution() {
        Map<String, Object> details = nested("details");
        details.put("requirements", Map.of("solutions", List.of()));
        refused(create(with("details", details)), ValidationRule.CO_SELL_NEEDS_SOLUTION,
                "'details.requirements.solutions'");
    }

    @Test
    @Covers(ValidationRule.VISIBILITY_NOT_WITHDRAWN)
    void visibilityToMicrosoftCannotBeWithdrawn() {
        refused(patch(created(), List.of(Map.of("op", "replace",
                "path", "/consent/consentToShareReferralWithMicrosoftSellers", "value", false))),
                ValidationRule.VISIBILITY_NOT_WITHDRAWN, "'consent.consentToShareReferralWithMicrosoftSellers'");
    }

    @Test
    @Covers(ValidationRule.MARKETPLACE_INTENT)
    void marketplaceIntentTakesTheDocumentedValues() {
        Map<String, Object> details = nested("details");
        details.put("requirements", Map.of(
                "solutions", List.of(Map.of("type", "Name", "id", "SOL-15974-MQF")),
                "additionalRequirements", Map.of("attributes",
                        List.of(Map.of("type", "CustomerMarketplaceIntent", "id", "Maybe")))));
        refused(create(with("details", details)), ValidationRule.MARKETPLACE_INTENT, "Maybe");
        details.put("requirements", Map.of(
                "solutions", List.of(Map.of("type", "Name", "id", "SOL-15974-MQF")),
                "additionalRequirements", Map.of("attributes",
                        List.of(Map.of("type", "CustomerMarketplaceIntent", "id", "HaveNotDecided")))));
        create(with("details", details)).statusCode(201)
                .body("details.requirements.additionalRequirements.attributes[0].id", equalTo("HaveNotDecided"));
    }

    @Test
    @Covers(ValidationRule.READ_ONLY_FIELD)
    void serverOwnedPropertiesCannotBePatched() {
        for (String path : List.of("/id", "/organizationId", "/createdDateTime", "/links/self/uri",
                "/trackingInfo/microsoftMsxId")) {
            refused(patch(created(), List.of(Map.of("op", "replace", "path", path, "value", "x"))),
                    ValidationRule.READ_ONLY_FIELD, "read-only");
        }
    }

    @Test
    @Covers(ValidationRule.PATCH_OPERATION)
    void onlyAddAndReplaceArePatchOperations() {
        refused(patch(created(), List.of(Map.of("op", "remove", "path", "/details/notes"))),
                ValidationRule.PATCH_OPERATION, "'remove'");
    }
}
