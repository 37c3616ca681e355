package io.cosellsync.support.kafka;

import io.cosellsync.events.Accepted;
import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventCodec;
import io.cosellsync.events.MalformedEventException;
import io.smallrye.reactive.messaging.ce.CloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;

/** A consumed record: its envelope (from the CloudEvents headers), raw body and Kafka coordinates. */
public record InboundEvent(Envelope envelope, byte[] body, String topic, int partition, long offset) {

    /** Reads the envelope; a record without a valid one is malformed. */
    @SuppressWarnings("unchecked")
    public static InboundEvent of(Message<byte[]> message) {
        CloudEventMetadata<?> ce = message.getMetadata(CloudEventMetadata.class).orElse(null);
        Envelope envelope = Envelope.from(ce);
        IncomingKafkaRecordMetadata<String, byte[]> kafka = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElse(null);
        if (kafka != null && kafka.getKey() != null && !kafka.getKey().equals(envelope.subject())) {
            throw new MalformedEventException("ce_subject",
                    "'" + envelope.subject() + "' differs from the record key '" + kafka.getKey() + "'");
        }
        return new InboundEvent(envelope, message.getPayload(), kafka == null ? null : kafka.getTopic(),
                kafka == null ? -1 : kafka.getPartition(), kafka == null ? -1 : kafka.getOffset());
    }

    /** Decodes the body as the payload its envelope announces, which must be one the consumer accepts. */
    public <P> P payload(Accepted<P> accepted) {
        if (!accepted.types().contains(envelope.type())) {
            throw new MalformedEventException("ce_type", "'" + envelope.type().ceType() + "' is not accepted here");
        }
        return accepted.type().cast(EventCodec.decode(body, envelope.type().payloadType()));
    }
}
