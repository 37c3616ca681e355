package io.cosellsync.testing;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventCodec;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * Produces and reads records the way another party on the cluster would: plain Kafka clients and the CloudEvents
 * SDK's Kafka binding, not our services' code. Tests use it to feed a service's input topic and to check the
 * records (and envelope headers) it publishes.
 */
public final class KafkaTestClient implements AutoCloseable {

    private static KafkaTestClient shared;

    private final String bootstrapServers;
    private final KafkaProducer<String, CloudEvent> producer;

    /** A client of the JVM's shared test broker, closed when the JVM exits. */
    public static synchronized KafkaTestClient shared() {
        if (shared == null) {
            shared = new KafkaTestClient(KafkaBroker.shared().bootstrapServers());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "kafka-test-client-close"));
        }
        return shared;
    }

    public KafkaTestClient(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(props);
    }

    /** Sends a payload with its envelope as binary-mode CloudEvents headers; returns once the broker acked it. */
    public void send(String topic, Envelope envelope, Object payload) {
        CloudEventBuilder ce = CloudEventBuilder.v1()
                .withId(envelope.id())
                .withType(envelope.type().ceType())
                .withSource(envelope.source())
                .withTime(envelope.time().atOffset(ZoneOffset.UTC))
                .withSubject(envelope.subject())
                .withDataSchema(envelope.type().dataSchema())
                .withExtension(Envelope.EXT_TENANT, envelope.tenant().value())
                .withExtension(Envelope.EXT_CORRELATION_ID, envelope.correlationId())
                .withData(Envelope.CONTENT_TYPE, EventCodec.encode(payload));
        if (envelope.sourceVersion() != null) {
            ce.withExtension(Envelope.EXT_SOURCE_VERSION, envelope.sourceVersion());
        }
        send(new ProducerRecord<>(topic, envelope.subject(), ce.build()));
    }

    /** Sends raw bytes with arbitrary headers, for feeding malformed records. */
    public void sendRaw(String topic, String key, byte[] value, Map<String, String> headers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((k, v) -> record.headers().add(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            raw.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("send to " + topic + " failed", e);
        }
    }

    private void send(ProducerRecord<String, CloudEvent> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("send to " + record.topic() + " failed", e);
        }
    }

    /** Waits until a record on {@code topic} (read from the beginning) matches, and returns it. */
    public ConsumedEvent await(String topic, Predicate<ConsumedEvent> match, Duration timeout) {
        List<ConsumedEvent> seen = new ArrayList<>();
        try (KafkaConsumer<String, CloudEvent> consumer = consumerFromBeginning(topic)) {
            return Awaitility.await("a matching record on " + topic).atMost(timeout).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        for (ConsumerRecord<String, CloudEvent> r : consumer.poll(Duration.ofMillis(200))) {
                            seen.add(new ConsumedEvent(r.topic(), r.key(), r.value()));
                        }
                        return seen.stream().filter(match).findFirst().orElse(null);
                    }, java.util.Objects::nonNull);
        }
    }

    /** Every record currently on {@code topic} (reads until two empty polls). */
    public List<ConsumedEvent> readAll(String topic) {
        List<ConsumedEvent> all = new ArrayList<>();
        try (KafkaConsumer<String, CloudEvent> consumer = consumerFromBeginning(topic)) {
            int empty = 0;
            while (empty < 2) {
                var records = consumer.poll(Duration.ofMillis(300));
                empty = records.isEmpty() ? empty + 1 : 0;
                records.forEach(r -> all.add(new ConsumedEvent(r.topic(), r.key(), r.value())));
            }
        }
        return all;
    }

    private KafkaConsumer<String, CloudEvent> consumerFromBeginning(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new CloudEventDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
