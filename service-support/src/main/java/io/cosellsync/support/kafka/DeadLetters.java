package io.cosellsync.support.kafka;

import io.cosellsync.events.EventCodec;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.outcome.DeadLetter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Turns a record a service gives up on into a {@link DeadLetter} message for its dead-letter topic. Works from the
 * raw Kafka headers, so even a record whose envelope is broken keeps its key, tenant and correlation where present.
 */
public final class DeadLetters {

    private final String service;
    private final URI source;

    public DeadLetters(String service, URI source) {
        this.service = service;
        this.source = source;
    }

    @SuppressWarnings("unchecked")
    public Message<byte[]> of(Message<byte[]> original, String reasonCode, String reason, int attempts) {
        IncomingKafkaRecordMetadata<String, byte[]> kafka = original.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalArgumentException("not a Kafka record"));
        Headers headers = kafka.getHeaders();
        String key = kafka.getKey();
        String eventId = header(headers, "ce_id");
        String tenant = header(headers, "ce_tenant");
        byte[] body = original.getPayload();
        String text = utf8(body);

        DeadLetter letter = new DeadLetter(service, reasonCode, reason, Instant.now(), attempts, kafka.getTopic(),
                kafka.getPartition(), kafka.getOffset(), key, eventId, header(headers, "ce_type"),
                text != null ? text : Base64.getEncoder().encodeToString(body), text != null ? "utf-8" : "base64",
                headers(headers));

        return message(letter, key, tenant, header(headers, "ce_correlationid"));
    }

    /**
     * A letter for a Salesforce change event the Pub/Sub API delivered that cannot be read (it never was a Kafka
     * record): its channel as {@link DeadLetter#PUBSUB_TOPIC_PREFIX}{@code <channel>}, the replay id as key, the
     * event id and schema id, the payload in base64.
     */
    public Message<byte[]> ofPubSubEvent(String tenant, String channel, String replayId, String eventId,
            String schemaId, byte[] payload, String reasonCode, String reason) {
        DeadLetter letter = new DeadLetter(service, reasonCode, reason, Instant.now(), 1,
                DeadLetter.PUBSUB_TOPIC_PREFIX + channel, -1, -1, replayId, eventId, "salesforce.change-event",
                Base64.getEncoder().encodeToString(payload == null ? new byte[0] : payload), "base64",
                Map.of("schemaId", schemaId == null ? "" : schemaId));
        return message(letter, replayId, tenant, null);
    }

    private Message<byte[]> message(DeadLetter letter, String key, String tenant, String correlation) {
        String id = UUID.randomUUID().toString();
        var ce = OutgoingCloudEventMetadata.builder()
                .withId(id)
                .withType(EventType.DEAD_LETTER.ceType())
                .withSource(source)
                .withTimestamp(letter.failedAt().atZone(ZoneOffset.UTC))
                .withSubject(key != null ? key : "unknown")
                .withDataContentType("application/json")
                .withDataSchema(EventType.DEAD_LETTER.dataSchema())
                .withExtension("correlationid", correlation != null ? correlation : id);
        if (validTenant(tenant)) {
            ce = ce.withExtension("tenant", tenant);
        }
        return Message.of(EventCodec.encode(letter))
                .addMetadata(ce.build())
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(key).build());
    }

    private static boolean validTenant(String tenant) {
        try {
            TenantId.of(tenant);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The record's headers as text (the last value of each name); a header that is no UTF-8 text is left out. */
    private static Map<String, String> headers(Headers headers) {
        Map<String, String> all = new LinkedHashMap<>();
        if (headers != null) {
            for (Header h : headers) {
                String value = h.value() == null ? null : utf8(h.value());
                if (value != null) {
                    all.put(h.key(), value);
                }
            }
        }
        return all;
    }

    private static String header(Headers headers, String name) {
        Header h = headers == null ? null : headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] body) {
        if (body == null) {
            return "";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
