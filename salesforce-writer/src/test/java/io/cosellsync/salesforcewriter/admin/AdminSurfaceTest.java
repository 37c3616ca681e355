package io.cosellsync.salesforcewriter.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.PostgresResource;
import io.cosellsync.testing.SalesforceSimulator;
import io.cosellsync.testing.TokenIssuer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who may use the admin surface, with tokens of a real OpenID Connect issuer ({@link TokenIssuer}, verified by
 * quarkus-oidc through its discovery document and keys): {@code ops} acts for every tenant, {@code ops:<tenant>} for
 * one; forged, expired, foreign-audience and role-less tokens are refused; every call, refused ones included, is
 * recorded and listed by tenant.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(SalesforceSimulator.class)
@QuarkusTestResource(TokenIssuer.Resource.class)
class AdminSurfaceTest {

    private static final TokenIssuer ISSUER = TokenIssuer.shared();

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    @Test
    void onlyOperatorsWithAValidTokenOrTheLocalKeyGetIn() {
        given().get("/admin/dead-letters").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        as("not-the-key").get("/admin/dead-letters").then().statusCode(401)
                .body("detail", equalTo("the bearer token was not accepted"));
        as(ISSUER.forgedToken("mallory", "ops")).get("/admin/dead-letters").then().statusCode(401);
        as(ISSUER.expiredToken("ada", "ops")).get("/admin/dead-letters").then().statusCode(401);
        as(ISSUER.tokenFor("api://another-app", "mallory", "ops")).get("/admin/dead-letters").then()
                .statusCode(401);
        as(ISSUER.token("sales-rep")).get("/admin/dead-letters").then().statusCode(403)
                .contentType("application/problem+json").body("title", equalTo("Not an operator"));

        // a path spelt differently is never served without a credential: refused, or not served at all
        for (String path : List.of("//admin/dead-letters", "/q/../admin/dead-letters", "/admin//dead-letters")) {
            int status = given().get(path).statusCode();
            assertTrue(status == 401 || status == 404, path + " answered " + status);
        }

        as(ISSUER.token("ada", "ops")).get("/admin/dead-letters?tenant=fabrikam").then().statusCode(200);
        as("test-admin-key").get("/admin/dead-letters?tenant=fabrikam").then().statusCode(200);
    }

    @Test
    void aTenantsOperatorActsForThatTenantOnly() {
        String contosoOps = ISSUER.token("carla", "ops:contoso");
        as(contosoOps).get("/admin/dead-letters?tenant=contoso").then().statusCode(200);
        as(contosoOps).get("/admin/dead-letters?tenant=fabrikam").then().statusCode(403)
                .body("title", equalTo("Not your tenant"));
        as(contosoOps).get("/admin/dead-letters?tenant=-").then().statusCode(403);
        as(contosoOps).get("/admin/dead-letters").then().statusCode(200).body("tenant", everyItem(equalTo(
                "contoso")));
        as(contosoOps).contentType(ContentType.JSON).body(Map.of("all", true, "dryRun", true))
                .post("/admin/dead-letters/fabrikam/replay").then().statusCode(403);
        as(contosoOps).contentType(ContentType.JSON).body(Map.of("reason", "not mine"))
                .post("/admin/dead-letters/fabrikam/some-letter/discard").then().statusCode(403);
        as(contosoOps).contentType(ContentType.JSON).body(Map.of("all", true, "dryRun", true))
                .post("/admin/dead-letters/contoso/replay").then().statusCode(200);
    }

    @Test
    void everyCallIsRecordedWithWhoWhatTenantAndResult() {
        Instant before = Instant.now().minusSeconds(1);
        String dora = ISSUER.token("dora", "ops:fabrikam");
        as(dora).get("/admin/dead-letters?tenant=fabrikam&state=open").then().statusCode(200);
        as(dora).contentType(ContentType.JSON).body(Map.of("all", true, "dryRun", true))
                .post("/admin/dead-letters/contoso/replay").then().statusCode(403);
        given().get("/admin/dead-letters?tenant=fabrikam").then().statusCode(401);

        // dora sees the calls that named her tenant, newest first: the refused anonymous one, then hers
        as(dora).get("/admin/calls?tenant=fabrikam&since=" + before).then().statusCode(200)
                .body("[0].actor", equalTo("anonymous")).body("[0].status", equalTo(401))
                .body("[1].actor", equalTo("dora")).body("[1].method", equalTo("GET"))
                .body("[1].target", equalTo("/admin/dead-letters?tenant=fabrikam&state=open"))
                .body("[1].status", equalTo(200)).body("tenant", everyItem(equalTo("fabrikam")));
        as(dora).get("/admin/calls?tenant=contoso").then().statusCode(403);
        as(dora).get("/admin/calls").then().statusCode(200).body("tenant", not(hasItem("contoso")));

        // a release-wide operator sees her two refused calls that named contoso
        as(ISSUER.token("ada", "ops")).get("/admin/calls?tenant=contoso&since=" + before).then().statusCode(200)
                .body("findAll { it.actor == 'dora' }.target", equalTo(List.of("/admin/calls?tenant=contoso",
                        "/admin/dead-letters/contoso/replay")))
                .body("findAll { it.actor == 'dora' }.status", equalTo(List.of(403, 403)));
    }
}
