package io.cosellsync.events.outcome;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cosellsync.events.Require;
import java.time.Instant;
import java.util.Map;

/**
 * A record a service could not process and will not retry by itself. It keeps the original record whole, so an
 * operator can replay it to {@code originalTopic} after a fix; the original CloudEvents headers travel with it.
 *
 * @param service         which service gave up, e.g. {@code salesforce-writer}
 * @param reasonCode      machine-readable cause, e.g. {@code MALFORMED_EVENT}, {@code VALIDATION}
 * @param reason          human-readable cause naming the field or rule
 * @param originalPayload the original value as UTF-8 text (base64 when {@code payloadEncoding} is {@code base64})
 * @param payloadEncoding {@code utf-8} or {@code base64}
 * @param originalHeaders the original record's Kafka headers (its CloudEvents attributes {@code ce_*}, and others),
 *                        so a replay republishes the record as it was; empty in letters written before they were kept
 */
public record DeadLetter(
        @JsonProperty(required = true) String service,
        @JsonProperty(required = true) String reasonCode,
        @JsonProperty(required = true) String reason,
        @JsonProperty(required = true) Instant failedAt,
        int attempts,
        @JsonProperty(required = true) String originalTopic,
        int originalPartition,
        long originalOffset,
        String originalKey,
        String originalEventId,
        String originalType,
        String originalPayload,
        @JsonProperty(required = true) String payloadEncoding,
        Map<String, String> originalHeaders) {

    /**
     * {@code originalTopic} of a letter whose record never was on Kafka: a Salesforce change event as the Pub/Sub API
     * delivered it ({@code salesforce-pubsub:/data/ChangeEvents}). Such a letter is not replayed to a topic; the
     * reconciliation owed when it was written reads its records again.
     */
    public static final String PUBSUB_TOPIC_PREFIX = "salesforce-pubsub:";

    public DeadLetter {
        Require.present(service, "service");
        Require.present(reasonCode, "reasonCode");
        Require.present(reason, "reason");
        Require.present(failedAt, "failedAt");
        Require.present(originalTopic, "originalTopic");
        Require.present(payloadEncoding, "payloadEncoding");
        originalHeaders = originalHeaders == null ? Map.of() : Map.copyOf(originalHeaders);
    }

    /** A letter without the original headers. */
    public DeadLetter(String service, String reasonCode, String reason, Instant failedAt, int attempts,
            String originalTopic, int originalPartition, long originalOffset, String originalKey,
            String originalEventId, String originalType, String originalPayload, String payloadEncoding) {
        this(service, reasonCode, reason, failedAt, attempts, originalTopic, originalPartition, originalOffset,
                originalKey, originalEventId, originalType, originalPayload, payloadEncoding, Map.of());
    }
}
