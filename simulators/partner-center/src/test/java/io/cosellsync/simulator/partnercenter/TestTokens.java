package io.cosellsync.simulator.partnercenter;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Map;

/** Delegated tokens obtained as an operator would: the device code flow, with the sign-in done for them. */
final class TestTokens {

    static final String REFERRALS_SCOPE = "https://api.partner.microsoft.com/.default offline_access";
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    private static final Map<String, String> CLIENT_IDS = Map.of(
            "contoso", "3f9e6c1a-0d4b-4e8f-a2c7-5b1d9e3f7a60",
            "fabrikam", "7b2d4f6a-8c0e-4a1b-9d3f-5e7a9c1b3d50");
    private static final Map<String, String> DOMAINS = Map.of(
            "contoso", "contoso.example",
            "fabrikam", "fabrikam-partners.example");

    private TestTokens() {
    }

    static String clientId(String tenant) {
        return CLIENT_IDS.get(tenant);
    }

    static String secret(String tenant) {
        return tenant + "-integration-secret";
    }

    static String user(String tenant, String localPart) {
        return localPart + "@" + DOMAINS.get(tenant);
    }

    /** An access token of the tenant's Referrals admin (the integration user). */
    static String admin(String tenant) {
        return delegated(tenant, user(tenant, "integration")).getString("access_token");
    }

    static JsonPath delegated(String tenant, String upn) {
        return delegated(tenant, upn, REFERRALS_SCOPE);
    }

    static JsonPath delegated(String tenant, String upn, String scope) {
        JsonPath device = given().formParam("client_id", clientId(tenant)).formParam("scope", scope)
                .post("/" + tenant + "/oauth2/v2.0/devicecode").then().statusCode(200).extract().jsonPath();
        given().contentType(ContentType.JSON).body(Map.of("user_code", device.getString("user_code"),
                "username", upn)).post("/_sim/devicelogin").then().statusCode(200);
        return given().formParam("grant_type", DEVICE_GRANT).formParam("client_id", clientId(tenant))
                .formParam("device_code", device.getString("device_code"))
                .post("/" + tenant + "/oauth2/v2.0/token").then().statusCode(200).extract().jsonPath();
    }
}
