package io.cosellsync.ingress.partnercenter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.events.TenantId;
import io.cosellsync.partnercenter.client.Audience;
import io.cosellsync.partnercenter.client.CredentialCipher;
import io.cosellsync.partnercenter.client.CredentialState;
import io.cosellsync.partnercenter.client.NotAuthorized;
import io.cosellsync.partnercenter.client.ReferralsApi;
import io.cosellsync.partnercenter.client.PartnerCenterTokens;
import io.cosellsync.ingress.webhook.WebhookAuthority;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.PostgresResource;
import io.cosellsync.testing.TestDatabase;
import io.cosellsync.testing.TokenIssuer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Delegated Partner Center sign-in against the real simulator: device code, encrypted storage, rotation,
 * audiences, revocation turning the health red, recovery by signing in again, and no token in any log. The sign-in
 * endpoints are on the admin surface: operators' tokens act for their tenants only, and every call is recorded.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(WebhookAuthority.class)
@QuarkusTestResource(PartnerCenterSimulator.class)
@QuarkusTestResource(TokenIssuer.Resource.class)
class PartnerCenterAuthTest {

    private static final TenantId CONTOSO = TenantId.of("contoso");
    private static final String OPERATOR = Operator.CONTOSO_ADMIN;

    @Inject
    PartnerCenterTokens tokens;

    @Inject
    ReferralsApi referrals;

