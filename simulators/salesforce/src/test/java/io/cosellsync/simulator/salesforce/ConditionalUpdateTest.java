package io.cosellsync.simulator.salesforce;

import static io.cosellsync.simulator.salesforce.Org.V;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Salesforce's clock and its conditional update: stamps in whole seconds, {@code If-Unmodified-Since} answered 412
 * when the record was modified after it (also in a composite subrequest), and the seller's save armed to fall between
 * an integration's read and its write.
 */
@QuarkusTest
class ConditionalUpdateTest {

    private Org org;
    private String opportunity;

    @BeforeEach
    void seed() {
        org = Org.fresh("contoso");
        opportunity = org.opportunity("Deal", org.account("Contoso Retail"));
    }

    private static String httpDate(Instant at) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC));
    }

    private Instant lastModified() {
        return Instant.parse(org.get("Opportunity", opportunity).getString("LastModifiedDate")
                .replace("+0000", "Z"));
    }

    @Test
    void stampsAndStoredDateTimesHaveWholeSeconds() {
        org.rest().get(V + "/sobjects/Opportunity/" + opportunity).then().statusCode(200)
                .body("SystemModstamp", endsWith(".000+0000"))
                .body("LastModifiedDate", endsWith(".000+0000"))
                .body("CreatedDate", endsWith(".000+0000"));
        String soql = "SELECT SystemModstamp FROM Opportunity WHERE Id = '" + opportunity + "'";
        org.rest().queryParam("q", soql).get(V + "/query").then().statusCode(200)
                .body("records[0].SystemModstamp", endsWith(".000+0000"));
    }

    @Test
    void anUpdateUnmodifiedSinceItsDateIsMadeAndOneModifiedAfterIsRefusedWith412() {
        Instant modified = lastModified();
        org.rest().header("If-Unmodified-Since", httpDate(modified)).body(Map.of("Amount", 51000))
                .patch(V + "/sobjects/Opportunity/" + opportunity).then().statusCode(204);
        // the same second: Salesforce cannot tell, so it is not "modified after"
        org.rest().header("If-Unmodified-Since", httpDate(modified)).body(Map.of("Amount", 52000))
                .patch(V + "/sobjects/Opportunity/" + opportunity).then().statusCode(204);
        org.rest().header("If-Unmodified-Since", httpDate(modified.minusSeconds(1))).body(Map.of("Amount", 1))
                .patch(V + "/sobjects/Opportunity/" + opportunity).then().statusCode(412)
                .body("[0].errorCode", equalTo("PRECONDITION_FAILED"));
        assertEquals(52000.0, org.get("Opportunity", opportunity).getDouble("Amount"), 0.001);
        org.rest().header("If-Unmodified-Since", "yesterday").body(Map.of("Amount", 1))
                .patch(V + "/sobjects/Opportunity/" + opportunity).then().statusCode(400);
    }

    @Test
    void aCompositeSubrequestCarriesTheConditionalHeader() {
        Instant before = lastModified().minusSeconds(1);
        Map<String, Object> stale = Map.of("method", "PATCH", "url", V + "/sobjects/Opportunity/" + opportunity,
                "referenceId", "stale", "body", Map.of("Amount", 1),
                "httpHeaders", Map.of("If-Unmodified-Since", httpDate(before)));
        Map<String, Object> fresh = Map.of("method", "PATCH", "url", V + "/sobjects/Opportunity/" + opportunity,
                "referenceId", "fresh", "body", Map.of("Amount", 60000),
                "httpHeaders", Map.of("If-Unmodified-Since", httpDate(lastModified())));
        org.post("/composite", Map.of("allOrNone", false, "compositeRequest", List.of(stale, fresh))).then()
                .statusCode(200)
                .body("compositeResponse[0].httpStatusCode", equalTo(412))
                .body("compositeResponse[1].httpStatusCode", equalTo(204));
        assertEquals(60000.0, org.get("Opportunity", opportunity).getDouble("Amount"), 0.001);
    }

    @Test
    void anArmedSellerSaveLandsBetweenTheIntegrationsReadAndItsWrite() {
        org.control().body(Map.of("Amount", 53000))
                .post("/_sim/orgs/contoso/seller/after-next-query/Opportunity/" + opportunity).then()
                .statusCode(202).body("pending", equalTo(1));
        String soql = "SELECT Id, Amount FROM Opportunity WHERE Id = '" + opportunity + "'";
        // the integration reads the value from before the seller's save...
        org.rest().queryParam("q", soql).get(V + "/query").then().statusCode(200)
                .body("records[0].Amount", equalTo(50000.0f));
        // ...which was made as the seller, right after that read, and only once
        assertEquals(53000.0, org.get("Opportunity", opportunity).getDouble("Amount"), 0.001);
        assertEquals(org.sellerId(), org.get("Opportunity", opportunity).getString("LastModifiedById"));
        org.control().body(Map.of("Amount", 1))
                .post("/_sim/orgs/contoso/seller/after-next-query/Opportunity/" + opportunity).then()
                .statusCode(202).body("pending", equalTo(1));
        org.control().get("/_sim/orgs/contoso/seller/records/Opportunity/" + opportunity).then().statusCode(200);
        assertEquals(53000.0, org.get("Opportunity", opportunity).getDouble("Amount"), 0.001,
                "the seller's own read does not make it");
        // an org reset forgets it (record ids start over)
        org.control().post("/_sim/orgs/contoso/reset").then().statusCode(200);
        String again = org.opportunity("Deal", org.account("Contoso Retail"));
        assertEquals(opportunity, again, "the same id after the reset");
        org.rest().queryParam("q", soql).get(V + "/query").then().statusCode(200);
        assertEquals(50000.0, org.get("Opportunity", again).getDouble("Amount"), 0.001);
    }
}
