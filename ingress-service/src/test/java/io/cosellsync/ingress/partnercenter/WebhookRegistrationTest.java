package io.cosellsync.ingress.partnercenter;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cosellsync.events.TenantId;
import io.cosellsync.partnercenter.client.Audience;
import io.cosellsync.partnercenter.client.PartnerCenterTokens;
import io.cosellsync.ingress.partnercenter.registration.WebhookRegistrar;
import io.cosellsync.ingress.partnercenter.registration.WebhookRegistrar.State;
import io.cosellsync.ingress.webhook.WebhookAuthority;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Webhook registration ownership against the simulator's registration API: never silently take another's. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(WebhookAuthority.class)
@QuarkusTestResource(PartnerCenterSimulator.class)
class WebhookRegistrationTest {

    private static final TenantId FABRIKAM = TenantId.of("fabrikam");
    private static final URI OURS = URI.create("http://127.0.0.1:9/webhooks/partner-center/fabrikam");

    @Inject
    WebhookRegistrar registrar;

    @Inject
    PartnerCenterTokens tokens;

    private State ensure(boolean takeOver) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> registrar.ensure(FABRIKAM, OURS, takeOver));
    }

    private io.restassured.specification.RequestSpecification registrationApi() throws Throwable {
        String token = VertxContextSupport.subscribeAndAwait(() -> tokens.accessToken(FABRIKAM,
                Audience.WEBHOOK_REGISTRATION));
        return given().baseUri(PartnerCenterSimulator.registrationUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + token);
    }

    private String registeredUrl() throws Throwable {
        return registrationApi().get("/webhooks/v1/registration").then().statusCode(200).extract().path("WebhookUrl");
    }

    @Test
    void registersWhenAbsentKeepsItsOwnAndTakesOverOnlyWhenConfigured() throws Throwable {
        Operator.ensureSignedIn("fabrikam", Operator.FABRIKAM_ADMIN);
        // fabrikam starts unregistered in the simulator; ours is an address nothing listens on (deliveries fail)
        assertEquals(State.REGISTERED, ensure(false));
        assertEquals(OURS.toString(), registeredUrl());
        assertEquals(State.REGISTERED, ensure(false));

        registrationApi().body(Map.of("WebhookUrl", "https://flows.example.com/other-integration/secret-path",
                "WebhookEvents", List.of("referral-created"))).put("/webhooks/v1/registration").then()
                .statusCode(200);
        assertEquals(State.CONFLICT, ensure(false));
        assertEquals("https://flows.example.com/other-integration/secret-path", registeredUrl());

        assertEquals(State.TAKEN_OVER, ensure(true));
        assertEquals(OURS.toString(), registeredUrl());
        List<String> events = registrationApi().get("/webhooks/v1/registration").then().extract()
                .path("WebhookEvents");
        assertEquals(new TreeSet<>(WebhookRegistrar.EVENTS), new TreeSet<>(events));
    }
}
