package io.cosellsync.simulator.partnercenter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Referrals API as a client of the real service sees it. */
@QuarkusTest
class ReferralsApiTest {

    private static final String REFERRALS = "/v1.0/engagements/referrals";
    private static final String SEVEN_DIGIT_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{7}Z";

    @BeforeEach
    void empty() {
        given().post("/_sim/reset").then().statusCode(200);
    }

    private static RequestSpecification as(String tenant) {
        return given().header("Authorization", "Bearer " + TestTokens.admin(tenant)).contentType(ContentType.JSON);
    }

    private static Response create(String tenant, Object body) {
        return as(tenant).body(body).post(REFERRALS);
    }

    private static String createId(String name) {
        return create("contoso", ReferralRequests.coSell(name)).then().statusCode(201).extract().path("id");
    }

    private static String eTag(String id) {
        return as("contoso").get(REFERRALS + "/" + id).then().statusCode(200).extract().path("eTag");
    }

    @Test
    void aCreatedReferralHasTheServiceOwnedFieldsAndStartsAccepted() {
        create("contoso", ReferralRequests.coSell("Fabrikam – data platform"))
                .then().statusCode(201)
                .header("Location", containsString(REFERRALS + "/"))
                .header("ETag", startsWith("\""))
                .body("id", notNullValue(), "engagementId", notNullValue(),
                        "name", equalTo("Fabrikam – data platform"),
                        "status", equalTo("Active"), "substatus", equalTo("Accepted"), "direction", equalTo("Outgoing"),
                        "organizationName", equalTo("Contoso"), "mpnId", equalTo("6115379"),
                        "eTag", allOf(startsWith("\""), endsWith("\"")),
                        "createdDateTime", matchesPattern(SEVEN_DIGIT_UTC),
                        "acceptedDateTime", matchesPattern(SEVEN_DIGIT_UTC),
                        "details.closingDateTime", equalTo("2026-03-31T00:00:00.0000000Z"),
                        "details.dealValue", equalTo(120000),
                        "closedDateTime", nullValue(),
                        "registrationStatus", equalTo("None"), "quality", equalTo("Unknown"),
                        "links.self.method", equalTo("GET"),
                        "'@odata.context'", endsWith("/v1.0/$metadata#Referrals/$entity"));
    }

