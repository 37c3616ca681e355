package io.cosellsync.salesforcewriter.messaging;

import io.cosellsync.events.Accepted;
import io.cosellsync.events.command.SalesforceCommand;
import io.cosellsync.events.EventType;
import io.cosellsync.events.MalformedEventException;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.command.OpportunityImage;
import io.cosellsync.events.command.PatchOperation;
import io.cosellsync.events.command.UpdateOpportunityCommand;
import io.cosellsync.events.command.UpdateReferralCommand;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.salesforce.client.SalesforceRejected;
import io.cosellsync.salesforce.client.SalesforceUnavailable;
import io.cosellsync.salesforcewriter.config.SalesforceConfig;
import io.cosellsync.salesforcewriter.deadletters.Resolutions;
import io.cosellsync.salesforcewriter.dryrun.SalesforceDryRun;
import io.cosellsync.support.config.TenancyConfig;
import io.cosellsync.salesforcewriter.writer.AccountBeingCreated;
import io.cosellsync.salesforcewriter.writer.OpportunityUpdateWriter;
import io.cosellsync.salesforcewriter.writer.OpportunityUpsertWriter;
import io.cosellsync.salesforcewriter.writer.OptionalFields;
import io.cosellsync.salesforcewriter.writer.WriteResult;
import io.cosellsync.support.kafka.DeadLetters;
import io.cosellsync.support.kafka.EventIntake;
import io.cosellsync.support.kafka.InboundEvent;
import io.cosellsync.support.kafka.OutboundEvents;
import io.cosellsync.support.kafka.TenantGate;
import io.cosellsync.support.persistence.ProcessedEvents;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Takes the commands addressed to Salesforce in batches (what one poll brings, within the consumer's linger) and
 * applies each tenant's upserts through {@link OpportunityUpsertWriter}. A command Salesforce refuses for good goes
 * to the writer's dead-letter topic with Salesforce's code and message, and the rest of the batch lands. When
 * Salesforce cannot take writes now, the batch waits ({@code salesforce.pause}) and is applied again — the consumer
 * takes no new records meanwhile, so the tenant's partitions pause — and nothing is dead-lettered or dropped. A new
 * opportunity's id is written back to its referral's {@code externalReferenceId} through the partnercenter-writer's
 * command topic. Write-backs addressed by an opportunity's record Id ({@link OpportunityUpdateWriter}) are applied
 * after the batch's upserts. The batch is acknowledged after all of that. A tenant in dry run
 * ({@code cosell.dry-run}) has its commands recorded and held instead ({@link SalesforceDryRun}).
 */
@ApplicationScoped
public class SalesforceCommandConsumer {

    private static final String SERVICE = "salesforce-writer";
    private static final URI SOURCE = EventIntake.source(SERVICE);
    private static final Accepted<SalesforceCommand> ACCEPTED = Accepted.of(SalesforceCommand.class,
            EventType.UPSERT_OPPORTUNITY, EventType.UPDATE_OPPORTUNITY);
    /** How soon a batch waiting for another replica's new account is tried again. */
    private static final Duration CLAIM_RETRY = Duration.ofMillis(500);

    private final OpportunityUpsertWriter writer;
    private final OpportunityUpdateWriter updater;
    private final ProcessedEvents processed;
    private final TenantGate tenants;
    private final MeterRegistry registry;
    private final SalesforceConfig config;
    private final MutinyEmitter<byte[]> deadLetterTopic;
    private final MutinyEmitter<byte[]> partnerCenterCommands;
    private final Resolutions resolutions;
    private final TenancyConfig tenancy;
    private final SalesforceDryRun dryRun;
    private final OptionalFields optional;
    private final DeadLetters deadLetters = new DeadLetters(SERVICE, SOURCE);
    private final Set<String> paused = ConcurrentHashMap.newKeySet();

    public SalesforceCommandConsumer(OpportunityUpsertWriter writer, OpportunityUpdateWriter updater,
            ProcessedEvents processed, TenantGate tenants,
            MeterRegistry registry, SalesforceConfig config, Resolutions resolutions, TenancyConfig tenancy,
            SalesforceDryRun dryRun, OptionalFields optional, @Channel("dead-letters") MutinyEmitter<byte[]> deadLetterTopic,
            @Channel("partnercenter-commands") MutinyEmitter<byte[]> partnerCenterCommands) {
        this.writer = writer;
        this.updater = updater;
        this.processed = processed;
        this.tenants = tenants;
        this.registry = registry;
        this.config = config;
        this.resolutions = resolutions;
        this.tenancy = tenancy;
        this.dryRun = dryRun;
        this.optional = optional;
        this.deadLetterTopic = deadLetterTopic;
        this.partnerCenterCommands = partnerCenterCommands;
        Gauge.builder("cosell.salesforce.writes.paused", paused, Set::size)
                .description("tenants whose Salesforce writes wait for Salesforce to answer again").register(registry);
    }

    private record Item(KafkaRecord<String, byte[]> record, InboundEvent event, SalesforceCommand payload) {
    }

    @Incoming("commands")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<Item> items = new ArrayList<>();
        Uni<Void> rejected = Uni.createFrom().voidItem();
        for (KafkaRecord<String, byte[]> record : batch) {
            try {
                InboundEvent event = InboundEvent.of(record);
                SalesforceCommand payload = event.payload(ACCEPTED);
                if (tenants.admits(event)) {
                    items.add(new Item(record, event, payload));
                }
            } catch (MalformedEventException e) {
                rejected = rejected.chain(() -> deadLetter(record, "MALFORMED_EVENT", e.getMessage(), 1));
            }
        }
        Map<TenantId, List<Item>> byTenant = new LinkedHashMap<>();
        items.forEach(i -> byTenant.computeIfAbsent(i.event().envelope().tenant(), t -> new ArrayList<>()).add(i));
        Uni<Void> work = rejected;
        for (Map.Entry<TenantId, List<Item>> e : byTenant.entrySet()) {
            TenantId tenant = e.getKey();
            // fields the org lacks (CurrencyIsoCode without multi-currency) are left out; while Salesforce cannot
            // be asked, the batch waits as for a write
            Uni<List<Item>> stripped = optional.missing(tenant).onFailure(SalesforceUnavailable.class).retry()
                    .withBackOff(Duration.ofSeconds(1), config.pause()).indefinitely()
                    .map(missing -> e.getValue().stream().map(i -> new Item(i.record(), i.event(),
                            OptionalFields.strip(i.payload(), missing))).toList());
            if (tenancy.dryRun(tenant)) {
                work = work.chain(() -> stripped.chain(commands -> dryRun.record(tenant, commands.stream().map(i ->
                        new SalesforceDryRun.Command(i.event().envelope(), i.event().body(), i.payload())).toList())));
            } else {
                work = work.chain(() -> stripped.chain(commands -> tenant(tenant, commands, 1)));
            }
        }
        return work.chain(() -> record(items)).chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    private Uni<Void> tenant(TenantId tenant, List<Item> items, int attempt) {
        List<OpportunityUpsertWriter.Pending> pending = new ArrayList<>();
        List<OpportunityUpdateWriter.Pending> updates = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            int index = i;
            item.payload().either(
                    upsert -> pending.add(new OpportunityUpsertWriter.Pending(index, upsert,
                            item.event().envelope().sourceVersion())),
                    update -> updates.add(new OpportunityUpdateWriter.Pending(index, update)));
        }
        // no opportunity this batch creates was saved before this moment
        Instant writing = Instant.now();
        // upserts first: a write-back may address an opportunity an upsert of the same batch touches
        return writer.apply(tenant, pending).chain(outcomes -> updater.apply(tenant, updates).chain(written -> {
            Uni<Void> after = Uni.createFrom().voidItem();
            for (OpportunityUpdateWriter.Outcome o : written) {
                Item item = items.get(o.index());
                registry.counter("cosell.salesforce.commands", "tenant", tenant.value(), "result",
                        o.result().name().toLowerCase()).increment();
                if (o.result() == WriteResult.FAILED) {
                    after = after.chain(() -> deadLetter(item.record(), o.failureCode(), o.failureMessage(),
                            attempt));
                }
            }
            return after.replaceWith(outcomes);
        })).chain(outcomes -> {
            if (paused.remove(tenant.value())) {
                Log.infof("tenant %s: Salesforce takes writes again", tenant.value());
            }
            Uni<Void> after = Uni.createFrom().voidItem();
            Map<String, String> synced = new LinkedHashMap<>();
            for (OpportunityUpsertWriter.Outcome o : outcomes) {
                Item item = items.get(o.index());
                registry.counter("cosell.salesforce.commands", "tenant", tenant.value(), "result",
                        o.result().name().toLowerCase()).increment();
                o.notes().forEach(n -> Log.infof("tenant %s: referral %s: %s", tenant.value(), o.referralId(), n));
                switch (o.result()) {
                    case FAILED -> after = after.chain(() -> deadLetter(item.record(), o.failureCode(),
                            o.failureMessage(), attempt));
                    case APPLIED -> {
                        synced.put(o.referralId(), o.opportunityId());
                        if (o.created()) {
                            after = after.chain(() -> writeBack(item, o, writing));
                        }
                    }
                    case UNCHANGED -> synced.put(o.referralId(), o.opportunityId());
                    default -> {
                    }
                }
            }
            // a referral now in Salesforce: its earlier dead letters (this way) are resolved
            return after.chain(() -> resolutions.synced(tenant, false, synced, "written to Salesforce"));
        }).onFailure(SalesforceRejected.class).recoverWithUni(e -> {
            // the whole call was refused (e.g. an unknown field): every command of the batch is dead-lettered
            Uni<Void> letters = Uni.createFrom().voidItem();
            for (Item item : items) {
                letters = letters.chain(() -> deadLetter(item.record(), ((SalesforceRejected) e).errorCode(),
                        e.getMessage(), attempt));
            }
            return letters;
        }).onFailure(AccountBeingCreated.class).recoverWithUni(e -> {
            // another replica is creating a customer account this batch needs: nothing was written yet, try again
            Log.debugf("tenant %s: %s; the batch is applied again in %d ms", tenant.value(), e.getMessage(),
                    CLAIM_RETRY.toMillis());
            return Uni.createFrom().voidItem().onItem().delayIt().by(CLAIM_RETRY)
                    .chain(() -> tenant(tenant, items, attempt + 1));
        }).onFailure(SalesforceUnavailable.class).recoverWithUni(e -> {
            if (paused.add(tenant.value())) {
                Log.warnf("tenant %s: Salesforce cannot take writes (%s); %d commands wait and are applied again in "
                        + "%d s", tenant.value(), e.getMessage(), items.size(), config.pause().toSeconds());
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(config.pause())
                    .chain(() -> tenant(tenant, items, attempt + 1));
        });
    }

    /**
     * The referral names the opportunity created for it ({@code externalReferenceId}), and the partnercenter-writer
     * learns what both sides held then: the opportunity's values as created, saved no earlier than {@code writing}.
     * That is its first agreement on the pair, so a seller's later edit reads as a move of Salesforce's, and a stale
     * snapshot still showing a value Partner Center has changed since does not (ADR 0004).
     */
    private Uni<Void> writeBack(Item item, OpportunityUpsertWriter.Outcome outcome, Instant writing) {
        UpsertOpportunityCommand created = (UpsertOpportunityCommand) item.payload();
        Map<String, Object> fields = new LinkedHashMap<>(created.createOnlyFields());
        fields.putAll(created.opportunityFields());
        UpdateReferralCommand command = new UpdateReferralCommand(outcome.referralId(), outcome.opportunityId(),
                List.of(new PatchOperation("replace", "/externalReferenceId", outcome.opportunityId())),
                item.event().envelope().sourceVersion(), new OpportunityImage(Map.of("Opportunity", fields), Map.of(),
                        writing));
        return partnerCenterCommands.sendMessage(OutboundEvents.message(item.event().envelope().follow(
                EventType.UPDATE_REFERRAL, SOURCE, outcome.opportunityId(), outcome.opportunityId()), command));
    }

    private Uni<Void> deadLetter(KafkaRecord<String, byte[]> record, String code, String reason, int attempts) {
        Log.warnf("%s dead-letters a record: %s %s", SERVICE, code, reason);
        registry.counter("cosell.dead.letters", "service", SERVICE, "reason", code).increment();
        return deadLetterTopic.sendMessage(deadLetters.of(record, code, reason, attempts));
    }

    /** The message log: one row per event and tenant, counted as new or duplicate. */
    private Uni<Void> record(List<Item> items) {
        if (items.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Item item : items) {
            chain = chain.chain(() -> processed.recordOnce(item.event().envelope()).invoke(fresh -> registry
                    .counter("cosell.commands.received", "tenant", item.event().envelope().tenant().value(),
                            "duplicate", Boolean.toString(!fresh)).increment()).replaceWithVoid());
        }
        return chain;
    }
}
