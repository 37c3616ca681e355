package io.cosellsync.simulator.salesforce;

import static io.cosellsync.simulator.salesforce.PubSubApiTest.WAIT;
import static io.cosellsync.simulator.salesforce.PubSubApiTest.assertEnded;
import static io.cosellsync.simulator.salesforce.PubSubApiTest.fetch;
import static io.cosellsync.simulator.salesforce.PubSubApiTest.strings;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import io.cosellsync.simulator.salesforce.cdc.PubSubFault;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each Pub/Sub fault of the control API, as a subscriber meets it; each one is counted. */
@QuarkusTest
class PubSubFaultsTest {

    /** The fault a test injects (checked by {@link #everyFaultHasATest}). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface Injects {
        PubSubFault value();
    }

    private Org org;
    private PubSubClient client;

    @BeforeEach
    void connect() throws Exception {
        org = Org.fresh("contoso");
        client = PubSubApiTest.client(org.token, org.credentials.getString("organizationId"));
    }

    @AfterEach
    void disconnect() throws Exception {
        given().delete("/_sim/pubsub/orgs/contoso/faults").then().statusCode(204);
        client.close();
    }

    @Test
    void everyFaultHasATest() {
        Set<PubSubFault> covered = EnumSet.noneOf(PubSubFault.class);
        Arrays.stream(getClass().getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Injects.class))
                .forEach(m -> covered.add(m.getAnnotation(Injects.class).value()));
        assertEquals(EnumSet.allOf(PubSubFault.class), covered);
    }

    private PubSubClient.Stream subscribe(String topic, ReplayPreset preset, int n) {
        return PubSubApiTest.subscribe(client, "contoso", fetch(topic, preset, n));
    }

    private static Map<String, Object> inject(PubSubFault fault, Map<String, ?> parameters) {
        return given().contentType(ContentType.JSON).body(parameters).post("/_sim/pubsub/orgs/contoso/faults/"
                + fault).then().statusCode(200).extract().jsonPath().getMap("");
    }

    private static int counted(PubSubFault fault) {
        Integer count = given().get("/_sim/pubsub/orgs/contoso").then().statusCode(200).extract()
                .path("faults." + fault);
        return count == null ? 0 : count;
    }

    private GenericRecord header(ConsumerEvent event) throws Exception {
        return (GenericRecord) client.decode(event).get("ChangeEventHeader");
    }

    @Test
    @Injects(PubSubFault.GAP)
    void aGapEventCarriesRecordIdsButNoValues() throws Exception {
        String opportunity = org.opportunity("Gapped", org.account("Gap Co"));
        PubSubClient.Stream stream = subscribe("/data/OpportunityChangeEvent", ReplayPreset.LATEST, 10);
        inject(PubSubFault.GAP, Map.of("entity", "Opportunity", "recordIds", List.of(opportunity),
                "changeType", "GAP_UPDATE"));
        ConsumerEvent event = stream.events(1, WAIT).get(0);
        GenericRecord body = client.decode(event);
        GenericRecord header = (GenericRecord) body.get("ChangeEventHeader");
        assertEquals("GAP_UPDATE", header.get("changeType").toString());
        assertEquals(List.of(opportunity), strings(header.get("recordIds")));
        assertNull(body.get("Name"));
        assertNull(body.get("StageName"));
        assertEquals(1, counted(PubSubFault.GAP));
        given().contentType(ContentType.JSON).body(Map.of("entity", "Opportunity", "recordIds", List.of(opportunity),
                "changeType", "UPDATE")).post("/_sim/pubsub/orgs/contoso/faults/GAP").then().statusCode(400);
    }

    @Test
    @Injects(PubSubFault.CORRUPT)
    void aCorruptEventCarriesTheGivenBytesAndLaterEventsStillFlow() throws Exception {
        PubSubClient.Stream stream = subscribe("/data/ChangeEvents", ReplayPreset.LATEST, 10);
        byte[] garbage = {2, 0, 7, (byte) 0xFF};
        inject(PubSubFault.CORRUPT, Map.of("entity", "Account", "payloadBase64",
                java.util.Base64.getEncoder().encodeToString(garbage)));
        org.account("After Corrupt Co");
        List<ConsumerEvent> events = stream.events(2, WAIT);
        assertArrayEquals(garbage, events.get(0).getEvent().getPayload()
                .toByteArray());
        assertThrows(Exception.class, () -> client.decode(events.get(0)));
        assertEquals("CREATE", header(events.get(1)).get("changeType").toString());
        assertEquals(1, counted(PubSubFault.CORRUPT));
    }

    @Test
    @Injects(PubSubFault.OVERFLOW)
    void anOverflowEventNamesTheObjectButNoRecords() throws Exception {
        PubSubClient.Stream stream = subscribe("/data/ChangeEvents", ReplayPreset.LATEST, 10);
        inject(PubSubFault.OVERFLOW, Map.of("entity", "Account"));
        GenericRecord header = header(stream.events(1, WAIT).get(0));
        assertEquals("GAP_OVERFLOW", header.get("changeType").toString());
        assertEquals("Account", header.get("entityName").toString());
        assertEquals(List.of(), strings(header.get("recordIds")));
        assertEquals(1, counted(PubSubFault.OVERFLOW));
    }

    @Test
    @Injects(PubSubFault.MERGED)
    void theSameUpdateOfSeveralRecordsInOneTransactionBecomesOneMergedEvent() throws Exception {
        String a = org.account("Merge A");
        String b = org.account("Merge B");
        String c = org.account("Merge C");
        PubSubClient.Stream stream = subscribe("/data/AccountChangeEvent", ReplayPreset.LATEST, 10);
        inject(PubSubFault.MERGED, Map.of());
        org.patch("/composite/sobjects", Map.of("allOrNone", true, "records", List.of(
                Map.of("attributes", Map.of("type", "Account"), "id", a, "Industry", "Energy"),
                Map.of("attributes", Map.of("type", "Account"), "id", b, "Industry", "Energy"),
                Map.of("attributes", Map.of("type", "Account"), "id", c, "Industry", "Banking"))))
                .then().statusCode(200);
        List<ConsumerEvent> events = stream.events(2, WAIT);
        assertEquals(List.of(a, b), strings(header(events.get(0)).get("recordIds")));
        assertEquals(List.of(c), strings(header(events.get(1)).get("recordIds")));
        assertNull(stream.responses.poll(300, TimeUnit.MILLISECONDS));
        // only the next transaction is merged
        org.patch("/sobjects/Account/" + a, Map.of("Industry", "Retail")).then().statusCode(204);
        org.patch("/sobjects/Account/" + b, Map.of("Industry", "Retail")).then().statusCode(204);
        assertEquals(2, stream.events(2, WAIT).size());
        assertEquals(1, counted(PubSubFault.MERGED));
    }

    @Test
    @Injects(PubSubFault.EXPIRE_REPLAY_IDS)
    void expiredReplayIdsAreRefusedAndLaterEventsStillFlow() throws Exception {
        org.account("Before");
        PubSubClient.Stream first = subscribe("/data/AccountChangeEvent", ReplayPreset.EARLIEST, 10);
        ConsumerEvent before = first.events(1, WAIT).get(0);
        inject(PubSubFault.EXPIRE_REPLAY_IDS, Map.of());
        assertEnded(client.subscribe(FetchRequest.newBuilder().setTopicName("/data/AccountChangeEvent")
                .setReplayPreset(ReplayPreset.CUSTOM).setReplayId(before.getReplayId()).setNumRequested(1).build()),
                Status.Code.INVALID_ARGUMENT, "subscription.fetch.replayid.corrupted");
        // EARLIEST now starts after the expired events
        String after = org.account("After");
        PubSubClient.Stream again = subscribe("/data/AccountChangeEvent", ReplayPreset.EARLIEST, 10);
        assertEquals(List.of(after), strings(header(again.events(1, WAIT).get(0)).get("recordIds")));
        assertEquals(1, counted(PubSubFault.EXPIRE_REPLAY_IDS));
    }

    @Test
    @Injects(PubSubFault.DROP_STREAMS)
    void droppedStreamsEndWithServiceUnavailable() throws Exception {
        PubSubClient.Stream one = subscribe("/data/ChangeEvents", ReplayPreset.LATEST, 10);
        PubSubClient.Stream two = subscribe("/data/AccountChangeEvent", ReplayPreset.LATEST, 10);
        assertEquals(2, ((Number) inject(PubSubFault.DROP_STREAMS, Map.of()).get("streams")).intValue());
        assertEnded(one, Status.Code.UNAVAILABLE, "service.unavailable");
        assertEnded(two, Status.Code.UNAVAILABLE, "service.unavailable");
        assertEquals(1, counted(PubSubFault.DROP_STREAMS));
    }

    @Test
    @Injects(PubSubFault.REVOKE_TOKEN)
    void aTokenRevokedMidStreamEndsItUnauthenticated() throws Exception {
        PubSubClient.Stream stream = subscribe("/data/ChangeEvents", ReplayPreset.LATEST, 10);
        inject(PubSubFault.REVOKE_TOKEN, Map.of());
        assertEnded(stream, Status.Code.UNAUTHENTICATED, "service.auth.error");
        assertEquals(1, counted(PubSubFault.REVOKE_TOKEN));
    }

    @Test
    @Injects(PubSubFault.DELAY_DELIVERY)
    void delayedEventsArriveOnceTheyAreOldEnough() throws Exception {
        PubSubClient.Stream stream = subscribe("/data/AccountChangeEvent", ReplayPreset.LATEST, 10);
        inject(PubSubFault.DELAY_DELIVERY, Map.of("milliseconds", 60_000));
        String id = org.account("Late");
        assertNull(stream.responses.poll(1, TimeUnit.SECONDS), "held back while younger than a minute");
        PubSubApiTest.advance(61);
        assertEquals(List.of(id), strings(header(stream.events(1, WAIT).get(0)).get("recordIds")));
        assertEquals(1, counted(PubSubFault.DELAY_DELIVERY));
    }

    @Test
    @Injects(PubSubFault.EXHAUST_ALLOCATION)
    void anExhaustedAllocationEndsTheStreamUntilCleared() throws Exception {
        PubSubClient.Stream stream = subscribe("/data/AccountChangeEvent", ReplayPreset.LATEST, 10);
        inject(PubSubFault.EXHAUST_ALLOCATION, Map.of());
        org.account("Over the limit");
        assertEnded(stream, Status.Code.RESOURCE_EXHAUSTED, "subscription.limit.exceeded");
        given().delete("/_sim/pubsub/orgs/contoso/faults").then().statusCode(204);
        PubSubClient.Stream again = subscribe("/data/AccountChangeEvent", ReplayPreset.EARLIEST, 10);
        assertTrue(again.events(1, WAIT).size() >= 1, "delivered again once the allocation is back");
        assertEquals(1, counted(PubSubFault.EXHAUST_ALLOCATION));
    }
}
