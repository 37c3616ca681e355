package io.cosellsync.simulator.salesforce;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Salesforce's server-to-server auth as production behaves: two hosts, two grants, sessions that go idle. */
@QuarkusTest
class SalesforceAuthTest {

    private JsonPath contoso;
    private JsonPath fabrikam;

    @BeforeEach
    void seeded() {
        given().post("/_sim/reset").then().statusCode(200);
        JsonPath orgs = given().get("/_sim/orgs").then().statusCode(200).extract().jsonPath();
        contoso = new JsonPath(orgs.prettify()).setRootPath("find { it.tenant == 'contoso' }");
        fabrikam = new JsonPath(orgs.prettify()).setRootPath("find { it.tenant == 'fabrikam' }");
    }

    /** The org's My Domain (instance) host. */
    private static RequestSpecification instance() {
        return given().baseUri("http://localhost").port(RestAssured.port);
    }

    /** login.salesforce.com. */
    private static RequestSpecification login() {
        return given().baseUri("http://127.0.0.1").port(RestAssured.port);
    }

    private ValidatableResponse clientCredentials(RequestSpecification host, JsonPath org, String secret) {
        return host.formParam("grant_type", "client_credentials").formParam("client_id", org.getString("consumerKey"))
                .formParam("client_secret", secret).post("/services/oauth2/token").then();
    }

    private String session(JsonPath org) {
        return clientCredentials(instance(), org, org.getString("consumerSecret")).statusCode(200).extract()
                .path("access_token");
    }

