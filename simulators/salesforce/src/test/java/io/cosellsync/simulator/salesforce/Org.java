package io.cosellsync.simulator.salesforce;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/** A seeded org as a test client sees it: a session from the client-credentials flow and REST calls on its host. */
final class Org {

    static final String V = "/services/data/v62.0";

    final String tenant;
    final String token;
    final JsonPath credentials;

    private Org(String tenant, String token, JsonPath credentials) {
        this.tenant = tenant;
        this.token = token;
        this.credentials = credentials;
    }

    /** Resets the whole simulator and signs in to the tenant's org. */
    static Org fresh(String tenant) {
        given().post("/_sim/reset").then().statusCode(200);
        return signIn(tenant);
    }

    static Org signIn(String tenant) {
        JsonPath orgs = given().get("/_sim/orgs").then().statusCode(200).extract().jsonPath();
        JsonPath org = new JsonPath(orgs.prettify()).setRootPath("find { it.tenant == '" + tenant + "' }");
        String token = instance().formParam("grant_type", "client_credentials")
                .formParam("client_id", org.getString("consumerKey"))
                .formParam("client_secret", org.getString("consumerSecret"))
                .post("/services/oauth2/token").then().statusCode(200).extract().path("access_token");
        return new Org(tenant, token, org);
    }

    static RequestSpecification instance() {
        return given().baseUri("http://localhost").port(RestAssured.port);
    }

    RequestSpecification rest() {
        return instance().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .header("Sforce-Call-Options", "client=cosell-sync-test");
    }

    String sellerId() {
        return credentials.getString("seller.id");
    }

    String integrationUserId() {
        return credentials.getString("integrationUser.id");
    }

    /** Creates a record through REST and returns its id. */
    String create(String object, Map<String, ?> fields) {
        return rest().body(fields).post(V + "/sobjects/" + object).then().statusCode(201).extract().path("id");
    }

    Response post(String path, Object body) {
        return rest().body(body).post(V + path);
    }

    Response patch(String path, Object body) {
        return rest().body(body).patch(V + path);
    }

    JsonPath get(String object, String id) {
        return rest().get(V + "/sobjects/" + object + "/" + id).then().statusCode(200).extract().jsonPath();
    }

    String account(String name) {
        return create("Account", Map.of("Name", name, "BillingCountry", "US"));
    }

    String opportunity(String name, String accountId) {
        return create("Opportunity", Map.of("Name", name, "StageName", "Prospecting", "CloseDate", "2026-12-31",
                "AccountId", accountId, "Amount", 50000));
    }

    RequestSpecification control() {
        return given().contentType(ContentType.JSON);
    }

    void faults(Map<String, ?> settings) {
        control().body(settings).put("/_sim/orgs/" + tenant + "/faults").then().statusCode(200);
    }
}
