package io.cosellsync.partnercenterwriter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.Topics;
import io.cosellsync.events.command.CreateReferralCommand;
import io.cosellsync.events.command.OpportunityImage;
import io.cosellsync.events.command.PatchOperation;
import io.cosellsync.events.command.UpdateOpportunityCommand;
import io.cosellsync.events.command.UpdateReferralCommand;
import io.cosellsync.events.outcome.DeadLetter;
import io.cosellsync.events.outcome.SyncOutcome;
import io.cosellsync.events.partnercenter.Consent;
import io.cosellsync.events.partnercenter.Customer;
import io.cosellsync.events.partnercenter.ReferralDraft;
import io.cosellsync.events.partnercenter.ReferralSubstatus;
import io.cosellsync.events.partnercenter.ReferralType;
import io.cosellsync.mapping.FieldMap;
import io.cosellsync.mapping.FieldMapper;
import io.cosellsync.mapping.SalesforceImage;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.mapping.TenantMappings;
import io.cosellsync.testing.ConsumedEvent;
import io.cosellsync.testing.KafkaResource;
import io.cosellsync.testing.KafkaTestClient;
import io.cosellsync.testing.PartnerCenterSimulator;
import io.cosellsync.testing.PostgresResource;
import io.cosellsync.testing.Samples;
import io.cosellsync.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The partnercenter-writer against the packaged Partner Center simulator, a real broker and PostgreSQL, with the
 * tenants' credential as ingress leaves it: referrals created once (also after a crash between POST and commit),
 * shared with Microsoft, updated with only what differs, moved through the lifecycle, and refusals reported.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = PartnerCenterSimulator.class, initArgs = @ResourceArg(name = "config-prefix",
        value = "partnercenter-writer.partner-center"))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartnerCenterWriterTest {

    private static final String COMMANDS = Topics.DEFAULT_PREFIX + Topics.PARTNERCENTER_COMMANDS;
    private static final String OUTCOMES = Topics.DEFAULT_PREFIX + Topics.SYNC_OUTCOMES;
    private static final String WRITE_BACKS = Topics.DEFAULT_PREFIX + Topics.SALESFORCE_COMMANDS;
    private static final String DLQ = Topics.DEFAULT_PREFIX + Topics.PARTNERCENTER_WRITER_DLQ;
    private static final URI MAPPER = URI.create("/cosell-sync/mapper-service");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FieldMapper CONTOSO = mapper("contoso");
    /** Its sellers own the name and close date, Partner Center the notes and marketplace intent. */
    private static final FieldMapper FABRIKAM = mapper("fabrikam");

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @BeforeEach
    void signedIn() {
        SignedIn.ensure("contoso");
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static FieldMapper mapper(String tenant) {
        return new FieldMapper(FieldMap.standard(), TenantMappings.read(Path.of("../deploy/local/mappings/" + tenant
                + ".yaml"), FieldMap.standard()));
    }

    private static String opportunityId() {
        return "006" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
    }

    private static CreateReferralCommand create(String opportunityId, String name) {
        ReferralDraft sample = Samples.sample(EventType.CREATE_REFERRAL, CreateReferralCommand.class).referral();
        return new CreateReferralCommand(opportunityId, new ReferralDraft(name, opportunityId, sample.type(),
                sample.qualification(), sample.customer(), sample.consent(), sample.details(), sample.team(),
                sample.inviteContext()), true);
    }

    private Envelope send(String tenant, EventType type, String opportunityId, Object command) {
        Envelope envelope = Envelope.originating(type, MAPPER, opportunityId, TenantId.of(tenant), "v1");
        kafka.send(COMMANDS, envelope, command);
        return envelope;
    }

    private SyncOutcome outcome(Envelope command) {
        return kafka.await(OUTCOMES, e -> command.correlationId().equals(e.correlationId()), Duration.ofSeconds(60))
                .payload(SyncOutcome.class);
    }

    private static List<JsonNode> referrals(String tenant) throws Exception {
        String body = given().baseUri(PartnerCenterSimulator.url()).get("/_sim/tenants/" + tenant + "/referrals")
                .then().statusCode(200).extract().asString();
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(body).forEach(out::add);
        return out;
    }

    private static List<JsonNode> ours(String tenant, String opportunityId) throws Exception {
        return referrals(tenant).stream().filter(r -> opportunityId.equals(r.path("externalReferenceId").asText())
                && !"msft".equals(r.path("organizationId").asText())).toList();
    }

    private static JsonNode referral(String tenant, String id) throws Exception {
        return referrals(tenant).stream().filter(r -> id.equals(r.path("id").asText())).findFirst().orElseThrow();
    }

    private static void faults(Map<String, Double> faults) {
        given().baseUri(PartnerCenterSimulator.url()).contentType(ContentType.JSON).body(faults)
                .put("/_sim/tenants/contoso/faults").then().statusCode(200);
    }

    private static double calls(String method) {
        return calls("contoso", method);
    }

    private static double calls(String tenant, String method) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("cosell_partnercenter_calls_total{")
                && l.contains("method=\"" + method + "\"") && l.contains("tenant=\"" + tenant + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static OpportunityImage image(JsonNode referral, Map<String, Object> opportunityChanges) {
        return image(CONTOSO, referral, opportunityChanges);
    }

    private static OpportunityImage image(FieldMapper mapper, JsonNode referral,
            Map<String, Object> opportunityChanges) {
        SalesforceImage now = mapper.toSalesforce(referral);
        Map<String, Map<String, Object>> records = new LinkedHashMap<>(now.records());
        Map<String, Object> opportunity = new LinkedHashMap<>(now.record("Opportunity"));
        opportunity.putAll(opportunityChanges);
        records.put("Opportunity", opportunity);
        return new OpportunityImage(records, now.collections(), Instant.now());
    }

    /** Microsoft shares a new referral with contoso (98 000 EUR); its id. */
    private static String sharedByMicrosoft(String tag) {
        return given().baseUri(PartnerCenterSimulator.url()).contentType(ContentType.JSON).body("""
                {"name": "Shared %1$s", "type": "Shared",
                 "customerProfile": {"name": "Northwind %1$s", "address": {"city": "Berlin", "country": "DE"},
                   "team": [{"firstName": "Ana", "lastName": "Diaz", "email": "ana@northwind.example"}]},
                 "details": {"notes": "PoC in March.", "dealValue": 98000, "currency": "EUR",
                             "closingDateTime": "2027-03-31T00:00:00Z"}}""".formatted(tag))
                .post("/_sim/tenants/contoso/shared-referrals").then().statusCode(200).extract().path("id");
    }

    private String created(String opportunityId) throws Exception {
        Envelope envelope = send("contoso", EventType.CREATE_REFERRAL, opportunityId, create(opportunityId,
                "Update target " + opportunityId));
        SyncOutcome outcome = outcome(envelope);
        assertEquals(SyncOutcome.Status.SUCCEEDED, outcome.status(), outcome.message());
        return outcome.referralId();
    }

    // --- tests -------------------------------------------------------------------------------------------------

    @Test
    @Order(1) // first: a later test signs fabrikam in
    void readyOnceBrokerAndMigratedSchemaAreThereAndShowingEachTenantsCredential() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"), "checks.name", org.hamcrest.Matchers
                        .hasItem("database-schema")));
        // each tenant's credential: a wellness check, down while fabrikam waits for its sign-in
        given().get("/q/health/well").then().statusCode(503).body(
                "checks.find { it.name == 'partner-center-auth' }.data.contoso", equalTo("SIGNED_IN"),
                "checks.find { it.name == 'partner-center-auth' }.data.fabrikam", equalTo("NOT_SIGNED_IN"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server"));
    }

    @Test
    void aCoSellReferralIsCreatedOnceSharedWithMicrosoftAndWrittenBack() throws Exception {
        String opportunityId = opportunityId();
        CreateReferralCommand command = create(opportunityId, "Northwind data estate " + opportunityId);
        Envelope first = send("contoso", EventType.CREATE_REFERRAL, opportunityId, command);

        SyncOutcome outcome = outcome(first);
        assertEquals(SyncOutcome.Status.SUCCEEDED, outcome.status(), outcome.message());
        List<JsonNode> ours = ours("contoso", opportunityId);
        assertEquals(1, ours.size());
        JsonNode referral = ours.get(0);
        assertEquals(outcome.referralId(), referral.get("id").asText());
        assertEquals("Shared", referral.get("type").asText());
        assertEquals("ProofOfConceptOrDemo", referral.at("/inviteContext/assistanceRequestCode").asText());
        assertTrue(referral.at("/consent/consentToShareReferralWithMicrosoftSellers").asBoolean());
        String engagement = referral.get("engagementId").asText();
        assertEquals(1, referrals("contoso").stream().filter(r -> engagement.equals(r.path("engagementId").asText())
                && "msft".equals(r.path("organizationId").asText())).count(), "Microsoft's side of the engagement");

        ConsumedEvent writeBack = kafka.await(WRITE_BACKS, e -> first.correlationId().equals(e.correlationId()),
                Duration.ofSeconds(30));
        assertEquals(opportunityId, writeBack.key());
        UpdateOpportunityCommand update = writeBack.payload(UpdateOpportunityCommand.class);
        assertEquals(opportunityId, update.opportunityId());
        assertEquals(outcome.referralId(), update.fields().get("Referral_Identifier__c"));
        assertEquals(TenantMapping.DEFAULT_REFERRAL_LINK, update.fields().get("Referral_Link__c"));
        assertEquals(true, update.fields().get("Microsoft_Visibility__c"), "visible to Microsoft sellers");
        assertEquals(UpdateOpportunityCommand.Mark.SUCCEEDED, update.mark());
        assertEquals("Partner_Center_Audit__c", update.auditField());

        // the same command again (a redelivery): still one referral, one Microsoft side
        double posts = calls("POST");
        SyncOutcome again = outcome(send("contoso", EventType.CREATE_REFERRAL, opportunityId, command));
        assertEquals(SyncOutcome.Status.SUCCEEDED, again.status());
        assertEquals(outcome.referralId(), again.referralId());
        assertEquals(1, ours("contoso", opportunityId).size());
        assertEquals(posts, calls("POST"), "no referral posted for a redelivered create");
    }

    @Test
    void aPrivateReferralIsWrittenBackWithoutTickingMicrosoftVisibility() {
        String opportunityId = opportunityId();
        ReferralDraft sample = create(opportunityId, "Private estate " + opportunityId).referral();
        CreateReferralCommand command = new CreateReferralCommand(opportunityId, new ReferralDraft(sample.name(),
                opportunityId, ReferralType.INDEPENDENT, sample.qualification(), sample.customer(),
                new Consent(false, false, false, false), sample.details(), sample.team(), null), false);
        Envelope sent = send("contoso", EventType.CREATE_REFERRAL, opportunityId, command);

        SyncOutcome outcome = outcome(sent);
        assertEquals(SyncOutcome.Status.SUCCEEDED, outcome.status(), outcome.message());
        UpdateOpportunityCommand update = kafka.await(WRITE_BACKS, e -> sent.correlationId().equals(
                e.correlationId()), Duration.ofSeconds(30)).payload(UpdateOpportunityCommand.class);
        assertEquals(outcome.referralId(), update.fields().get("Referral_Identifier__c"));
        assertFalse(update.fields().containsKey("Microsoft_Visibility__c"), "a private referral: " + update.fields());
    }

    @Test
    void aReferralCreatedBeforeACrashIsFoundAndNotCreatedAgain() throws Exception {
        // the writer recorded its intent and posted, then died before recording the referral: as left behind
        String opportunityId = opportunityId();
        TestDatabase.execute("INSERT INTO partnercenter_writer.referral_link (tenant_id, opportunity_id, intent_at)"
                + " VALUES ('contoso', ?, now())", opportunityId);
        CreateReferralCommand command = create(opportunityId, "Crash survivor " + opportunityId);
        String token = SignedIn.accessToken("contoso");
        String posted = given().baseUri(PartnerCenterSimulator.url()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + token)
                .body(io.cosellsync.mapping.ReferralDocument.wire(command.referral()).toString())
                .post("/v1.0/engagements/referrals").then().statusCode(201).extract().path("id");

        SyncOutcome outcome = outcome(send("contoso", EventType.CREATE_REFERRAL, opportunityId, command));
        assertEquals(SyncOutcome.Status.SUCCEEDED, outcome.status(), outcome.message());
        assertEquals(posted, outcome.referralId());
        assertEquals(1, ours("contoso", opportunityId).size());
        assertEquals(posted, TestDatabase.query("SELECT referral_id FROM partnercenter_writer.referral_link"
                + " WHERE tenant_id = 'contoso' AND opportunity_id = ?", opportunityId));
    }

    @Test
    void anUpdateSendsOnlyWhatDiffersAndNothingWhenNothingDoes() throws Exception {
        String opportunityId = opportunityId();
        String referralId = created(opportunityId);
        JsonNode before = referral("contoso", referralId);

        double patches = calls("PATCH");
        UpdateReferralCommand edit = new UpdateReferralCommand(referralId, opportunityId, List.of(), null,
                image(before, Map.of("Amount", new BigDecimal("250000"), "Description", "Two workloads now")));
        SyncOutcome outcome = outcome(send("contoso", EventType.UPDATE_REFERRAL, opportunityId, edit));
        assertEquals(SyncOutcome.Status.SUCCEEDED, outcome.status(), outcome.message());
        JsonNode after = referral("contoso", referralId);
        assertEquals(0, new BigDecimal("250000").compareTo(after.at("/details/dealValue").decimalValue()));
        assertEquals("Two workloads now", after.at("/details/notes").asText());
        assertEquals(before.get("name"), after.get("name"));
        assertEquals(before.at("/customerProfile/team"), after.at("/customerProfile/team"));
        assertEquals(patches + 1, calls("PATCH"), "one PATCH for two fields");

        // the same image again (our own change coming round): read, compared, nothing sent
        SyncOutcome echo = outcome(send("contoso", EventType.UPDATE_REFERRAL, opportunityId, edit));
        assertEquals(SyncOutcome.Status.SUCCEEDED, echo.status());
        assertTrue(echo.message().contains("already up to date"), echo.message());
        assertEquals(patches + 1, calls("PATCH"));
    }

    @Test
    void aFurtherUpdateIsSentWithoutReadingTheReferralUnlessItChangedSinceOurWrite() throws Exception {
        String opportunityId = opportunityId();
        String referralId = created(opportunityId);
        JsonNode before = referral("contoso", referralId);
        SyncOutcome first = outcome(send("contoso", EventType.UPDATE_REFERRAL, opportunityId,
                new UpdateReferralCommand(referralId, opportunityId, List.of(), null, image(before, Map.of(
                        "Amount", new BigDecimal("310000"))))));
        assertEquals(SyncOutcome.Status.SUCCEEDED, first.status(), first.message());
        String link = "FROM partnercenter_writer.referral_link WHERE tenant_id = 'contoso' AND opportunity_id = ?";
        String firstVersion = TestDatabase.query("SELECT written_etag " + link, opportunityId);
        String versions = TestDatabase.query("SELECT cardinality(written_etags)::text " + link, opportunityId);

        // the referral is as our PATCH left it: diffed against that, sent with its eTag, no GET
        double gets = calls("GET");
        double patches = calls("PATCH");
        SyncOutcome second = outcome(send("contoso", EventType.UPDATE_REFERRAL, opportunityId,
                new UpdateReferralCommand(referralId, opportunityId, List.of(), null, image(before, Map.of(
                        "Amount", new BigDecimal("320000"))))));
        assertEquals(SyncOutcome.Status.SUCCEEDED, second.status(), second.message());
        assertEquals(gets, calls("GET"), "not read");
        assertEquals(patches + 1, calls("PATCH"));
        assertEquals(0, new BigDecimal("320000").compareTo(referral("contoso", referralId).at("/details/dealValue")
                .decimalValue()));
        // the versions our writes made are kept, newest first, so a late echo of the first is still known as ours
        String secondVersion = TestDatabase.query("SELECT written_etag " + link, opportunityId);
        assertTrue(firstVersion != null && !firstVersion.equals(secondVersion), firstVersion + " " + secondVersion);
        assertEquals(secondVersion, TestDatabase.query("SELECT written_etags[1] " + link, opportunityId));
        assertEquals(firstVersion, TestDatabase.query("SELECT written_etags[2] " + link, opportunityId));
        assertEquals(Integer.parseInt(versions) + 1, Integer.parseInt(TestDatabase.query(
                "SELECT cardinality(written_etags)::text " + link, opportunityId)));

        // "Microsoft" changes it after someone's read: our eTag is stale, the PATCH refused, the referral read
        faults(Map.of("ETAG_CHURN", 1.0));
        try {
            given().baseUri(PartnerCenterSimulator.url()).header("Authorization", "Bearer "
                    + SignedIn.accessToken("contoso")).get("/v1.0/engagements/referrals/" + referralId)
                    .then().statusCode(200);
        } finally {
            faults(Map.of());
        }
        SyncOutcome third = outcome(send("contoso", EventType.UPDATE_REFERRAL, opportunityId,
                new UpdateReferralCommand(referralId, opportunityId, List.of(), null, image(before, Map.of(
                        "Amount", new BigDecimal("330000"))))));
        assertEquals(SyncOutcome.Status.SUCCEEDED, third.status(), third.message());
        assertEquals(gets + 1, calls("GET"), "read once, after the 412");
        assertEquals(patches + 3, calls("PATCH"), "refused once, then sent again");
        assertEquals(0, new BigDecimal("330000").compareTo(referral("contoso", referralId).at("/details/dealValue")
                .decimalValue()));
    }

    @Test
    void ourOwnLinkWriteDoesNotMakePartnerCentersOlderValuesLaterThanASellersSave() throws Exception {
        // Microsoft shares a referral; the salesforce-writer created its opportunity and links the two (our PATCH of
        // externalReferenceId, nothing agreed yet). A seller's Amount saved after the share but before that PATCH
        // is later than Partner Center's amount: the PATCH changed the referral's updatedDateTime, not its amount
        String opportunityId = opportunityId();
        String referralId = sharedByMicrosoft(opportunityId);
        Instant shared = Instant.parse(referral("contoso", referralId).path("updatedDateTime").asText());
        SyncOutcome linked = outcome(send("contoso", EventType.UPDATE_REFERRAL, opportunityId,
                new UpdateReferralCommand(referralId, opportunityId, List.of(new PatchOperation("replace",
                        "/externalReferenceId", opportunityId)), null, null)));
        assertEquals(SyncOutcome.Status.SUCCEEDED, linked.status(), linked.message());
        JsonNode before = referral("contoso", referralId);
        Instant link = Instant.parse(before.path("updatedDateTime").asText());
        assertTrue(link.isAfter(shared.plusMillis(2)), shared + " " + link);

        Instant saved = shared.plusMillis(Duration.between(shared, link).toMillis() / 2);
        OpportunityImage seller = image(before, Map.of("Amount", new BigDecimal("120000")));
        SyncOutcome edit = outcome(send("contoso", EventType.UPDATE_REFERRAL, opportunityId,
                new UpdateReferralCommand(referralId, opportunityId, List.of(), null, new OpportunityImage(
                        seller.records(), seller.collections(), saved))));
        assertEquals(SyncOutcome.Status.SUCCEEDED, edit.status(), edit.message());
        assertEquals(0, new BigDecimal("120000").compareTo(referral("contoso", referralId).at("/details/dealValue")
                .decimalValue()), edit.message());
    }

    @Test
    void theLinkOfASharedReferralAgreesOnTheOpportunityAsCreated() throws Exception {
        // the salesforce-writer created the opportunity from Microsoft's share and links the two, with the
        // opportunity as created. Microsoft then raises the deal value; a seller edits the notes of an opportunity
        // that does not hold the new value yet. The stale amount is no move of the seller's: only the notes are sent
        String opportunityId = opportunityId();
        String referralId = sharedByMicrosoft(opportunityId);
        JsonNode shared = referral("contoso", referralId);
        OpportunityImage created = image(shared, Map.of());
        SyncOutcome linked = outcome(send("contoso", EventType.UPDATE_REFERRAL, opportunityId,
                new UpdateReferralCommand(referralId, opportunityId, List.of(new PatchOperation("replace",
                        "/externalReferenceId", opportunityId)), null, new OpportunityImage(created.records(),
                                created.collections(), Instant.now().minusSeconds(5)))));
        assertEquals(SyncOutcome.Status.SUCCEEDED, linked.status(), linked.message());

        given().baseUri(PartnerCenterSimulator.url()).contentType(ContentType.JSON).body(Map.of("dealValue", 120000))
                .post("/_sim/tenants/contoso/referrals/" + referralId + "/microsoft").then().statusCode(200);
        OpportunityImage stale = image(shared, Map.of("Description", "The seller's notes"));
        SyncOutcome edit = outcome(send("contoso", EventType.UPDATE_REFERRAL, opportunityId,
                new UpdateReferralCommand(referralId, opportunityId, List.of(), null, new OpportunityImage(
                        stale.records(), stale.collections(), Instant.now().plusSeconds(1)))));
        assertEquals(SyncOutcome.Status.SUCCEEDED, edit.status(), edit.message());
        JsonNode after = referral("contoso", referralId);
        assertEquals("The seller's notes", after.at("/details/notes").asText(), edit.message());
        assertEquals(0, new BigDecimal("120000").compareTo(after.at("/details/dealValue").decimalValue()),
                edit.message());
    }

    @Test
    void valuesOneSideOwnsAreSetBackWhereTheOtherSideChangedThem() throws Exception {
        SignedIn.ensure("fabrikam");
        String opportunityId = opportunityId();
        SyncOutcome created = outcome(send("fabrikam", EventType.CREATE_REFERRAL, opportunityId,
                create(opportunityId, "Owned " + opportunityId)));
        assertEquals(SyncOutcome.Status.SUCCEEDED, created.status(), created.message());
        String referralId = created.referralId();
        JsonNode before = referral("fabrikam", referralId);

        // a seller changes the notes, which Partner Center owns: not sent, and Partner Center's go back on the
        // opportunity, said in the Audit line
        double patches = calls("fabrikam", "PATCH");
        Envelope edit = send("fabrikam", EventType.UPDATE_REFERRAL, opportunityId, new UpdateReferralCommand(
                referralId, opportunityId, List.of(), null, image(FABRIKAM, before, Map.of("Description",
                        "seller's notes"))));
        SyncOutcome outcome = outcome(edit);
        assertEquals(SyncOutcome.Status.SUCCEEDED, outcome.status(), outcome.message());
        UpdateOpportunityCommand back = kafka.await(WRITE_BACKS, e -> edit.correlationId().equals(
                e.correlationId()), Duration.ofSeconds(30)).payload(UpdateOpportunityCommand.class);
        assertEquals(Map.of("Description", before.at("/details/notes").asText()), back.fields());
        assertTrue(back.reason().contains("Description"), back.reason());
        assertEquals(patches, calls("fabrikam", "PATCH"), "nothing sent");
        assertEquals(before.at("/details/notes"), referral("fabrikam", referralId).at("/details/notes"));

        // the partner's user changes the close date, which the sellers own: the restore sets it back, once
        String agreed = before.at("/details/closingDateTime").asText();
        given().baseUri(PartnerCenterSimulator.url()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + SignedIn.accessToken("fabrikam"))
                .body(List.of(Map.of("op", "replace", "path", "/details/closingDateTime", "value",
                        "2031-01-31T00:00:00Z"), Map.of("op", "replace", "path", "/details/notes", "value",
                        "partner's notes"))).patch("/v1.0/engagements/referrals/" + referralId)
                .then().statusCode(204);
        SyncOutcome restored = outcome(send("fabrikam", EventType.UPDATE_REFERRAL, referralId,
                UpdateReferralCommand.restoreSalesforceOwned(referralId, null)));
        assertEquals(SyncOutcome.Status.SUCCEEDED, restored.status(), restored.message());
        assertEquals(opportunityId, restored.opportunityId(), "found by the referral");
        JsonNode after = referral("fabrikam", referralId);
        assertEquals(agreed.substring(0, 10), after.at("/details/closingDateTime").asText().substring(0, 10));
        assertEquals("partner's notes", after.at("/details/notes").asText(), "Partner Center's own value stays");
        assertEquals(patches + 1, calls("fabrikam", "PATCH"));

        SyncOutcome again = outcome(send("fabrikam", EventType.UPDATE_REFERRAL, referralId,
                UpdateReferralCommand.restoreSalesforceOwned(referralId, null)));
        assertEquals(SyncOutcome.Status.SUCCEEDED, again.status(), again.message());
        assertEquals(patches + 1, calls("fabrikam", "PATCH"), "nothing differs any more");
    }

    @Test
    void anUpdateRereadsAndRetriesWhenTheReferralKeepsChanging() throws Exception {
        String opportunityId = opportunityId();
        String referralId = created(opportunityId);
        JsonNode before = referral("contoso", referralId);
        double patches = calls("PATCH");
        // most reads are followed by "Microsoft" editing the referral: our If-Match is stale (412) most of the time
        faults(Map.of("ETAG_CHURN", 0.8));
        int edits = 0;
        try {
            // one in five first reads is not followed by an edit: edit again until one was (at most ten times)
            while (churned() == 0 && edits < 10) {
                edits++;
                // what the writer last wrote is out of date once "Microsoft" edited after any read: read it here
                given().baseUri(PartnerCenterSimulator.url()).header("Authorization", "Bearer "
                        + SignedIn.accessToken("contoso")).get("/v1.0/engagements/referrals/" + referralId)
                        .then().statusCode(200);
                UpdateReferralCommand edit = new UpdateReferralCommand(referralId, opportunityId, List.of(), null,
                        image(before, Map.of("Description", "edited while Microsoft edits too, " + edits)));
                SyncOutcome outcome = outcome(send("contoso", EventType.UPDATE_REFERRAL, opportunityId, edit));
                assertEquals(SyncOutcome.Status.SUCCEEDED, outcome.status(), outcome.message());
            }
            assertTrue(churned() > 0);
        } finally {
            faults(Map.of());
        }
        assertTrue(calls("PATCH") >= patches + edits + 1, "refused with 412 at least once, then sent again");
        assertEquals("edited while Microsoft edits too, " + edits, referral("contoso", referralId)
                .at("/details/notes").asText());
    }

    /** How many times the simulator's eTag churn fired for contoso. */
    private static int churned() {
        Integer injected = given().baseUri(PartnerCenterSimulator.url()).get("/_sim/tenants/contoso/faults").then()
                .extract().path("injected.ETAG_CHURN");
        return injected == null ? 0 : injected;
    }

    @Test
    void aPendingReferralWonInSalesforceIsAcceptedThenWonAndAClosedOneIsLeftAlone() throws Exception {
        JsonNode shared = given().baseUri(PartnerCenterSimulator.url()).contentType(ContentType.JSON)
                .body(io.cosellsync.mapping.ReferralDocument.wire(create("ignored", "From Microsoft")
                        .referral()).toString())
                .post("/_sim/tenants/contoso/shared-referrals").then().statusCode(200).extract().as(JsonNode.class);
        String referralId = shared.get("id").asText();
        String opportunityId = opportunityId();
        assertEquals("New", shared.get("status").asText());

        String won = CONTOSO.tenant().closedStage(ReferralSubstatus.WON);
        UpdateReferralCommand win = new UpdateReferralCommand(referralId, opportunityId, List.of(), null,
                image(shared, Map.of("StageName", won)));
        SyncOutcome outcome = outcome(send("contoso", EventType.UPDATE_REFERRAL, opportunityId, win));
        assertEquals(SyncOutcome.Status.SUCCEEDED, outcome.status(), outcome.message());
        JsonNode after = referral("contoso", referralId);
        assertEquals("Closed", after.get("status").asText());
        assertEquals("Won", after.get("substatus").asText());
        assertNotNull(after.get("acceptedDateTime").textValue(), "accepted on the way to won");

        double patches = calls("PATCH");
        UpdateReferralCommand late = new UpdateReferralCommand(referralId, opportunityId, List.of(), null,
                image(after, Map.of("Description", "edited after closing")));
        SyncOutcome skipped = outcome(send("contoso", EventType.UPDATE_REFERRAL, opportunityId, late));
        assertEquals(SyncOutcome.Status.SKIPPED, skipped.status());
        assertEquals("REFERRAL_CLOSED", skipped.reasonCode());
        assertEquals(patches, calls("PATCH"));
    }

    @Test
    void aReferralPartnerCenterRefusesIsDeadLetteredWithItsErrorAndNotWrittenBackTwice() throws Exception {
        String opportunityId = opportunityId();
        CreateReferralCommand valid = create(opportunityId, "Refused " + opportunityId);
        Customer c = valid.referral().customer();
        ReferralDraft bad = new ReferralDraft(valid.referral().name(), opportunityId, valid.referral().type(),
                valid.referral().qualification(), new Customer(c.name(), new io.cosellsync.events.partnercenter
                        .Address("1 Main St", null, "Seattle", "WA", "98101", "USA", null), c.size(), c.contacts()),
                valid.referral().consent(), valid.referral().details(), valid.referral().team(),
                valid.referral().inviteContext());
        Envelope envelope = send("contoso", EventType.CREATE_REFERRAL, opportunityId, new CreateReferralCommand(
                opportunityId, bad, true));

        SyncOutcome outcome = outcome(envelope);
        assertEquals(SyncOutcome.Status.FAILED, outcome.status());
        assertEquals("PARTNER_CENTER_REJECTED_400", outcome.reasonCode());
        DeadLetter letter = kafka.await(DLQ, e -> envelope.correlationId().equals(e.correlationId()),
                Duration.ofSeconds(30)).payload(DeadLetter.class);
        assertEquals("PARTNER_CENTER_REJECTED_400", letter.reasonCode());
        assertTrue(letter.reason().contains("InvalidCountryCode"), letter.reason());
        assertTrue(ours("contoso", opportunityId).isEmpty());
        assertNull(TestDatabase.query("SELECT referral_id FROM partnercenter_writer.referral_link"
                + " WHERE tenant_id = 'contoso' AND opportunity_id = ?", opportunityId));
        // no write-back of its own: the dead letter puts ✖ and the reason on the opportunity (salesforce-writer).
        // The corrected command, on the same partition after it, is written back; the refused one never was.
        Envelope corrected = send("contoso", EventType.CREATE_REFERRAL, opportunityId, valid);
        kafka.await(WRITE_BACKS, e -> corrected.correlationId().equals(e.correlationId()), Duration.ofSeconds(30));
        assertTrue(kafka.readAll(WRITE_BACKS).stream().noneMatch(e -> envelope.correlationId().equals(
                e.correlationId())));
    }

    @Test
    void aCommandOfTheWrongTypeIsDeadLettered() {
        // an opportunity command on the Partner Center topic: valid JSON, wrong place
        Envelope misrouted = Envelope.originating(EventType.UPSERT_OPPORTUNITY, MAPPER, "misrouted-1",
                TenantId.of("contoso"), null);
        kafka.send(COMMANDS, misrouted, Samples.sample(EventType.UPSERT_OPPORTUNITY,
                io.cosellsync.events.command.UpsertOpportunityCommand.class));

        ConsumedEvent dead = kafka.await(DLQ, e -> "misrouted-1".equals(e.key()), Duration.ofSeconds(30));
        DeadLetter letter = dead.payload(DeadLetter.class);
        assertEquals("partnercenter-writer", letter.service());
        assertTrue(letter.reason().contains("not accepted here"), letter.reason());
        assertEquals(misrouted.correlationId(), dead.correlationId());
        assertEquals(0L, TestDatabase.count("SELECT count(*) FROM partnercenter_writer.processed_event"
                + " WHERE tenant_id = ? AND event_id = ?", "contoso", misrouted.id()));
    }
}
