package io.cosellsync.simulator.partnercenter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delegated (App+User) auth as production forces it: every grant and its failures, roles, audiences, revocation. */
@QuarkusTest
class AuthTest {

    private static final String REFERRALS = "/v1.0/engagements/referrals";
    private static final String PARTNER_CENTER_SCOPE = "https://api.partnercenter.microsoft.com/.default";

    @BeforeEach
    void empty() {
        given().post("/_sim/reset").then().statusCode(200);
    }

    private static int referralsStatus(String token) {
        return given().header("Authorization", "Bearer " + token).get(REFERRALS).statusCode();
    }

    private static Response token(String tenant, Map<String, String> form) {
        var request = given();
        form.forEach(request::formParam);
        return request.post("/" + tenant + "/oauth2/v2.0/token");
    }

    @Test
    void theDeviceCodeFlowIsPendingUntilTheUserSignsInThenYieldsTokensOnce() {
        JsonPath device = given().formParam("client_id", TestTokens.clientId("contoso"))
                .formParam("scope", TestTokens.REFERRALS_SCOPE).post("/contoso/oauth2/v2.0/devicecode")
                .then().statusCode(200).body("verification_uri", containsString("devicelogin"),
                        "interval", equalTo(5), "message", containsString("enter the code"))
                .extract().jsonPath();
        Map<String, String> poll = Map.of("grant_type", TestTokens.DEVICE_GRANT,
                "client_id", TestTokens.clientId("contoso"), "device_code", device.getString("device_code"));
        token("contoso", poll).then().statusCode(400).body("error", equalTo("authorization_pending"),
                "error_codes", hasItem(70016));

        given().contentType(ContentType.JSON).body(Map.of("user_code", device.getString("user_code"),
                "username", TestTokens.user("contoso", "integration"))).post("/_sim/devicelogin")
                .then().statusCode(200);
        String access = token("contoso", poll).then().statusCode(200)
                .body("token_type", equalTo("Bearer"), "expires_in", equalTo(3600),
                        "refresh_token", notNullValue())
                .extract().path("access_token");
        assertEquals(200, referralsStatus(access));
        token("contoso", poll).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void anUnusedDeviceCodeExpires() {
        JsonPath device = given().formParam("client_id", TestTokens.clientId("contoso"))
                .formParam("scope", TestTokens.REFERRALS_SCOPE).post("/contoso/oauth2/v2.0/devicecode")
                .then().extract().jsonPath();
        given().post("/_sim/clock/advance?seconds=1000").then().statusCode(200);
        token("contoso", Map.of("grant_type", TestTokens.DEVICE_GRANT, "client_id", TestTokens.clientId("contoso"),
                "device_code", device.getString("device_code")))
                .then().statusCode(400).body("error", equalTo("expired_token"));
    }

    @Test
    void theAuthorizationCodeFlowRedirectsWithACodeThatTheConfidentialClientRedeemsOnce() {
        String redirect = "http://localhost:8400/callback";
        String location = given().redirects().follow(false)
                .queryParam("client_id", TestTokens.clientId("fabrikam")).queryParam("response_type", "code")
                .queryParam("redirect_uri", redirect).queryParam("scope", TestTokens.REFERRALS_SCOPE)
                .queryParam("state", "xyz").queryParam("login_hint", TestTokens.user("fabrikam", "integration"))
                .get("/fabrikam/oauth2/v2.0/authorize").then().statusCode(302).extract().header("Location");
        assertEquals(true, location.startsWith(redirect + "?code="), location);
        assertEquals(true, location.endsWith("&state=xyz"), location);
        String code = URI.create(location).getQuery().split("&")[0].substring("code=".length());

        Map<String, String> wrongSecret = Map.of("grant_type", "authorization_code",
                "client_id", TestTokens.clientId("fabrikam"), "client_secret", "guess", "code", code,
                "redirect_uri", redirect);
        token("fabrikam", wrongSecret).then().statusCode(401).body("error", equalTo("invalid_client"));
        Map<String, String> redeem = Map.of("grant_type", "authorization_code",
                "client_id", TestTokens.clientId("fabrikam"), "client_secret", TestTokens.secret("fabrikam"),
                "code", code, "redirect_uri", redirect);
        String access = token("fabrikam", redeem).then().statusCode(200).extract().path("access_token");
        assertEquals(200, referralsStatus(access));
        token("fabrikam", redeem).then().statusCode(400).body("error", equalTo("invalid_grant"));

        given().redirects().follow(false).queryParam("client_id", TestTokens.clientId("fabrikam"))
                .queryParam("response_type", "code").queryParam("redirect_uri", "https://evil.example/cb")
                .queryParam("scope", TestTokens.REFERRALS_SCOPE).queryParam("login_hint", "x")
                .get("/fabrikam/oauth2/v2.0/authorize").then().statusCode(400)
                .body("error_description", containsString("AADSTS50011"));
    }

    @Test
    void refreshTokensRotateAndAUsedOneDiesAfterTheGracePeriod() {
        JsonPath first = TestTokens.delegated("contoso", TestTokens.user("contoso", "integration"));
        Map<String, String> refreshWithFirst = Map.of("grant_type", "refresh_token",
                "client_id", TestTokens.clientId("contoso"), "refresh_token", first.getString("refresh_token"),
                "scope", TestTokens.REFERRALS_SCOPE);
        String second = token("contoso", refreshWithFirst).then().statusCode(200).extract().path("refresh_token");
        assertNotEquals(first.getString("refresh_token"), second);
        // within the grace period the old one still works (a client that crashed before saving the new one)
        token("contoso", refreshWithFirst).then().statusCode(200);

        given().post("/_sim/clock/advance?seconds=31").then().statusCode(200);
        token("contoso", refreshWithFirst).then().statusCode(400).body("error", equalTo("invalid_grant"));
        String access = token("contoso", Map.of("grant_type", "refresh_token",
                "client_id", TestTokens.clientId("contoso"), "refresh_token", second,
                "scope", TestTokens.REFERRALS_SCOPE)).then().statusCode(200).extract().path("access_token");
        assertEquals(200, referralsStatus(access));
    }

    @Test
    void withoutMultiFactorAuthenticationAppPlusUserCallsAre401With900421AndARefreshDoesNotHelp() {
        JsonPath legacy = TestTokens.delegated("contoso", TestTokens.user("contoso", "legacy-integration"));
        given().header("Authorization", "Bearer " + legacy.getString("access_token")).get(REFERRALS).then()
                .statusCode(401).body("code", equalTo("900421"), "message", containsString("amr"));
        // refreshing keeps the sign-in's authentication methods: still no MFA
        String refreshed = token("contoso", Map.of("grant_type", "refresh_token",
                "client_id", TestTokens.clientId("contoso"), "refresh_token", legacy.getString("refresh_token"),
                "scope", TestTokens.REFERRALS_SCOPE)).then().statusCode(200).extract().path("access_token");
        assertEquals(401, referralsStatus(refreshed));
        // an enrolled user's sign-in did MFA: its token says so, and the refreshed one too
        JsonPath enrolled = TestTokens.delegated("contoso", TestTokens.user("contoso", "integration"));
        assertTrue(claims(enrolled.getString("access_token")).contains("\"amr\":[\"pwd\",\"mfa\"]"));
        assertEquals(200, referralsStatus(token("contoso", Map.of("grant_type", "refresh_token",
                "client_id", TestTokens.clientId("contoso"), "refresh_token", enrolled.getString("refresh_token"),
                "scope", TestTokens.REFERRALS_SCOPE)).then().statusCode(200).extract().<String>path("access_token")));
    }

    private static String claims(String jwt) {
        return new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void appOnlyTokensFromClientCredentialsAreRefusedByTheReferralsApi() {
        String appOnly = token("contoso", Map.of("grant_type", "client_credentials",
                "client_id", TestTokens.clientId("contoso"), "client_secret", TestTokens.secret("contoso"),
                "scope", "https://api.partner.microsoft.com/.default")).then().statusCode(200)
                .body("refresh_token", nullValue()).extract().path("access_token");
        given().header("Authorization", "Bearer " + appOnly).get(REFERRALS).then().statusCode(401)
                .body("message", containsString("App+User"));
        token("contoso", Map.of("grant_type", "client_credentials", "client_id", TestTokens.clientId("contoso"),
                "scope", "https://api.partner.microsoft.com/.default")).then().statusCode(401)
                .body("error", equalTo("invalid_client"));
    }

    @Test
    void theV1EndpointTakesAResource() {
        JsonPath device = given().formParam("client_id", TestTokens.clientId("contoso"))
                .formParam("scope", TestTokens.REFERRALS_SCOPE).post("/contoso/oauth2/v2.0/devicecode")
                .then().extract().jsonPath();
        given().contentType(ContentType.JSON).body(Map.of("user_code", device.getString("user_code"),
                "username", TestTokens.user("contoso", "integration"))).post("/_sim/devicelogin");
        String refresh = token("contoso", Map.of("grant_type", TestTokens.DEVICE_GRANT,
                "client_id", TestTokens.clientId("contoso"), "device_code", device.getString("device_code")))
                .then().extract().path("refresh_token");
        String access = given().formParam("grant_type", "refresh_token")
                .formParam("client_id", TestTokens.clientId("contoso")).formParam("refresh_token", refresh)
                .formParam("resource", "https://api.partner.microsoft.com").post("/contoso/oauth2/token")
                .then().statusCode(200).body("resource", equalTo("https://api.partner.microsoft.com"),
                        "expires_in", equalTo("3600"), "expires_on", notNullValue())
                .extract().path("access_token");
        assertEquals(200, referralsStatus(access));
        given().formParam("grant_type", "refresh_token").formParam("client_id", TestTokens.clientId("contoso"))
                .formParam("refresh_token", refresh).formParam("resource", "https://graph.example")
                .post("/contoso/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_resource"));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        String partnerCenter = TestTokens.delegated("contoso", TestTokens.user("contoso", "integration"),
                PARTNER_CENTER_SCOPE).getString("access_token");
        assertEquals(401, referralsStatus(partnerCenter));
        assertEquals(401, referralsStatus(partnerCenter.substring(0, partnerCenter.length() - 4) + "AAAA"));
        given().formParam("client_id", TestTokens.clientId("contoso")).formParam("scope", "https://graph.example/.default")
                .post("/contoso/oauth2/v2.0/devicecode").then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void referralsUsersSeeOnlyTheirTeamsReferralsAndCannotWriteAndOthersGetNothing() {
        String admin = TestTokens.admin("contoso");
        Map<String, Object> mine = new java.util.HashMap<>(ReferralRequests.coSell("Sam's deal"));
        mine.put("team", List.of(Map.of("firstName", "Sam", "lastName", "Lee", "phoneNumber", "+1",
                "email", TestTokens.user("contoso", "sam.lee"))));
        String samsDeal = given().header("Authorization", "Bearer " + admin).contentType(ContentType.JSON)
                .body(mine).post(REFERRALS).then().statusCode(201).extract().path("id");
        Map<String, Object> others = new java.util.HashMap<>(ReferralRequests.coSell("not Sam's"));
        others.put("team", List.of(Map.of("firstName", "Jane", "lastName", "Doe", "phoneNumber", "+2",
                "email", "jane.doe@contoso.example")));
        String otherDeal = given().header("Authorization", "Bearer " + admin).contentType(ContentType.JSON)
                .body(others).post(REFERRALS).then().statusCode(201)
                .extract().path("id");

        String sam = TestTokens.delegated("contoso", TestTokens.user("contoso", "sam.lee")).getString("access_token");
        given().header("Authorization", "Bearer " + sam).get(REFERRALS).then().statusCode(200)
                .body("value", hasSize(1), "value[0].id", equalTo(samsDeal));
        given().header("Authorization", "Bearer " + sam).get(REFERRALS + "/" + otherDeal).then().statusCode(404);
        given().header("Authorization", "Bearer " + sam).contentType(ContentType.JSON)
                .body(List.of(Map.of("op", "replace", "path", "/details/notes", "value", "x")))
                .patch(REFERRALS + "/" + samsDeal).then().statusCode(403);

        String guest = TestTokens.delegated("contoso", TestTokens.user("contoso", "guest")).getString("access_token");
        given().header("Authorization", "Bearer " + guest).get(REFERRALS).then().statusCode(403);
    }

    @Test
    void revokedAndExpiredTokensAreRefused() {
        JsonPath issued = TestTokens.delegated("contoso", TestTokens.user("contoso", "integration"));
        String access = issued.getString("access_token");
        String jti = new io.restassured.path.json.JsonPath(new String(Base64.getUrlDecoder()
                .decode(access.split("\\.")[1]), StandardCharsets.UTF_8)).getString("jti");
        assertEquals(200, referralsStatus(access));
        given().contentType(ContentType.JSON).body(Map.of("accessTokenId", jti))
                .post("/_sim/tenants/contoso/revocations").then().statusCode(200);
        assertEquals(401, referralsStatus(access));

        JsonPath again = TestTokens.delegated("contoso", TestTokens.user("contoso", "integration"));
        given().contentType(ContentType.JSON).body(Map.of("user", TestTokens.user("contoso", "integration")))
                .post("/_sim/tenants/contoso/revocations").then().statusCode(200);
        assertEquals(401, referralsStatus(again.getString("access_token")));
        token("contoso", Map.of("grant_type", "refresh_token", "client_id", TestTokens.clientId("contoso"),
                "refresh_token", again.getString("refresh_token"), "scope", TestTokens.REFERRALS_SCOPE))
                .then().statusCode(400).body("error", equalTo("invalid_grant"));

        given().post("/_sim/clock/advance?seconds=1").then().statusCode(200);
        String fresh = TestTokens.admin("contoso");
        assertEquals(200, referralsStatus(fresh));
        given().post("/_sim/clock/advance?seconds=3601").then().statusCode(200);
        assertEquals(401, referralsStatus(fresh));
    }

    @Test
    void unknownTenantsAndGrantsAreEntraErrors() {
        given().formParam("grant_type", "client_credentials").post("/northwind/oauth2/v2.0/token")
                .then().statusCode(400).body("error_codes", hasItem(90002));
        token("contoso", Map.of("grant_type", "password", "client_id", TestTokens.clientId("contoso")))
                .then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
        given().get("/contoso/discovery/v2.0/keys").then().statusCode(200).body("keys[0].kty", equalTo("RSA"),
                "keys[0].d", nullValue());
    }
}
