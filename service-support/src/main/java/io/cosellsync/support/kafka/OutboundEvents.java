package io.cosellsync.support.kafka;

import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventCodec;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Builds the Kafka message for a payload: JSON body, envelope as CloudEvents headers, key = business id. */
public final class OutboundEvents {

    private OutboundEvents() {
    }

    public static Message<byte[]> message(Envelope envelope, Object payload) {
        if (!envelope.type().payloadType().isInstance(payload)) {
            throw new IllegalArgumentException(envelope.type() + " cannot carry " + payload.getClass().getSimpleName());
        }
        return Message.of(EventCodec.encode(payload))
                .addMetadata(envelope.toMetadata())
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(envelope.subject()).build());
    }

    /** An event as it was consumed (its envelope and JSON body), to be sent again unchanged. */
    public static Message<byte[]> again(Envelope envelope, byte[] body) {
        return Message.of(body).addMetadata(envelope.toMetadata())
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(envelope.subject()).build());
    }
}
