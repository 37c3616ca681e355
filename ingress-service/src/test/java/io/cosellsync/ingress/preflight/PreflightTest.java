package io.cosellsync.ingress.preflight;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.PostgresResource;
import io.cosellsync.testing.SalesforceSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Preflight against the real Salesforce simulator (the app and resources of OpportunityHydrationTest, shared): the
 * seeded orgs pass as the package and the tenants' mapping files want them; an org whose stage list lacks the
 * tenant's stages fails, holds the tenant's records (no snapshot while it fails) without taking the pod out of
 * service, and syncs again once it is fixed and checked again.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = SalesforceSimulator.class, initArgs = {
        @ResourceArg(name = "config-prefix", value = "ingress.salesforce"),
        @ResourceArg(name = "pubsub", value = "true"),
        @ResourceArg(name = "polling", value = "fabrikam"),
        @ResourceArg(name = "mappings", value = "contoso,fabrikam")})
class PreflightTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TenantId FABRIKAM = TenantId.of("fabrikam");
    private static final String TOPIC = Topics.DEFAULT_PREFIX + Topics.OPPORTUNITY_SNAPSHOTS;

    @Inject
    Preflight preflight;

    private Preflight.Report run(TenantId tenant) {
        return preflight.run(tenant).await().atMost(Duration.ofSeconds(60));
    }

    @Test
    void theSeededOrgsPassAsThePackageAndTheirMappingFilesWantThem() {
        for (String tenant : new String[] {"contoso", "fabrikam"}) {
            Preflight.Report report = run(TenantId.of(tenant));
            assertEquals(Preflight.State.PASSED, report.state(), report.toString());
        }
    }

    @Test
    void anOrgWithoutTheTenantsStagesFailsHoldsTheTenantAndSyncsAgainOnceFixed() throws Exception {
        ObjectNode original = settings();
        ObjectNode wrong = original.deepCopy().put("activeStage", "Qualified by Microsoft");
        String held;
        try {
            configure(wrong);
            Preflight.Report failed = run(FABRIKAM);
            assertEquals(Preflight.State.FAILED, failed.state());
            PreflightProblem stage = failed.problems().stream().filter(p -> p.subject().equals("Opportunity.StageName"))
                    .findFirst().orElseThrow(() -> new AssertionError(failed.toString()));
            assertTrue(stage.problem().contains("Microsoft Referral - Accepted"), stage.problem());
            assertTrue(stage.fix().contains("Setup"), stage.fix());
            given().get("/q/health/well").then().statusCode(503)
                    .body("checks.find { it.name == 'preflight' }.data.fabrikam", equalTo("FAILED"));
            given().get("/q/health/ready").then().statusCode(200);
            given().get("/q/metrics").then().body(containsString("cosell_preflight_passed{tenant=\"fabrikam\"} 0.0"));

            // the tenant's changes are held: polling finds the new opportunity, no snapshot leaves
            held = opportunity("Held");
            Awaitility.await("nothing published for a tenant failing preflight").during(Duration.ofSeconds(8))
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> published(held) == 0);
        } finally {
            configure(original);
        }
        assertEquals(Preflight.State.PASSED, run(FABRIKAM).state());
        String synced = opportunity("Synced");
        Awaitility.await("the tenant syncs again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> published(synced) > 0);
        given().get("/q/metrics").then().body(containsString("cosell_preflight_passed{tenant=\"fabrikam\"} 1.0"));
    }

    @Test
    void aMissingFieldAWrongTypeAndNoEditAccessAreEachNamedWithTheirFix() throws Exception {
        ObjectNode original = settings();
        ObjectNode wrong = original.deepCopy();
        wrong.putArray("withoutFields").add("Opportunity.How_can_Microsoft_help__c");
        wrong.putArray("readOnlyFields").add("Opportunity.Referral_Link__c");
        wrong.putObject("fieldTypes").put("Opportunity.Microsoft_CRM_Identifier__c", "double");
        wrong.put("multiCurrency", false);
        Preflight.Report failed;
        try {
            configure(wrong);
            failed = run(FABRIKAM);
        } finally {
            configure(original);
        }
        assertEquals(Preflight.State.FAILED, failed.state(), failed.toString());
        PreflightProblem missing = problem(failed, "Opportunity.How_can_Microsoft_help__c");
        assertEquals(PreflightProblem.Severity.ERROR, missing.severity());
        assertTrue(missing.problem().contains("no such field") && missing.fix().contains("deploy/salesforce"),
                missing.toString());
        PreflightProblem readOnly = problem(failed, "Opportunity.Referral_Link__c");
        assertTrue(readOnly.problem().contains("cannot write") && readOnly.fix().contains("Cosell_Sync_Integration"),
                readOnly.toString());
        PreflightProblem type = problem(failed, "Opportunity.Microsoft_CRM_Identifier__c");
        assertTrue(type.problem().contains("double"), type.toString());
        // without multi-currency the currency field is optional: reported, left out, not holding the tenant
        assertEquals(PreflightProblem.Severity.WARNING, problem(failed, "Opportunity.CurrencyIsoCode").severity());
        assertEquals(3, failed.problems().stream().filter(p -> p.severity() == PreflightProblem.Severity.ERROR)
                .count(), failed.toString());
        assertEquals(Preflight.State.PASSED, run(FABRIKAM).state());
    }

    @Test
    void anObjectNotSelectedForChangeDataCaptureFailsATenantThatReadsChangeEvents() {
        TenantId contoso = TenantId.of("contoso");
        String selection = "/_sim/pubsub/orgs/contoso/change-data-capture";
        String original = given().baseUri(SalesforceSimulator.instance()).get(selection).then().statusCode(200)
                .extract().asString();
        Preflight.Report failed;
        try {
            given().baseUri(SalesforceSimulator.instance()).contentType(ContentType.JSON)
                    .body("[\"Account\", \"Contact\", \"OpportunityContactRole\", \"Microsoft_Solution__c\"]")
                    .put(selection).then().statusCode(200);
            failed = run(contoso);
        } finally {
            given().baseUri(SalesforceSimulator.instance()).contentType(ContentType.JSON).body(original)
                    .put(selection).then().statusCode(200);
        }
        assertEquals(Preflight.State.FAILED, failed.state(), failed.toString());
        PreflightProblem cdc = problem(failed, "Opportunity");
        assertTrue(cdc.problem().contains("Change Data Capture") && cdc.fix().contains("polling"), cdc.toString());
        assertEquals(1, failed.problems().size(), failed.toString());
        assertEquals(Preflight.State.PASSED, run(contoso).state());
    }

    private static PreflightProblem problem(Preflight.Report report, String subject) {
        return report.problems().stream().filter(p -> p.subject().equals(subject)).findFirst()
                .orElseThrow(() -> new AssertionError(subject + " not in " + report));
    }

    private static ObjectNode settings() throws Exception {
        return (ObjectNode) JSON.readTree(given().baseUri(SalesforceSimulator.instance())
                .get("/_sim/orgs/fabrikam/settings").then().statusCode(200).extract().asString());
    }

    private static void configure(JsonNode settings) {
        given().baseUri(SalesforceSimulator.instance()).contentType(ContentType.JSON).body(settings.toString())
                .put("/_sim/orgs/fabrikam/settings").then().statusCode(200);
    }

    private static String opportunity(String name) {
        String account = SalesforceSimulator.sellerCreate("fabrikam", "Account", Map.of("Name", name + " Co "
                + UUID.randomUUID().toString().substring(0, 8), "BillingCountry", "DE"));
        return SalesforceSimulator.sellerCreate("fabrikam", "Opportunity", Map.of("Name", name + " deal",
                "StageName", "Prospecting", "CloseDate", "2027-03-31", "AccountId", account,
                "Sync_with_Partner_Center__c", true));
    }

    private static long published(String opportunity) {
        return KafkaTestClient.shared().readAll(TOPIC).stream().filter(e -> opportunity.equals(e.key())).count();
    }
}