    private static String assertion(JsonPath signer, String issuer, String username, String audience, Instant exp)
            throws Exception {
        String pem = signer.getString("jwtPrivateKeyPem").replaceAll("-----[A-Z ]+-----|\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getDecoder().decode(pem)));
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(username);
        claims.setAudience(audience);
        claims.setExpirationTime(NumericDate.fromSeconds(exp.getEpochSecond()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private ValidatableResponse jwtBearer(String assertion) {
        return login().formParam("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
                .formParam("assertion", assertion).post("/services/oauth2/token").then();
    }

    private static ValidatableResponse limits(RequestSpecification host, String token) {
        return host.header("Authorization", "Bearer " + token).get("/services/data/v62.0/limits").then();
    }

    @Test
    void clientCredentialsOnTheOrgsMyDomainYieldTheDocumentedTokenResponse() throws Exception {
        JsonPath token = clientCredentials(instance(), contoso, contoso.getString("consumerSecret")).statusCode(200)
                .body("access_token", startsWith(contoso.getString("organizationId").substring(0, 15) + "!"),
                        "instance_url", equalTo("http://localhost:" + RestAssured.port),
                        "id", endsWith("/id/" + contoso.getString("organizationId") + "/"
                                + contoso.getString("integrationUser.id")),
                        "token_type", equalTo("Bearer"), "scope", equalTo("api"),
                        "issued_at", matchesPattern("\\d{13}"),
                        "$", not(hasKey("refresh_token")), "$", not(hasKey("expires_in")))
                .extract().jsonPath();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(contoso.getString("consumerSecret").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertEquals(Base64.getEncoder().encodeToString(mac.doFinal((token.getString("id")
                + token.getString("issued_at")).getBytes(StandardCharsets.UTF_8))), token.getString("signature"));

        instance().auth().preemptive().basic(contoso.getString("consumerKey"), contoso.getString("consumerSecret"))
                .formParam("grant_type", "client_credentials").post("/services/oauth2/token").then().statusCode(200);
    }

    @Test
    void clientCredentialsFailOnTheLoginHostAndWithBadCredentials() {
        clientCredentials(login(), contoso, contoso.getString("consumerSecret")).statusCode(400)
                .body("error", equalTo("invalid_grant"), "error_description",
                        equalTo("request not supported on this domain"));
        clientCredentials(instance(), contoso, "guess").statusCode(400).body("error", equalTo("invalid_client"));
        instance().formParam("grant_type", "client_credentials").formParam("client_id", "3MVGnobody")
                .formParam("client_secret", "x").post("/services/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_client_id"));
        instance().formParam("grant_type", "password").post("/services/oauth2/token").then().statusCode(400)
                .body("error", equalTo("unsupported_grant_type"));
    }

    @Test
    void theJwtBearerFlowSignsInTheNamedUserAndRejectsBadAssertions() throws Exception {
        String key = contoso.getString("consumerKey");
        String seller = contoso.getString("seller.username");
        Instant soon = Instant.now().plusSeconds(120);
        String token = jwtBearer(assertion(contoso, key, seller, "https://login.salesforce.com", soon))
                .statusCode(200).body("id", endsWith("/" + contoso.getString("seller.id"))).extract()
                .path("access_token");
        instance().header("Authorization", "Bearer " + token).get("/services/oauth2/userinfo").then()
                .statusCode(200).body("user_id", equalTo(contoso.getString("seller.id")));

        jwtBearer(assertion(contoso, key, seller, "https://example.com", soon)).statusCode(400)
                .body("error", equalTo("invalid_grant"), "error_description", equalTo("audience is invalid"));
        jwtBearer(assertion(contoso, key, seller, "https://login.salesforce.com", Instant.now().plusSeconds(600)))
                .statusCode(400).body("error", equalTo("invalid_grant"));
        jwtBearer(assertion(contoso, key, seller, "https://login.salesforce.com", Instant.now().minusSeconds(60)))
                .statusCode(400).body("error_description", equalTo("expired assertion"));
        jwtBearer(assertion(fabrikam, key, seller, "https://login.salesforce.com", soon)).statusCode(400)
                .body("error", equalTo("invalid_grant"));
        jwtBearer(assertion(contoso, key, "nobody@contoso.example.sim", "https://login.salesforce.com", soon))
                .statusCode(400).body("error_description", equalTo("user hasn't approved this consumer"));
    }

    @Test
    void restCallsNeedTheInstanceHostAndASupportedVersion() {
        String token = session(contoso);
        limits(instance(), token).statusCode(200).body("DailyApiRequests.Max", equalTo(15000));
        limits(login(), token).statusCode(401).body("[0].errorCode", equalTo("INVALID_SESSION_ID"),
                "[0].message", equalTo("This session is not valid for use with the REST API"));
        instance().header("Authorization", "Bearer " + token).get("/services/data/v45.0/limits").then()
                .statusCode(404).body("[0].errorCode", equalTo("NOT_FOUND"));
        given().get("/services/data").then().statusCode(200).body("version", hasItem("46.0"),
                "url", hasItem("/services/data/v66.0"));
    }

    @Test
    void sessionsExpireAfterTwoIdleHoursAndEachCallResetsTheTimer() {
        String token = session(contoso);
        given().post("/_sim/clock/advance?seconds=" + (2 * 3600 - 60)).then().statusCode(200);
        limits(instance(), token).statusCode(200);
        given().post("/_sim/clock/advance?seconds=" + (2 * 3600 - 60)).then().statusCode(200);
        limits(instance(), token).statusCode(200);
        given().post("/_sim/clock/advance?seconds=" + (2 * 3600 + 1)).then().statusCode(200);
        limits(instance(), token).statusCode(401).body("[0].errorCode", equalTo("INVALID_SESSION_ID"),
                "[0].message", equalTo("Session expired or invalid"));
    }

    @Test
    void sessionsCanBeRevokedByTheClientOrTheControlApi() {
        String first = session(contoso);
        instance().formParam("token", first).post("/services/oauth2/revoke").then().statusCode(200);
        limits(instance(), first).statusCode(401);

        String second = session(contoso);
        String other = session(fabrikam);
        given().post("/_sim/orgs/contoso/sessions/revoke").then().statusCode(200).body("revoked", equalTo(1));
        limits(instance(), second).statusCode(401);
        limits(instance(), other).statusCode(200);
    }

    @Test
    void userinfoAndTheIdentityUrlAnswerOnBothHosts() {
        String token = session(fabrikam);
        String identity = clientCredentials(instance(), fabrikam, fabrikam.getString("consumerSecret"))
                .extract().path("id");
        for (RequestSpecification host : new RequestSpecification[] {login(), instance()}) {
            host.header("Authorization", "Bearer " + token).get("/services/oauth2/userinfo").then().statusCode(200)
                    .body("organization_id", equalTo(fabrikam.getString("organizationId")),
                            "preferred_username", equalTo(fabrikam.getString("integrationUser.username")),
                            "email", equalTo("integration@fabrikam-partners.example"));
        }
        String path = identity.substring(identity.indexOf("/id/"));
        login().header("Authorization", "Bearer " + token).get(path).then().statusCode(200)
                .body("organization_id", equalTo(fabrikam.getString("organizationId")));
        login().header("Authorization", "Bearer " + token)
                .get("/id/" + contoso.getString("organizationId") + "/" + contoso.getString("seller.id"))
                .then().statusCode(403);
        given().get("/services/oauth2/userinfo").then().statusCode(401);
    }
}
