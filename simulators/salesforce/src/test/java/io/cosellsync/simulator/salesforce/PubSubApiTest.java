package io.cosellsync.simulator.salesforce;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.PublishRequest;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.TopicInfo;
import com.salesforce.eventbus.protobuf.TopicRequest;
import io.cosellsync.simulator.salesforce.cdc.ChangeEventSchema;
import io.cosellsync.simulator.salesforce.cdc.PubSubErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Pub/Sub API as a Salesforce client uses it: grpc-java over TLS (trusting the simulator's CA), change events of
 * REST writes decoded with the schema each event names, replay, flow control, and the documented errors.
 */
@QuarkusTest
@QuarkusTestResource(TlsResource.class)
class PubSubApiTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    private Org org;
    private PubSubClient client;

    @BeforeEach
    void connect() throws Exception {
        org = Org.fresh("contoso");
        client = client(org.token, org.credentials.getString("organizationId"));
    }

    @AfterEach
    void disconnect() throws Exception {
        client.close();
    }

    static PubSubClient client(String token, String orgId) throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
        return new PubSubClient(port, TlsResource.directory.resolve("ca.pem"), token, "https://localhost:" + port,
                orgId);
    }

    static FetchRequest fetch(String topic, ReplayPreset preset, int n) {
        return FetchRequest.newBuilder().setTopicName(topic).setReplayPreset(preset).setNumRequested(n).build();
    }

    private PubSubClient.Stream subscribe(FetchRequest first) {
        return subscribe(client, "contoso", first);
    }

    /** Opens a stream and waits until the simulator has taken its first request (its starting point is set). */
    static PubSubClient.Stream subscribe(PubSubClient client, String tenant, FetchRequest first) {
        int before = streams(tenant);
        PubSubClient.Stream stream = client.subscribe(first);
        Awaitility.await().atMost(WAIT).until(() -> streams(tenant) > before);
        return stream;
    }

    static int streams(String tenant) {
        return given().get("/_sim/pubsub/orgs/" + tenant).then().statusCode(200).extract().path("openStreams");
    }

    @Test
    void restWritesArriveAsDecodedChangeEventsWithTheirHeaders() throws Exception {
        PubSubClient.Stream stream = subscribe(fetch("/data/OpportunityChangeEvent", ReplayPreset.LATEST, 10));
        String account = org.account("Tailspin Toys");
        String opportunity = org.opportunity("Tailspin renewal", account);
        org.patch("/sobjects/Opportunity/" + opportunity, Map.of("StageName", "Qualification",
                "Description", "first call", "Name", "Tailspin renewal")).then().statusCode(204);
        Map<String, Object> clear = new java.util.HashMap<>();
        clear.put("Description", null);
        org.patch("/sobjects/Opportunity/" + opportunity, clear).then().statusCode(204);

        List<ConsumerEvent> events = stream.events(3, WAIT);
        assertEquals(3, events.size(), "the account is not on the opportunity channel");
        GenericRecord created = client.decode(events.get(0));
        GenericRecord header = (GenericRecord) created.get("ChangeEventHeader");
        assertEquals("Opportunity", header.get("entityName").toString());
        assertEquals(List.of(opportunity), strings(header.get("recordIds")));
        assertEquals("CREATE", header.get("changeType").toString());
        assertEquals("com/salesforce/api/rest/62.0;client=cosell-sync-test", header.get("changeOrigin").toString());
        assertEquals(org.integrationUserId(), header.get("commitUser").toString());
        assertEquals(1, header.get("sequenceNumber"));
        assertTrue(Math.abs((Long) header.get("commitTimestamp") - System.currentTimeMillis()) < 60_000);
        assertEquals("Tailspin renewal", created.get("Name").toString());
        assertEquals(50000.0, created.get("Amount"));
        assertEquals(List.of(), strings(header.get("changedFields")), "a create lists no changed fields");

        GenericRecord updated = client.decode(events.get(1));
        GenericRecord updateHeader = (GenericRecord) updated.get("ChangeEventHeader");
        assertEquals("UPDATE", updateHeader.get("changeType").toString());
        // Qualification has Prospecting's probability and forecast category, so only what moved is listed (not
        // the name sent unchanged, nor the same modifying user)
        assertEquals(Set.of("StageName", "Description", "LastModifiedDate"),
                Set.copyOf(ChangeEventSchema.fieldNames(client.schemaOf(events.get(1)),
                        strings(updateHeader.get("changedFields")))));
        assertEquals("Qualification", updated.get("StageName").toString());
        assertNull(updated.get("Name"), "unchanged fields are null in an update");
        assertNotEquals(header.get("transactionKey").toString(), updateHeader.get("transactionKey").toString());

        GenericRecord nulled = (GenericRecord) client.decode(events.get(2)).get("ChangeEventHeader");
        assertEquals(List.of("Description"), ChangeEventSchema.fieldNames(client.schemaOf(events.get(2)),
                strings(nulled.get("nulledFields"))));

        // the CA clients trust is exported
        assertEquals(java.nio.file.Files.readString(TlsResource.directory.resolve("ca.pem")),
                given().get("/_sim/pubsub/ca.pem").then().statusCode(200).extract().asString());
        TopicInfo topic = client.blocking.getTopic(TopicRequest.newBuilder().setTopicName(
                "/data/OpportunityChangeEvent").build());
        assertEquals(events.get(0).getEvent().getSchemaId(), topic.getSchemaId());
        assertEquals(org.credentials.getString("organizationId"), topic.getTenantGuid());
        assertTrue(topic.getCanSubscribe());
        assertFalse(topic.getCanPublish());
    }

    @Test
    void aCustomChannelCarriesOnlyTheRecordsItsFilterPassesAsCommitted() throws Exception {
        given().contentType(ContentType.JSON).body(Map.of("members", List.of(Map.of("entity", "Opportunity",
                "filter", "Amount > 100000")))).put("/_sim/pubsub/orgs/contoso/channels/BigDeals__chn")
                .then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("members", List.of(Map.of("entity", "Opportunity",
                "filter", "NoSuchField__c = 1")))).put("/_sim/pubsub/orgs/contoso/channels/Broken__chn")
                .then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("members", List.of(Map.of("entity",
                "OpportunityTeamMember")))).put("/_sim/pubsub/orgs/contoso/channels/Team__chn").then().statusCode(400);
        // a channel of one object has that object's schema
        assertEquals(client.blocking.getTopic(TopicRequest.newBuilder().setTopicName("/data/OpportunityChangeEvent")
                .build()).getSchemaId(), client.blocking.getTopic(TopicRequest.newBuilder()
                .setTopicName("/data/BigDeals__chn").build()).getSchemaId());

        PubSubClient.Stream stream = subscribe(fetch("/data/BigDeals__chn", ReplayPreset.LATEST, 10));
        String account = org.account("Channel Co");
        String small = org.opportunity("Small deal", account);
        String big = org.create("Opportunity", Map.of("Name", "Big deal", "StageName", "Prospecting",
                "CloseDate", "2026-12-31", "AccountId", account, "Amount", 250000));
        org.patch("/sobjects/Opportunity/" + small, Map.of("Description", "still small")).then().statusCode(204);
        // the amount did not change, yet the committed record passes the filter
        org.patch("/sobjects/Opportunity/" + big, Map.of("Description", "still big")).then().statusCode(204);
        List<ConsumerEvent> events = stream.events(2, WAIT);
        List<String> seen = new ArrayList<>();
        for (ConsumerEvent e : events) {
            GenericRecord header = (GenericRecord) client.decode(e).get("ChangeEventHeader");
            seen.add(header.get("changeType") + " " + strings(header.get("recordIds")).get(0));
        }
        assertEquals(List.of("CREATE " + big, "UPDATE " + big), seen);
        assertNull(stream.responses.poll(300, TimeUnit.MILLISECONDS), "nothing of the small deal or the account");
    }

    @Test
    void anUpdateThatMakesALongTextLongArrivesAsADiffOfLines() throws Exception {
        String account = org.account("Diff Co");
        String opportunity = org.opportunity("Long notes", account);
        StringBuilder notes = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            notes.append("line ").append(i).append(" of the meeting notes, long enough to matter\n");
        }
        String before = notes.toString();
        org.patch("/sobjects/Opportunity/" + opportunity, Map.of("Description", before)).then().statusCode(204);
        PubSubClient.Stream stream = subscribe(fetch("/data/OpportunityChangeEvent", ReplayPreset.LATEST, 10));
        String after = before.replace("line 17 of", "line seventeen of") + "one more line";
        org.patch("/sobjects/Opportunity/" + opportunity, Map.of("Description", after)).then().statusCode(204);

        ConsumerEvent event = stream.events(1, WAIT).get(0);
        GenericRecord body = client.decode(event);
        GenericRecord header = (GenericRecord) body.get("ChangeEventHeader");
        assertEquals(List.of("Description"), ChangeEventSchema.fieldNames(client.schemaOf(event),
                strings(header.get("diffFields"))));
        String diff = body.get("Description").toString();
        assertTrue(diff.startsWith("--- \n+++ " + java.util.HexFormat.of().formatHex(java.security.MessageDigest
                .getInstance("SHA-256").digest(after.getBytes(java.nio.charset.StandardCharsets.UTF_8))) + "\n"), diff);
        assertEquals(after, applyDiff(before, diff));
    }

    /** What a subscriber does with a diff field: the one hunk's removed lines replaced by its added ones. */
    private static String applyDiff(String before, String diff) {
        String[] parts = diff.split("\n", -1);
        String[] ranges = parts[2].split(" ");
        int start = Integer.parseInt(ranges[1].substring(1).split(",")[0]);
        int removed = Integer.parseInt(ranges[1].split(",")[1]);
        List<String> old = List.of(before.split("\n", -1));
        int from = removed == 0 ? start : start - 1;
        List<String> lines = new ArrayList<>(old.subList(0, from));
        for (int i = 3; i < parts.length; i++) {
            if (parts[i].startsWith("+")) {
                lines.add(parts[i].substring(1));
            }
        }
        lines.addAll(old.subList(from + removed, old.size()));
        return String.join("\n", lines);
    }

    @Test
    void aDeleteCarriesNoValuesAndTheSellersUndeleteTheWholeRecordWithoutAnApiOrigin() throws Exception {
        String account = org.account("Recycled Co");
        PubSubClient.Stream stream = subscribe(fetch("/data/AccountChangeEvent", ReplayPreset.LATEST, 10));
        org.rest().delete(Org.V + "/sobjects/Account/" + account).then().statusCode(204);
        given().contentType(io.restassured.http.ContentType.JSON).post("/_sim/orgs/contoso/seller/undelete/"
                + account).then().statusCode(204);
        List<ConsumerEvent> events = stream.events(2, WAIT);
        GenericRecord deleted = client.decode(events.get(0));
        assertEquals("DELETE", ((GenericRecord) deleted.get("ChangeEventHeader")).get("changeType").toString());
        assertNull(deleted.get("Name"));
        GenericRecord undeleted = client.decode(events.get(1));
        GenericRecord header = (GenericRecord) undeleted.get("ChangeEventHeader");
        assertEquals("UNDELETE", header.get("changeType").toString());
        assertEquals("Recycled Co", undeleted.get("Name").toString());
        assertEquals(org.sellerId(), header.get("commitUser").toString());
        assertEquals("", header.get("changeOrigin").toString(), "a change made in the UI has no API origin");
    }

    @Test
    void aCollectionsCallIsOneTransactionWithItsRecordsInSequence() throws Exception {
        PubSubClient.Stream stream = subscribe(fetch("/data/ChangeEvents", ReplayPreset.LATEST, 10));
        org.post("/composite/sobjects", Map.of("allOrNone", true, "records", List.of(
                Map.of("attributes", Map.of("type", "Account"), "Name", "One"),
                Map.of("attributes", Map.of("type", "Contact"), "LastName", "Two", "FirstName", "Ada"))))
                .then().statusCode(200);
        List<ConsumerEvent> events = stream.events(2, WAIT);
        GenericRecord account = (GenericRecord) client.decode(events.get(0)).get("ChangeEventHeader");
        GenericRecord contact = client.decode(events.get(1));
        GenericRecord contactHeader = (GenericRecord) contact.get("ChangeEventHeader");
        assertEquals(account.get("transactionKey").toString(), contactHeader.get("transactionKey").toString());
        assertEquals(List.of(1, 2), List.of(account.get("sequenceNumber"), contactHeader.get("sequenceNumber")));
        assertEquals("Contact", contactHeader.get("entityName").toString());
        GenericRecord name = (GenericRecord) contact.get("Name");
        assertEquals("Ada", name.get("FirstName").toString());
        assertEquals("Two", name.get("LastName").toString());
    }

    @Test
    void aCustomReplayResumesWithExactlyTheEventsAfterThatId() throws Exception {
        for (int i = 0; i < 6; i++) {
            org.account("Replayed " + i);
        }
        PubSubClient.Stream all = subscribe(fetch("/data/AccountChangeEvent", ReplayPreset.EARLIEST, 100));
        List<ConsumerEvent> everything = all.events(6, WAIT);
        ByteString third = everything.get(2).getReplayId();

        PubSubClient.Stream resumed = subscribe(FetchRequest.newBuilder().setTopicName("/data/AccountChangeEvent")
                .setReplayPreset(ReplayPreset.CUSTOM).setReplayId(third).setNumRequested(100).build());
        List<ConsumerEvent> after = resumed.events(3, WAIT);
        assertEquals(everything.subList(3, 6).stream().map(ConsumerEvent::getReplayId).toList(),
                after.stream().map(ConsumerEvent::getReplayId).toList());
        assertNull(resumed.responses.poll(500, TimeUnit.MILLISECONDS), "nothing more than the three later events");
    }

    @Test
    void earliestDeliversAThousandWritesUnderFlowControl() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int call = 0; call < 5; call++) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                records.add(Map.of("attributes", Map.of("type", "Account"), "Name", "Bulk " + call + "-" + i));
            }
            ids.addAll(org.post("/composite/sobjects", Map.of("allOrNone", true, "records", records)).then()
                    .statusCode(200).extract().jsonPath().getList("id", String.class));
        }
        // asking for 500 is clamped to 100 outstanding
        PubSubClient.Stream stream = subscribe(fetch("/data/AccountChangeEvent", ReplayPreset.EARLIEST, 500));
        List<String> received = new ArrayList<>();
        while (received.size() < 1000) {
            int owed = 100;
            while (owed > 0) {
                FetchResponse response = stream.next(WAIT);
                owed -= response.getEventsCount();
                assertEquals(owed, response.getPendingNumRequested());
                for (ConsumerEvent e : response.getEventsList()) {
                    received.add(strings(((GenericRecord) client.decode(e).get("ChangeEventHeader"))
                            .get("recordIds")).get(0));
                }
            }
            assertNull(stream.responses.poll(300, TimeUnit.MILLISECONDS), "nothing beyond what was requested");
            if (received.size() < 1000) {
                stream.request(FetchRequest.newBuilder().setNumRequested(100).build());
            }
        }
        assertEquals(ids, received, "every write once, in commit order");
    }

    @Test
    void anIdleStreamGetsKeepalivesAndIsClosedWhenNothingIsRequested() throws Exception {
        String id = org.account("Quiet");
        PubSubClient.Stream stream = subscribe(fetch("/data/AccountChangeEvent", ReplayPreset.EARLIEST, 1));
        ConsumerEvent only = stream.events(1, WAIT).get(0);
        advance(271);
        FetchResponse keepalive = stream.next(WAIT);
        assertEquals(0, keepalive.getEventsCount());
        assertEquals(only.getReplayId(), keepalive.getLatestReplayId());
        assertEquals(id, strings(((GenericRecord) client.decode(only).get("ChangeEventHeader")).get("recordIds"))
                .get(0));
        // nothing owed and nothing asked for 70 s: closed
        advance(71);
        Throwable end = stream.ended.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(end != null && "completed".equals(end.getMessage()), String.valueOf(end));
    }

    @Test
    void eachOrgSeesOnlyItsOwnEvents() throws Exception {
        Org fabrikam = Org.signIn("fabrikam");
        try (PubSubClient other = client(fabrikam.token, fabrikam.credentials.getString("organizationId"))) {
            PubSubClient.Stream theirs = other.subscribe(fetch("/data/ChangeEvents", ReplayPreset.LATEST, 10));
            Awaitility.await().atMost(WAIT).until(() -> streams("fabrikam") == 1);
            org.account("Contoso only");
            String theirAccount = fabrikam.account("Fabrikam only");
            ConsumerEvent event = theirs.events(1, WAIT).get(0);
            assertEquals(theirAccount, strings(((GenericRecord) other.decode(event).get("ChangeEventHeader"))
                    .get("recordIds")).get(0));
            assertNull(theirs.responses.poll(500, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void callsWithoutAValidSessionAreUnauthenticated() throws Exception {
        TopicRequest topic = TopicRequest.newBuilder().setTopicName("/data/ChangeEvents").build();
        assertError(Status.Code.UNAUTHENTICATED, "service.auth.headers.invalid",
                () -> com.salesforce.eventbus.protobuf.PubSubGrpc.newBlockingStub(client.channel).getTopic(topic));
        try (PubSubClient stranger = client("00Dnotatoken!nope", org.credentials.getString("organizationId"))) {
            assertError(Status.Code.UNAUTHENTICATED, "service.auth.error", () -> stranger.blocking.getTopic(topic));
        }
        Org fabrikam = Org.signIn("fabrikam");
        try (PubSubClient mismatched = client(org.token, fabrikam.credentials.getString("organizationId"))) {
            assertError(Status.Code.UNAUTHENTICATED, "service.auth.error", () -> mismatched.blocking.getTopic(topic));
        }
        // a session revoked under an open stream ends it
        PubSubClient.Stream stream = subscribe(fetch("/data/ChangeEvents", ReplayPreset.LATEST, 10));
        given().post("/_sim/orgs/contoso/sessions/revoke").then().statusCode(200);
        StatusRuntimeException e = stream.error(WAIT);
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertEquals("sfdc.platform.eventbus.grpc.service.auth.error", e.getTrailers().get(PubSubErrors.ERROR_CODE));
    }

    @Test
    void badRequestsEndTheStreamWithTheDocumentedErrorCodes() throws Exception {
        assertStreamError(fetch("/data/NoSuchChangeEvent", ReplayPreset.LATEST, 1), Status.Code.NOT_FOUND,
                "topic.not.found");
        assertError(Status.Code.NOT_FOUND, "topic.not.found", () -> client.blocking.getTopic(
                TopicRequest.newBuilder().setTopicName("/data/NoSuchChangeEvent").build()));
        assertStreamError(fetch("/data/ChangeEvents", ReplayPreset.LATEST, 0), Status.Code.INVALID_ARGUMENT,
                "subscription.fetch.requested.events.invalid");
        assertStreamError(fetch("/data/ChangeEvents", ReplayPreset.CUSTOM, 1), Status.Code.INVALID_ARGUMENT,
                "subscription.fetch.replayid.validation.failed");
        assertStreamError(FetchRequest.newBuilder().setTopicName("/data/ChangeEvents")
                .setReplayPreset(ReplayPreset.CUSTOM).setReplayId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6,
                        7, 8})).setNumRequested(1).build(), Status.Code.INVALID_ARGUMENT,
                "subscription.fetch.replayid.corrupted");
        PubSubClient.Stream stream = subscribe(fetch("/data/ChangeEvents", ReplayPreset.LATEST, 1));
        stream.request(fetch("/data/AccountChangeEvent", ReplayPreset.LATEST, 1));
        StatusRuntimeException mismatch = stream.error(WAIT);
        assertEquals("sfdc.platform.eventbus.grpc.subscription.fetch.topic.mismatch",
                mismatch.getTrailers().get(PubSubErrors.ERROR_CODE));
        assertError(Status.Code.PERMISSION_DENIED, "topic.meta.permission", () -> client.blocking.publish(
                PublishRequest.newBuilder().setTopicName("/data/ChangeEvents").build()));
    }

    @Test
    void replayIdsIncreaseStayBelowTwoToThe53AndResumeAfterAJavaScriptNumberRoundTrip() throws Exception {
        org.account("First");
        org.account("Second");
        org.account("Third");
        List<ConsumerEvent> events = subscribe(fetch("/data/AccountChangeEvent", ReplayPreset.EARLIEST, 3))
                .events(3, WAIT);
        long previous = -1;
        for (ConsumerEvent event : events) {
            long id = java.nio.ByteBuffer.wrap(event.getReplayId().toByteArray()).getLong();
            assertTrue(id > previous, "increasing: " + id + " after " + previous);
            assertTrue(id < (1L << 53), "a JavaScript number holds it exactly: " + id);
            previous = id;
        }
        // kept as a JavaScript client keeps it (a double), then sent back as 8 bytes
        double kept = java.nio.ByteBuffer.wrap(events.get(0).getReplayId().toByteArray()).getLong();
        ByteString back = ByteString.copyFrom(java.nio.ByteBuffer.allocate(8).putLong((long) kept).array());
        List<ConsumerEvent> resumed = subscribe(FetchRequest.newBuilder().setTopicName("/data/AccountChangeEvent")
                .setReplayPreset(ReplayPreset.CUSTOM).setReplayId(back).setNumRequested(2).build()).events(2, WAIT);
        assertEquals(List.of(events.get(1).getReplayId(), events.get(2).getReplayId()),
                resumed.stream().map(ConsumerEvent::getReplayId).toList());
    }

    @Test
    void aReplayIdOlderThanTheRetentionIsRefused() throws Exception {
        org.account("Soon forgotten");
        PubSubClient.Stream stream = subscribe(fetch("/data/AccountChangeEvent", ReplayPreset.EARLIEST, 1));
        ByteString old = stream.events(1, WAIT).get(0).getReplayId();
        advance(72 * 3600 + 60);
        org = Org.signIn("contoso"); // the old session has long been idle
        org.account("Kept");
        client.close();
        client = client(org.token, org.credentials.getString("organizationId"));
        assertStreamError(FetchRequest.newBuilder().setTopicName("/data/AccountChangeEvent")
                .setReplayPreset(ReplayPreset.CUSTOM).setReplayId(old).setNumRequested(1).build(),
                Status.Code.INVALID_ARGUMENT, "subscription.fetch.replayid.corrupted");
    }

    private void assertStreamError(FetchRequest first, Status.Code status, String code) throws Exception {
        assertEnded(client.subscribe(first), status, code);
    }

    static void assertEnded(PubSubClient.Stream stream, Status.Code status, String code) throws Exception {
        StatusRuntimeException e = stream.error(WAIT);
        assertEquals(status, e.getStatus().getCode(), e.toString());
        assertEquals(PubSubErrors.PREFIX + code, e.getTrailers().get(PubSubErrors.ERROR_CODE));
        assertTrue(e.getStatus().getDescription().contains("rpcId: "), e.getStatus().getDescription());
    }

    private static void assertError(Status.Code status, String code, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(status, e.getStatus().getCode(), e.toString());
        assertEquals(PubSubErrors.PREFIX + code, e.getTrailers().get(PubSubErrors.ERROR_CODE));
    }

    static void advance(long seconds) {
        given().contentType(ContentType.JSON).post("/_sim/clock/advance?seconds=" + seconds).then().statusCode(200);
    }

    static List<String> strings(Object avroList) {
        List<String> out = new ArrayList<>();
        ((List<?>) avroList).forEach(v -> out.add(v.toString()));
        return out;
    }
}
