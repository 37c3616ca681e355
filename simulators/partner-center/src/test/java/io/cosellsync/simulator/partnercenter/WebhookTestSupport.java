package io.cosellsync.simulator.partnercenter;

import static io.restassured.RestAssured.given;

import io.cosellsync.simulator.partnercenter.webhooks.RegistrationServer;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A clean simulator and a real webhook receiver per test, and calls to the registration API's own port. */
abstract class WebhookTestSupport {

    @Inject
    RegistrationServer registrationServer;

    WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        given().post("/_sim/reset").then().statusCode(200);
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    /** The registration API, with a Partner Center-audience token of the tenant's integration user. */
    RequestSpecification partnerCenter(String tenant) {
        String token = TestTokens.delegated(tenant, TestTokens.user(tenant, "integration"),
                "https://api.partnercenter.microsoft.com/.default").getString("access_token");
        return given().baseUri("http://127.0.0.1").port(registrationServer.port())
                .header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    void register(String tenant, List<String> events, boolean msSignatureHeader) {
        partnerCenter(tenant).body(Map.of("WebhookUrl", receiver.url(), "WebhookEvents", events,
                "signatureTokenToMsSignatureHeader", msSignatureHeader)).post("/webhooks/v1/registration")
                .then().statusCode(200);
    }
}
