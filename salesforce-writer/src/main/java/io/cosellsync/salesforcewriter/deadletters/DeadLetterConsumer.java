package io.cosellsync.salesforcewriter.deadletters;

import io.cosellsync.events.EventCodec;
import io.cosellsync.events.MalformedEventException;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.outcome.DeadLetter;
import io.cosellsync.support.config.TenancyConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Reads the dead-letter topics of all four services (consumer group {@code salesforce-writer-dead-letters}) into the
 * {@link DeadLetterIndex}, counting each failure in {@code cosell_dead_letters_indexed_total{tenant,service,reason}}.
 * A record on those topics that is no dead letter is logged, counted with reason {@code UNREADABLE_LETTER} and
 * acknowledged: it can never stop the consumer. While the database cannot take a letter, the letter waits (backing
 * off from 1 s to 30 s) and the consumer with it; nothing is skipped. A letter of a tenant served here goes on the
 * opportunity it concerns ({@link DeadLetterAudit}). Letters are keyed like the records they keep, so one record's
 * letters are read in order.
 */
@ApplicationScoped
public class DeadLetterConsumer {

    static final String UNREADABLE = "UNREADABLE_LETTER";

    private final DeadLetterIndex index;
    private final DeadLetterAudit audit;
    private final TenancyConfig tenancy;
    private final MeterRegistry registry;

    public DeadLetterConsumer(DeadLetterIndex index, DeadLetterAudit audit, TenancyConfig tenancy,
            MeterRegistry registry) {
        this.index = index;
        this.audit = audit;
        this.tenancy = tenancy;
        this.registry = registry;
    }

    @Incoming("dead-letters-in")
    public Uni<Void> consume(Message<byte[]> message) {
        @SuppressWarnings("unchecked")
        IncomingKafkaRecordMetadata<String, byte[]> kafka = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("not a Kafka record"));
        String at = kafka.getTopic() + "/" + kafka.getPartition() + "/" + kafka.getOffset();
        String tenant = tenant(kafka);
        DeadLetter letter;
        try {
            letter = EventCodec.decode(message.getPayload(), DeadLetter.class);
        } catch (MalformedEventException e) {
            Log.warnf("%s is no dead letter (%s); skipped", at, e.getMessage());
            count(tenant, "unknown", UNREADABLE);
            return Uni.createFrom().completionStage(message.ack());
        }
        return index.record(tenant, letter, at)
                .onFailure().invoke(e -> Log.warnf("%s: the dead-letter index cannot take it now (%s); trying again",
                        at, e.toString()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely()
                .invoke(indexed -> {
                    count(tenant, letter.service(), letter.reasonCode());
                    Log.infof("tenant %s: dead letter %s of %s (%s), failure %d: %s", tenant.isEmpty() ? "-" : tenant,
                            indexed.letterId(), letter.service(), letter.reasonCode(), indexed.failures(),
                            letter.reason());
                })
                .chain(indexed -> tenant.isEmpty() || !tenancy.serves(TenantId.of(tenant))
                        ? Uni.createFrom().voidItem() : onTheOpportunity(TenantId.of(tenant), letter, indexed))
                .chain(() -> Uni.createFrom().completionStage(message.ack()));
    }

    /**
     * The letter's Audit line on the opportunity it concerns. Salesforce not answering does not hold the letter up:
     * it is in the index either way, and the failure is logged and counted.
     */
    private Uni<Void> onTheOpportunity(TenantId tenant, DeadLetter letter, DeadLetterIndex.Indexed indexed) {
        return audit.failed(tenant, letter, indexed.letterId())
                .call(opportunityId -> opportunityId == null ? Uni.createFrom().voidItem()
                        : index.attach(tenant.value(), indexed.letterId(), opportunityId))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    Log.warnf("tenant %s: dead letter %s: not put on its opportunity (%s)", tenant.value(),
                            indexed.letterId(), e.toString());
                    registry.counter("cosell.dead.letters.audit.failures", "tenant", tenant.value()).increment();
                    return Uni.createFrom().voidItem();
                });
    }

    private void count(String tenant, String service, String reason) {
        registry.counter("cosell.dead.letters.indexed", "tenant", tenant.isEmpty() ? "none" : tenant, "service",
                service, "reason", reason).increment();
    }

    /** The tenant the letter names (its {@code ce_tenant} header), or "" for none or an invalid one. */
    private static String tenant(IncomingKafkaRecordMetadata<String, byte[]> kafka) {
        Header header = kafka.getHeaders() == null ? null : kafka.getHeaders().lastHeader("ce_tenant");
        if (header == null || header.value() == null) {
            return "";
        }
        String value = new String(header.value(), StandardCharsets.UTF_8);
        try {
            return TenantId.of(value).value();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