    @Test
    void everyResponseHasTheReferenceKeySetWithNullsPresent() throws Exception {
        String id = createId("shape");
        String body = as("contoso").get(REFERRALS + "/" + id).then().statusCode(200).extract().asString();
        ObjectMapper json = new ObjectMapper();
        JsonNode reference;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("reference-referral-shape.json")) {
            reference = json.readTree(in);
        }
        TreeSet<String> expected = keyPaths(reference, "");
        // documented beyond the 2022 example: the create sample's marketplace-intent attributes
        expected.add("details.requirements.additionalRequirements.attributes");
        // and the current resource's top-level marketplace intent (partner-center-api.md, the referral's fields)
        expected.add("customerMarketplaceIntent");
        assertEquals(expected, keyPaths(json.readTree(body), ""));
    }

    @Test
    void inputIsCaseInsensitiveAndOutputCanonical() {
        Map<String, Object> body = new HashMap<>(ReferralRequests.coSell("casing"));
        body.remove("type");
        body.put("Type", "shared");
        body.remove("consent");
        body.put("Consent", Map.of("ConsentToToShareInfoWithOthers", true, "CONSENTTOCONTACT", false,
                "consentToShareReferralWithMicrosoftSellers", true));
        create("contoso", body).then().statusCode(201)
                .body("type", equalTo("Shared"),
                        "consent.consentToToShareInfoWithOthers", equalTo(true),
                        "consent.consentToContact", equalTo(false));
    }

    @Test
    void correlationHeadersAreEchoedAndARequestIdIsAlwaysSent() {
        as("contoso").header("client-request-id", "2f0c8a1e-7d7b-4a54-9d8b-3a0f7a1d2c11")
                .header("MS-CorrelationId", "c0ffee00-0000-4000-8000-000000000001")
                .get(REFERRALS)
                .then().statusCode(200)
                .header("client-request-id", "2f0c8a1e-7d7b-4a54-9d8b-3a0f7a1d2c11")
                .header("MS-CorrelationId", "c0ffee00-0000-4000-8000-000000000001")
                .header("request-id", notNullValue());
    }

    @Test
    void missingFieldsTokensAndUnknownReferralsAreRefused() {
        Map<String, Object> noDetails = new HashMap<>(ReferralRequests.coSell("x"));
        noDetails.remove("details");
        create("contoso", noDetails).then().statusCode(400)
                .body("code", equalTo("RequiredFieldMissing"), "message", containsString("'details'"));
        given().contentType(ContentType.JSON).body(ReferralRequests.coSell("x")).post(REFERRALS)
                .then().statusCode(401);
        given().header("Authorization", "Bearer contoso").get(REFERRALS).then().statusCode(401);
        as("contoso").get(REFERRALS + "/does-not-exist").then().statusCode(404);
    }

    @Test
    void tenantsDoNotSeeEachOthersReferrals() {
        String id = createId("contoso only");
        as("fabrikam").get(REFERRALS + "/" + id).then().statusCode(404);
        as("fabrikam").get(REFERRALS).then().statusCode(200).body("value", hasSize(0));
    }

    @Test
    void patchReturns204OrTheRepresentationAndBumpsTheETag() {
        String id = createId("patch");
        String before = eTag(id);
        as("contoso").body(List.of(Map.of("op", "replace", "path", "/details/dealValue", "value", "10000")))
                .patch(REFERRALS + "/" + id)
                .then().statusCode(204).header("ETag", notNullValue());
        String after = eTag(id);
        assertEquals(false, before.equals(after));

        as("contoso").header("Prefer", "return=representation")
                .body(List.of(Map.of("op", "replace", "path", "/details/notes", "value", "more"),
                        Map.of("op", "add", "path", "/team/-", "value", Map.of("email", "jane.doe@contoso.com",
                                "firstName", "Jane", "lastName", "Doe", "phoneNumber", "0000000001"))))
                .patch(REFERRALS + "/" + id)
                .then().statusCode(200)
                .body("details.dealValue", equalTo(10000), "details.notes", equalTo("more"), "team", hasSize(2),
                        "team[1].contactPreference.locale", nullValue(), "updatedDateTime",
                        matchesPattern(SEVEN_DIGIT_UTC));
    }

    @Test
    void onlyAddAndReplaceAreSupportedAndServerFieldsAreReadOnly() {
        String id = createId("ops");
        for (String op : List.of("remove", "move", "copy", "test")) {
            as("contoso").body(List.of(Map.of("op", op, "path", "/details/notes", "from", "/name", "value", "x")))
                    .patch(REFERRALS + "/" + id).then().statusCode(400).body("message", containsString(op));
        }
        as("contoso").body(List.of(Map.of("op", "replace", "path", "/eTag", "value", "\"mine\"")))
                .patch(REFERRALS + "/" + id).then().statusCode(400).body("message", containsString("read-only"));
    }

    @Test
    void ifMatchIsComparedLiterallyWithOptionalQuotesAndStar() {
        String id = createId("if-match");
        String eTag = eTag(id);
        List<Map<String, Object>> patch = List.of(Map.of("op", "replace", "path", "/details/notes", "value", "n"));
        as("contoso").header("If-Match", "\"stale\"").body(patch).patch(REFERRALS + "/" + id)
                .then().statusCode(412);
        as("contoso").header("If-Match", eTag.substring(1, eTag.length() - 1)).body(patch)
                .patch(REFERRALS + "/" + id).then().statusCode(204);
        as("contoso").header("If-Match", "*").body(patch).patch(REFERRALS + "/" + id).then().statusCode(204);
    }

    @Test
    void ofConcurrentWritersHoldingTheSameETagExactlyOneWins() throws Exception {
        String id = createId("race");
        String eTag = eTag(id);
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        String token = TestTokens.admin("contoso");
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            int n = i;
            Callable<Integer> write = () -> {
                start.await();
                return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                        .header("If-Match", eTag)
                        .body(List.of(Map.of("op", "replace", "path", "/details/notes", "value", "writer " + n)))
                        .patch(REFERRALS + "/" + id).statusCode();
            };
            results.add(pool.submit(write));
        }
        start.countDown();
        List<Integer> codes = new ArrayList<>();
        for (Future<Integer> f : results) {
            codes.add(f.get());
        }
        pool.shutdown();
        assertEquals(1, codes.stream().filter(c -> c == 204).count(), codes.toString());
        assertEquals(writers - 1, codes.stream().filter(c -> c == 412).count(), codes.toString());
    }

    @Test
    void putNeedsIfMatchAndKeepsServerFields() {
        String id = createId("put");
        Map<String, Object> whole = as("contoso").get(REFERRALS + "/" + id).then().extract().jsonPath().getMap("");
        whole.put("name", "renamed");
        whole.put("id", "forged");
        as("contoso").body(whole).put(REFERRALS + "/" + id).then().statusCode(400)
                .body("message", containsString("If-Match"));
        as("contoso").header("If-Match", whole.get("eTag")).body(whole).put(REFERRALS + "/" + id)
                .then().statusCode(200).body("name", equalTo("renamed"), "id", equalTo(id));
    }

    @Test
    void thereIsNoDelete() {
        String id = createId("delete");
        as("contoso").delete(REFERRALS + "/" + id).then().statusCode(405);
    }

    @Test
    void aClosedReferralIsFinalAndPairsMustMatch() {
        String id = createId("close");
        as("contoso").body(List.of(Map.of("op", "replace", "path", "/status", "value", "Closed")))
                .patch(REFERRALS + "/" + id).then().statusCode(400).body("message", containsString("substatus"));
        as("contoso").header("Prefer", "return=representation")
                .body(List.of(Map.of("op", "replace", "path", "/status", "value", "Closed"),
                        Map.of("op", "replace", "path", "/substatus", "value", "Won")))
                .patch(REFERRALS + "/" + id).then().statusCode(200)
                .body("closedDateTime", matchesPattern(SEVEN_DIGIT_UTC));
        as("contoso").body(List.of(Map.of("op", "replace", "path", "/details/notes", "value", "late")))
                .patch(REFERRALS + "/" + id).then().statusCode(400).body("message", containsString("closed"));
    }

    @Test
    void filtersAndPagesOverAThousandReferralsWithAnAbsoluteNextLinkThatKeepsTheQuery() {
        given().post("/_sim/tenants/contoso/seed?count=1000").then().statusCode(200);
        String filter = "customerProfile/address/country eq 'US' and type eq 'Shared'";
        Response first = as("contoso").queryParam("$filter", filter).queryParam("$orderby", "createdDateTime desc")
                .get(REFERRALS);
        // seeded i = 0..999: US when i % 3 == 0, Shared when i % 2 == 0, so i % 6 == 0
        first.then().statusCode(200).body("value", hasSize(100), "'@odata.count'", equalTo(167),
                "'@odata.context'", endsWith("/v1.0/$metadata#Referrals"),
                "'@odata.nextLink'", allOf(startsWith("http"), containsString("/v1.0/engagements/referrals?"),
                        containsString("$skiptoken="), containsString("filter")));
        List<String> seen = new ArrayList<>(first.jsonPath().getList("value.id"));
        String next = first.jsonPath().getString("'@odata.nextLink'");
        while (next != null) {
            Response page = as("contoso").urlEncodingEnabled(false).get(next);
            page.then().statusCode(200).body("value.customerProfile.address.country", everyItem(equalTo("US")));
            seen.addAll(page.jsonPath().getList("value.id"));
            next = page.jsonPath().getString("'@odata.nextLink'");
        }
        assertEquals(167, seen.size());
        assertEquals(167, new TreeSet<>(seen).size());

        as("contoso").queryParam("$top", 5).queryParam("$select", "id,status").get(REFERRALS)
                .then().body("value", hasSize(5), "'@odata.count'", equalTo(5),
                        "value[0].keySet()", containsInAnyOrder("id", "status"));
        as("contoso").queryParam("$orderby", "name").get(REFERRALS).then().statusCode(400)
                .body("message", containsString("$orderby"));
        as("contoso").queryParam("$filter", "name eq 'x'").get(REFERRALS).then().statusCode(400)
                .body("message", containsString("'name'"));
        as("contoso").queryParam("$select", "id,nonsense").get(REFERRALS).then().statusCode(400)
                .body("message", containsString("nonsense"));
        as("contoso").queryParam("$skip", 10).get(REFERRALS).then().statusCode(400)
                .body("message", containsString("'$skip'"));
        as("contoso").queryParam("$count", true).queryParam("$top", 1).get(REFERRALS).then().statusCode(200);
    }

    @Test
    void sharingWithMicrosoftIsTheTwoStepCreateAndRelatedReferralsAreListedByEngagement() {
        Response ours = create("contoso", ReferralRequests.coSell("two-step"));
        String engagementId = ours.then().statusCode(201).extract().path("engagementId");
        Map<String, Object> forMicrosoft = new HashMap<>(ReferralRequests.coSell("two-step"));
        forMicrosoft.put("engagementId", engagementId);
        forMicrosoft.put("target", List.of(Map.of("type", "BusinessProfileLocation", "id", "msft")));
        String msftId = create("contoso", forMicrosoft).then().statusCode(201)
                .body("organizationId", equalTo("msft"), "direction", equalTo("Incoming"), "status", equalTo("New"),
                        "substatus", equalTo("Pending"), "engagementId", equalTo(engagementId))
                .extract().path("id");

        String related = ours.jsonPath().getString("links.relatedReferrals.uri");
        as("contoso").urlEncodingEnabled(false).get(related.replace(" ", "%20"))
                .then().statusCode(200).body("value", hasSize(2));
        as("contoso").queryParam("$filter", "engagementId eq '" + engagementId + "'").get(REFERRALS)
                .then().body("value.id", hasItem(msftId));

        as("contoso").body(List.of(Map.of("op", "replace", "path", "/details/notes", "value", "mine now")))
                .patch(REFERRALS + "/" + msftId).then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("action", "accept", "microsoftMsxId", "7-ABC123"))
                .post("/_sim/tenants/contoso/referrals/" + msftId + "/microsoft").then().statusCode(200);
        as("contoso").get(REFERRALS + "/" + msftId).then()
                .body("status", equalTo("Active"), "trackingInfo.microsoftMsxId", equalTo("7-ABC123"));

        forMicrosoft.put("engagementId", "00000000-0000-0000-0000-000000000000");
        create("contoso", forMicrosoft).then().statusCode(400).body("message", containsString("engagementId"));
    }

    @Test
    void aReferralSharedByMicrosoftArrivesPendingCanBeAcceptedAndOtherwiseExpiresAfter14Days() {
        String accepted = given().contentType(ContentType.JSON).body(ReferralRequests.coSell("from msft 1"))
                .post("/_sim/tenants/contoso/shared-referrals").then().statusCode(200)
                .body("direction", equalTo("Incoming"), "status", equalTo("New"), "substatus", equalTo("Pending"),
                        "inviteContext.invitedBy.organizationId", equalTo("msft"),
                        "expirationDateTime", matchesPattern(SEVEN_DIGIT_UTC), "acceptedDateTime", nullValue())
                .extract().path("id");
        String ignored = given().contentType(ContentType.JSON).body(ReferralRequests.coSell("from msft 2"))
                .post("/_sim/tenants/contoso/shared-referrals").then().extract().path("id");

        as("contoso").header("Prefer", "return=representation")
                .body(List.of(Map.of("op", "replace", "path", "/status", "value", "Active"),
                        Map.of("op", "replace", "path", "/substatus", "value", "Accepted")))
                .patch(REFERRALS + "/" + accepted).then().statusCode(200)
                .body("acceptedDateTime", matchesPattern(SEVEN_DIGIT_UTC));

        given().post("/_sim/clock/advance?seconds=" + (15 * 24 * 3600)).then().statusCode(200)
                .body("expired", equalTo(1));
        as("contoso").get(REFERRALS + "/" + ignored).then()
                .body("status", equalTo("Closed"), "substatus", equalTo("Expired"));
        as("contoso").get(REFERRALS + "/" + accepted).then().body("status", equalTo("Active"));

        // one shared later expires 14 days after its own sharing, not at the earlier sweep's time
        String later = given().contentType(ContentType.JSON).body(ReferralRequests.coSell("from msft 3"))
                .post("/_sim/tenants/contoso/shared-referrals").then().extract().path("id");
        given().post("/_sim/clock/advance?seconds=" + (13 * 24 * 3600)).then().statusCode(200)
                .body("expired", equalTo(0));
        as("contoso").get(REFERRALS + "/" + later).then().body("status", equalTo("New"));
        given().post("/_sim/clock/advance?seconds=" + (2 * 24 * 3600)).then().statusCode(200);
        as("contoso").get(REFERRALS + "/" + later).then()
                .body("status", equalTo("Closed"), "substatus", equalTo("Expired"));
    }

    @Test
    void aNewReferralCanBeDeclinedButNotWon() {
        String id = given().contentType(ContentType.JSON).body(ReferralRequests.coSell("decline me"))
                .post("/_sim/tenants/contoso/shared-referrals").then().extract().path("id");
        as("contoso").body(List.of(Map.of("op", "replace", "path", "/status", "value", "Closed"),
                Map.of("op", "replace", "path", "/substatus", "value", "Won")))
                .patch(REFERRALS + "/" + id).then().statusCode(400).body("message", containsString("Active"));
        as("contoso").body(List.of(Map.of("op", "replace", "path", "/status", "value", "Closed"),
                Map.of("op", "replace", "path", "/substatus", "value", "Declined"),
                Map.of("op", "replace", "path", "/statusReason", "value", "Not a fit")))
                .patch(REFERRALS + "/" + id).then().statusCode(204);
    }

    @Test
    void microsoftUpdatesDeclinesAndClosesItsSideAndTheStateCanBeInspected() {
        String shared = given().contentType(ContentType.JSON).body(ReferralRequests.coSell("msft updates"))
                .post("/_sim/tenants/fabrikam/shared-referrals").then().extract().path("id");
        given().contentType(ContentType.JSON).body(Map.of("dealValue", 250000, "notes", "bigger",
                "microsoftMsxId", "7-XYZ")).post("/_sim/tenants/fabrikam/referrals/" + shared + "/microsoft")
                .then().statusCode(200).body("details.dealValue", equalTo(250000), "status", equalTo("New"));
        as("fabrikam").get(REFERRALS + "/" + shared).then()
                .body("details.notes", equalTo("bigger"), "trackingInfo.microsoftMsxId", equalTo("7-XYZ"));

        for (String action : List.of("decline", "won", "lost")) {
            String id = given().contentType(ContentType.JSON).body(ReferralRequests.coSell(action))
                    .post("/_sim/tenants/fabrikam/shared-referrals").then().extract().path("id");
            given().contentType(ContentType.JSON).body(Map.of("action", action, "statusReason", "because"))
                    .post("/_sim/tenants/fabrikam/referrals/" + id + "/microsoft")
                    .then().statusCode(200).body("status", equalTo("Closed"),
                            "closedDateTime", matchesPattern(SEVEN_DIGIT_UTC));
        }
        given().contentType(ContentType.JSON).body(Map.of("action", "explode"))
                .post("/_sim/tenants/fabrikam/referrals/" + shared + "/microsoft").then().statusCode(400);
        given().get("/_sim/tenants/fabrikam/referrals").then().statusCode(200).body("size()", equalTo(4));
        given().get("/_sim/tenants/nowhere/referrals").then().statusCode(404);
    }

    @Test
    void callsAreCountedByOperationAndStatus() {
        createId("counted");
        as("contoso").get(REFERRALS + "/missing").then().statusCode(404);
        given().get("/_sim/counters").then().statusCode(200)
                .body("'POST ReferralsResource.create 201'", equalTo(1),
                        "'GET ReferralsResource.get 404'", equalTo(1));
    }

    private static TreeSet<String> keyPaths(JsonNode node, String prefix) {
        TreeSet<String> paths = new TreeSet<>();
        if (node.isObject()) {
            node.properties().forEach(e -> {
                String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
                paths.add(path);
                paths.addAll(keyPaths(e.getValue(), path));
            });
        } else if (node.isArray()) {
            node.forEach(element -> paths.addAll(keyPaths(element, prefix + "[]")));
        }
        return paths;
    }
}
