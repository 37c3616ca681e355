package io.cosellsync.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    private static final URI INGRESS = URI.create("/cosell-sync/ingress-service");
    private static final TenantId CONTOSO = TenantId.of("contoso");

    @Test
    void metadataCarriesEveryAttributeAndExtension() {
        Envelope envelope = Envelope.originating(EventType.REFERRAL_SNAPSHOT, INGRESS, "ref-1", CONTOSO, "\"etag-7\"");
        OutgoingCloudEventMetadata<Object> ce = envelope.toMetadata();

        assertEquals(envelope.id(), ce.getId());
        assertEquals("io.cosellsync.partnercenter.referral.snapshot.v1", ce.getType());
        assertEquals(INGRESS, ce.getSource());
        assertEquals(Optional.of("ref-1"), ce.getSubject());
        assertEquals(Optional.of("application/json"), ce.getDataContentType());
        assertEquals(Optional.of(URI.create("urn:cosellsync:schema:partnercenter.referral.snapshot.v1")),
                ce.getDataSchema());
        assertEquals(Optional.of("contoso"), ce.getExtension("tenant"));
        assertEquals(Optional.of(envelope.id()), ce.getExtension("correlationid"));
        assertEquals(Optional.of("\"etag-7\""), ce.getExtension("sourceversion"));
    }

    @Test
    void readingTheMetadataBackGivesTheSameEnvelope() {
        Envelope envelope = Envelope.originating(EventType.SYNC_OUTCOME, INGRESS, "006x", CONTOSO, null);
        // the wire keeps time to the precision CloudEvents headers carry, which includes nanoseconds here
        assertEquals(envelope, Envelope.from(envelope.toMetadata()));
    }

    @Test
    void aFollowingEventKeepsTenantAndCorrelation() {
        Envelope first = Envelope.originating(EventType.REFERRAL_SNAPSHOT, INGRESS, "ref-1", CONTOSO, "v1");
        Envelope next = first.follow(EventType.UPSERT_OPPORTUNITY, URI.create("/cosell-sync/mapper-service"),
                "ref-1", "v1");
        assertNotEquals(first.id(), next.id());
        assertEquals(first.correlationId(), next.correlationId());
        assertEquals(CONTOSO, next.tenant());
    }

    @Test
    void missingTenantOrUnknownTypeIsMalformed() {
        var noTenant = OutgoingCloudEventMetadata.builder().withId("1").withType(EventType.SYNC_OUTCOME.ceType())
                .withSource(INGRESS).withSubject("s").withTimestamp(java.time.ZonedDateTime.now()).build();
        assertEquals("ce_tenant", assertThrows(MalformedEventException.class, () -> Envelope.from(noTenant)).field());

        var unknownType = OutgoingCloudEventMetadata.builder().withId("1").withType("com.example.other")
                .withSource(INGRESS).withSubject("s").withExtension("tenant", "contoso").build();
        assertEquals("ce_type", assertThrows(MalformedEventException.class, () -> Envelope.from(unknownType)).field());
    }

    @Test
    void tenantIdsAreValidated() {
        assertEquals("fabrikam-emea", TenantId.of("fabrikam-emea").value());
        for (String bad : new String[] {"", "Contoso", "-x", "x-", "a b", "a_b", "x".repeat(64)}) {
            assertThrows(IllegalArgumentException.class, () -> TenantId.of(bad), bad);
        }
    }
}