    private String token(Audience audience) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> tokens.accessToken(CONTOSO, audience));
    }

    @Test
    void theAdminApiNeedsItsKey() {
        given().get("/admin/tenants/contoso/partner-center/auth").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "Bearer wrong").get("/admin/tenants/contoso/partner-center/auth").then()
                .statusCode(401);
        Operator.admin().get("/admin/tenants/northwind/partner-center/auth").then().statusCode(404);
        assertEquals("NOT_SIGNED_IN", Operator.state("fabrikam"));
    }

    @Test
    void operatorsWithTokensActForTheirTenantsOnlyAndEveryCallIsRecorded() {
        TokenIssuer issuer = TokenIssuer.shared();
        String fabrikamOps = issuer.token("finn@fabrikam.example", "ops:fabrikam");
        given().header("Authorization", "Bearer " + fabrikamOps).get("/admin/tenants/fabrikam/partner-center/auth")
                .then().statusCode(200).body("state", equalTo("NOT_SIGNED_IN"));
        given().header("Authorization", "Bearer " + fabrikamOps).post("/admin/tenants/contoso/partner-center/sign-in")
                .then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + issuer.forgedToken("finn@fabrikam.example", "ops"))
                .get("/admin/tenants/contoso/partner-center/auth").then().statusCode(401);
        given().header("Authorization", "Bearer " + issuer.token("ada@partner.example", "ops"))
                .get("/admin/calls?tenant=contoso").then().statusCode(200)
                .body("find { it.actor == 'finn@fabrikam.example' }.target",
                        equalTo("/admin/tenants/contoso/partner-center/sign-in"))
                .body("find { it.actor == 'finn@fabrikam.example' }.status", equalTo(403));
    }

    @Test
    void aSignInWithoutMfaIsRefusedOnceMarkedAndWaitsForAnOperatorsMfaSignInNotForARefresh() throws Throwable {
        Operator.signIn("contoso", "legacy-integration@contoso.example");
        long refusedBefore = refusedCalls();
        NotAuthorized refused = assertThrows(NotAuthorized.class, () -> VertxContextSupport.subscribeAndAwait(
                () -> referrals.get(CONTOSO, "9b1c2d3e-0000-4000-8000-000000000001")));
        assertEquals(CredentialState.MFA_REQUIRED, refused.state());
        assertFalse(refused.retryable(), "waiting does not help: an operator must act");
        assertEquals(1, refusedCalls() - refusedBefore, "refused once: no renew-and-retry with a refreshed token");
        assertEquals("MFA_REQUIRED", Operator.state("contoso"));
        // no refresh is even tried until an operator signs in again
        assertEquals(CredentialState.MFA_REQUIRED, assertThrows(NotAuthorized.class,
                () -> token(Audience.REFERRALS)).state());
        given().get("/q/health/well").then().statusCode(503).body(
                "checks.find { it.name == 'partner-center-auth' }.data.contoso", equalTo("MFA_REQUIRED"));
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString(
                "cosell_partnercenter_auth_healthy{tenant=\"contoso\"} 0.0"));

        // an operator enrolled in MFA signs in: calls go through again
        Operator.signIn("contoso", OPERATOR);
        assertEquals(java.util.Optional.empty(), VertxContextSupport.subscribeAndAwait(
                () -> referrals.get(CONTOSO, "9b1c2d3e-0000-4000-8000-000000000001")), "answered: no such referral");
        assertEquals("SIGNED_IN", Operator.state("contoso"));
    }

    @Test
    void preflightIsOnTheAdminSurfaceAndFailsForASignedInUserWithoutAReferralsRole() {
        given().get("/admin/tenants/contoso/preflight").then().statusCode(401);
        Operator.admin().get("/admin/tenants/nobody/preflight").then().statusCode(404);
        Operator.signIn("contoso", "guest@contoso.example");
        Operator.admin().post("/admin/tenants/contoso/preflight").then().statusCode(200)
                .body("state", equalTo("FAILED"), "problems[0].subject", equalTo("Partner Center"),
                        "problems[0].problem", equalTo("the signed-in user holds no Referrals role"));
        Operator.admin().get("/admin/tenants/contoso/preflight").then().statusCode(200).body("state", equalTo("FAILED"));
        Operator.signIn("contoso", OPERATOR);
        Operator.admin().post("/admin/tenants/contoso/preflight").then().statusCode(200)
                .body("state", equalTo("PASSED"), "problems.size()", equalTo(0));
    }

    /** Referrals API calls the simulator refused with 401 so far. */
    private static long refusedCalls() {
        Map<String, Integer> counters = Operator.simulator().get("/_sim/counters").then().statusCode(200).extract()
                .jsonPath().getMap("");
        return counters.entrySet().stream().filter(e -> e.getKey().endsWith(" 401")
                && e.getKey().contains("Referral")).mapToLong(e -> e.getValue().longValue()).sum();
    }

    @Test
    void signInRotateRevokeAndSignInAgain() throws Throwable {
        Operator.signIn("contoso", OPERATOR);

        // stored encrypted, bound to the tenant
        String encrypted = TestDatabase.query("SELECT encrypted_refresh_token FROM ingress.partner_center_credential"
                + " WHERE tenant_id = 'contoso'");
        CredentialCipher cipher = CredentialCipher.fromBase64(ConfigProvider.getConfig()
                .getValue("ingress.partner-center.credential-key", String.class));
        String refreshToken = cipher.decrypt("contoso", encrypted);
        assertFalse(encrypted.contains(refreshToken));
        assertThrows(IllegalStateException.class, () -> cipher.decrypt("fabrikam", encrypted));

        // the Referrals API takes the referrals token; the registration API needs a token of its own audience
        String referrals = token(Audience.REFERRALS);
        Operator.simulator().header("Authorization", "Bearer " + referrals).get("/v1.0/engagements/referrals").then()
                .statusCode(200);
        String registration = token(Audience.WEBHOOK_REGISTRATION);
        assertNotEquals(referrals, registration);
        String registrationUrl = ConfigProvider.getConfig().getValue("ingress.partner-center.registration-url",
                String.class);
        given().baseUri(registrationUrl).header("Authorization", "Bearer " + registration)
                .get("/webhooks/v1/registration/events").then().statusCode(200);
        given().baseUri(registrationUrl).header("Authorization", "Bearer " + referrals)
                .get("/webhooks/v1/registration/events").then().statusCode(401);

        // every rotated refresh token is stored before its access token is used
        String version = TestDatabase.query("SELECT version FROM ingress.partner_center_credential"
                + " WHERE tenant_id = 'contoso'");
        tokens.refused(CONTOSO, Audience.REFERRALS, referrals);
        String fresh = token(Audience.REFERRALS);
        assertNotEquals(referrals, fresh);
        String rotated = cipher.decrypt("contoso", TestDatabase.query("SELECT encrypted_refresh_token FROM "
                + "ingress.partner_center_credential WHERE tenant_id = 'contoso'"));
        assertNotEquals(refreshToken, rotated);
        assertTrue(Long.parseLong(TestDatabase.query("SELECT version FROM ingress.partner_center_credential"
                + " WHERE tenant_id = 'contoso'")) > Long.parseLong(version));

        // Entra revokes the refresh tokens: the next refresh fails, the credential goes red
        Operator.simulator().body(Map.of("refreshTokensOf", OPERATOR)).post("/_sim/tenants/contoso/revocations").then()
                .statusCode(200);
        tokens.refused(CONTOSO, Audience.REFERRALS, fresh);
        NotAuthorized refused = assertThrows(NotAuthorized.class, () -> token(Audience.REFERRALS));
        assertEquals(CredentialState.REJECTED, refused.state());
        assertFalse(refused.retryable());
        assertEquals("REJECTED", Operator.state("contoso"));
        given().get("/q/health/well").then().statusCode(503).body(
                "checks.find { it.name == 'partner-center-auth' }.data.contoso", equalTo("REJECTED"));
        // a tenant that needs an operator does not take the pod out of its Service
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString(
                "cosell_partnercenter_auth_healthy{tenant=\"contoso\"} 0.0"));

        // an operator signs in again and everything works
        Operator.signIn("contoso", OPERATOR);
        Operator.simulator().header("Authorization", "Bearer " + token(Audience.REFERRALS))
                .get("/v1.0/engagements/referrals").then().statusCode(200);
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString(
                "cosell_partnercenter_auth_healthy{tenant=\"contoso\"} 1.0"));

        // and no token was ever logged
        String log = Files.readString(Path.of("target/ingress-test.log"));
        for (String secret : new String[] {refreshToken, rotated, referrals, registration, fresh,
                token(Audience.REFERRALS)}) {
            assertFalse(log.contains(secret), "a token was logged");
            assertFalse(log.contains(secret.substring(0, Math.min(40, secret.length()))), "a token was logged");
        }
        assertTrue(log.contains("signed in to Partner Center as " + OPERATOR), "the log should say who signed in");
    }
}
