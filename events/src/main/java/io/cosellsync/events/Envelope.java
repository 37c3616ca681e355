package io.cosellsync.events;

import io.smallrye.reactive.messaging.ce.CloudEventMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;

/**
 * The envelope of every Kafka record, carried as CloudEvents attributes in Kafka headers (binary mode:
 * {@code ce_id}, {@code ce_type}, …, {@code ce_tenant}, {@code ce_correlationid}, {@code ce_sourceversion}).
 * The record key is {@link #subject()}, the business id; the body is the JSON payload.
 *
 * @param id            unique event id; consumers deduplicate on it
 * @param type          what the body is
 * @param source        the producing service, e.g. {@code /cosell-sync/ingress-service}
 * @param time          when the event was produced
 * @param subject       business id (referral id or Salesforce record id), equal to the Kafka key
 * @param tenant        the partner tenant the record belongs to
 * @param correlationId id shared by every event caused by one original change, for tracing a sync end to end
 * @param sourceVersion version of the source record this event reflects (used to drop stale, reordered events)
 */
public record Envelope(String id, EventType type, URI source, Instant time, String subject, TenantId tenant,
        String correlationId, String sourceVersion) {

    public static final String EXT_TENANT = "tenant";
    public static final String EXT_CORRELATION_ID = "correlationid";
    public static final String EXT_SOURCE_VERSION = "sourceversion";
    public static final String CONTENT_TYPE = "application/json";

    public Envelope {
        require(id, "id");
        Objects.requireNonNull(type, "envelope type is required");
        Objects.requireNonNull(source, "envelope source is required");
        Objects.requireNonNull(time, "envelope time is required");
        require(subject, "subject");
        Objects.requireNonNull(tenant, "envelope tenant is required");
        require(correlationId, "correlationid");
    }

    /** A new event caused by no earlier event: it starts its own correlation. */
    public static Envelope originating(EventType type, URI source, String subject, TenantId tenant,
            String sourceVersion) {
        String id = UUID.randomUUID().toString();
        return new Envelope(id, type, source, Instant.now(), subject, tenant, id, sourceVersion);
    }

    /** A new event caused by {@code this} one: same tenant and correlation, new id. */
    public Envelope follow(EventType nextType, URI nextSource, String nextSubject, String nextSourceVersion) {
        return new Envelope(UUID.randomUUID().toString(), nextType, nextSource, Instant.now(), nextSubject, tenant,
                correlationId, nextSourceVersion);
    }

    /** SmallRye metadata that the Kafka connector writes as binary-mode CloudEvents headers. */
    public OutgoingCloudEventMetadata<Object> toMetadata() {
        var builder = OutgoingCloudEventMetadata.builder()
                .withId(id)
                .withType(type.ceType())
                .withSource(source)
                .withTimestamp(time.atZone(ZoneOffset.UTC))
                .withSubject(subject)
                .withDataContentType(CONTENT_TYPE)
                .withDataSchema(type.dataSchema())
                .withExtension(EXT_TENANT, tenant.value())
                .withExtension(EXT_CORRELATION_ID, correlationId);
        if (sourceVersion != null) {
            builder = builder.withExtension(EXT_SOURCE_VERSION, sourceVersion);
        }
        return builder.build();
    }

    /** Reads the envelope of a consumed record; a missing or unknown attribute is a malformed event. */
    public static Envelope from(CloudEventMetadata<?> ce) {
        if (ce == null) {
            throw new MalformedEventException("ce_id", "record carries no CloudEvents headers");
        }
        EventType type = EventType.fromCeType(ce.getType())
                .orElseThrow(() -> new MalformedEventException("ce_type", "unknown event type '" + ce.getType() + "'"));
        String tenant = ce.<String> getExtension(EXT_TENANT)
                .orElseThrow(() -> new MalformedEventException("ce_tenant", "missing"));
        TenantId tenantId;
        try {
            tenantId = TenantId.of(tenant);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("ce_tenant", e.getMessage());
        }
        String subject = ce.getSubject()
                .orElseThrow(() -> new MalformedEventException("ce_subject", "missing"));
        Instant time = ce.getTimeStamp().map(t -> t.toInstant()).orElseThrow(
                () -> new MalformedEventException("ce_time", "missing"));
        String correlation = ce.<String> getExtension(EXT_CORRELATION_ID).orElse(ce.getId());
        String sourceVersion = ce.<String> getExtension(EXT_SOURCE_VERSION).orElse(null);
        return new Envelope(ce.getId(), type, ce.getSource(), time, subject, tenantId, correlation, sourceVersion);
    }

    private static void require(String value, String attribute) {
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("ce_" + attribute, "missing or blank");
        }
    }
}
