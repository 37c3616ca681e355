package io.cosellsync.ingress.partnercenter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;

/** What an operator does in tests: the admin API, and the sign-in step at the simulator's "sign-in page". */
final class Operator {

    static final String CONTOSO_ADMIN = "integration@contoso.example";
    static final String FABRIKAM_ADMIN = "integration@fabrikam-partners.example";

    private Operator() {
    }

    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + PartnerCenterSimulator.ADMIN_KEY);
    }

    static RequestSpecification simulator() {
        return given().baseUri(PartnerCenterSimulator.url()).contentType(ContentType.JSON);
    }

    static String state(String tenant) {
        return admin().get("/admin/tenants/" + tenant + "/partner-center/auth").then().statusCode(200).extract()
                .path("state");
    }

    /** The device code flow: sign-in started through the admin API, the code entered as {@code user}. */
    static void signIn(String tenant, String user) {
        String userCode = admin().post("/admin/tenants/" + tenant + "/partner-center/sign-in").then().statusCode(202)
                .body("status", equalTo("PENDING")).body("verificationUri", not(emptyOrNullString()))
                .extract().path("userCode");
        simulator().body(Map.of("user_code", userCode, "username", user)).post("/_sim/devicelogin").then()
                .statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonPath auth = admin().get("/admin/tenants/" + tenant + "/partner-center/auth").then().statusCode(200)
                    .extract().jsonPath();
            return userCode.equals(auth.getString("signIn.userCode"))
                    && "COMPLETED".equals(auth.getString("signIn.status"));
        });
        admin().get("/admin/tenants/" + tenant + "/partner-center/auth").then().body("state", equalTo("SIGNED_IN"))
                .body("signedInAs", equalTo(user));
    }

    static void ensureSignedIn(String tenant, String user) {
        if (!"SIGNED_IN".equals(state(tenant))) {
            signIn(tenant, user);
        }
    }
}
