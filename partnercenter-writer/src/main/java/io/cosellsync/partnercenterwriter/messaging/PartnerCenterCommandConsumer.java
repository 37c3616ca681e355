package io.cosellsync.partnercenterwriter.messaging;

import io.cosellsync.events.Accepted;
import io.cosellsync.events.command.PartnerCenterCommand;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.command.CreateReferralCommand;
import io.cosellsync.events.command.UpdateOpportunityCommand;
import io.cosellsync.events.command.UpdateReferralCommand;
import io.cosellsync.events.outcome.SyncDirection;
import io.cosellsync.events.outcome.SyncOutcome;
import io.cosellsync.mapping.TenantMapping;
import io.cosellsync.partnercenter.client.NotAuthorized;
import io.cosellsync.partnercenter.client.ReferralsApi;
import io.cosellsync.partnercenterwriter.config.PartnerCenterClients.Mappers;
import io.cosellsync.partnercenterwriter.config.WriterConfig;
import io.cosellsync.partnercenterwriter.writer.DryRunReferrals;
import io.cosellsync.partnercenterwriter.writer.ReferralWriter;
import io.cosellsync.support.config.TenancyConfig;
import io.cosellsync.support.persistence.HeldCommands;
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
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Applies the commands addressed to Partner Center, one at a time in the order of each opportunity's key, through
 * {@link ReferralWriter}. Every command ends in an outcome on {@code sync.outcomes}; a created referral's id and link
 * (and ✔) and a failure's ✖ go back to the opportunity by its record Id through salesforce-writer, with the line
 * for the Audit trail. What Partner Center refuses for good also goes to the writer's dead-letter topic with its
 * error body. While Partner Center cannot take commands (unavailable after the client's retries, throttled, circuit
 * open, or the tenant's credential needs an operator), the command waits and is tried again — backing off up to
 * {@code partnercenter-writer.pause} — and nothing is dead-lettered. The input is acknowledged last. A tenant in dry
 * run ({@code cosell.dry-run}) has each command described ({@link DryRunReferrals}) and held instead of written.
 */
@ApplicationScoped
public class PartnerCenterCommandConsumer {

    private static final String SERVICE = "partnercenter-writer";
    private static final URI SOURCE = EventIntake.source(SERVICE);
    private static final Accepted<PartnerCenterCommand> ACCEPTED = Accepted.of(PartnerCenterCommand.class,
            EventType.CREATE_REFERRAL, EventType.UPDATE_REFERRAL);
    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);

    private final ReferralWriter writer;
    private final ProcessedEvents processed;
    private final Mappers mappers;
    private final WriterConfig config;
    private final MeterRegistry registry;
    private final MutinyEmitter<byte[]> deadLetterTopic;
    private final MutinyEmitter<byte[]> outcomes;
    private final MutinyEmitter<byte[]> salesforceCommands;
    private final EventIntake intake;
    private final DeadLetters deadLetters = new DeadLetters(SERVICE, SOURCE);
    private final Set<String> paused = ConcurrentHashMap.newKeySet();
    private final TenancyConfig tenancy;
    private final DryRunReferrals dryRun;
    private final HeldCommands held;

    public PartnerCenterCommandConsumer(ReferralWriter writer, ProcessedEvents processed, Mappers mappers,
            WriterConfig config, TenantGate tenants, MeterRegistry registry, TenancyConfig tenancy,
            DryRunReferrals dryRun, HeldCommands held,
            @Channel("dead-letters") MutinyEmitter<byte[]> deadLetterTopic,
            @Channel("outcomes") MutinyEmitter<byte[]> outcomes,
            @Channel("salesforce-commands") MutinyEmitter<byte[]> salesforceCommands) {
        this.writer = writer;
        this.tenancy = tenancy;
        this.dryRun = dryRun;
        this.held = held;
        this.processed = processed;
        this.mappers = mappers;
        this.config = config;
        this.registry = registry;
        this.deadLetterTopic = deadLetterTopic;
        this.outcomes = outcomes;
        this.salesforceCommands = salesforceCommands;
        this.intake = new EventIntake(SERVICE, deadLetterTopic, tenants, registry);
        Gauge.builder("cosell.partnercenter.writes.paused", paused, Set::size)
                .description("tenants whose Partner Center commands wait for Partner Center or a sign-in")
                .register(registry);
    }

    @Incoming("commands")
    public Uni<Void> consume(Message<byte[]> message) {
        return intake.handle(message, ACCEPTED, (event, payload) -> {
            TenantId tenant = event.envelope().tenant();
            if (tenancy.dryRun(tenant)) {
                return dryRun(event, payload);
            }
            Uni<ReferralWriter.Result> work = Uni.createFrom().deferred(() -> payload.either(
                    create -> writer.create(tenant, create), update -> writer.update(tenant, update)));
            return work.onFailure(PartnerCenterCommandConsumer::waitable).invoke(e -> {
                if (paused.add(tenant.value())) {
                    Log.warnf("tenant %s: Partner Center cannot take commands now (%s); they wait and are tried"
                            + " again", tenant.value(), e.getMessage());
                }
            }).onFailure(PartnerCenterCommandConsumer::waitable).retry()
                    .withBackOff(FIRST_WAIT, config.pause()).withJitter(0.2).indefinitely()
                    .invoke(() -> {
                        if (paused.remove(tenant.value())) {
                            Log.infof("tenant %s: Partner Center takes commands again", tenant.value());
                        }
                    })
                    .chain(result -> report(message, event, payload, result))
                    .chain(() -> processed.recordOnce(event.envelope()))
                    .replaceWithVoid();
        });
    }

    /**
     * A tenant in dry run: what the command would write, as a line (logged, counted, and sent as a {@code DRY_RUN}
     * outcome for the salesforce-writer's listing); the command is held, to be sent again when the tenant goes live.
     */
    private Uni<Void> dryRun(InboundEvent event, PartnerCenterCommand payload) {
        TenantId tenant = event.envelope().tenant();
        String referralId = payload instanceof UpdateReferralCommand update ? update.referralId() : null;
        return dryRun.would(tenant, payload).onFailure().recoverWithItem(e -> "would write (the referral could not"
                + " be read to say what: " + e.getMessage() + ")").call(line -> {
                    Log.infof("tenant %s: dry run: %s %s", tenant.value(), SERVICE, line);
                    registry.counter("cosell.dry.run.writes", "tenant", tenant.value(), "writer", SERVICE)
                            .increment();
                    return held.hold(event.envelope(), event.body());
                }).call(line -> outcomes.sendMessage(OutboundEvents.message(event.envelope().follow(
                        EventType.SYNC_OUTCOME, SOURCE, payload.opportunityId() != null ? payload.opportunityId()
                                : referralId, event.envelope().sourceVersion()),
                        new SyncOutcome(SyncDirection.SALESFORCE_TO_PARTNER_CENTER, SyncOutcome.Status.DRY_RUN,
                                referralId, payload.opportunityId(), event.envelope().id(), null, line,
                                Instant.now())))).replaceWithVoid();
    }

    /** Failures that waiting cures: Partner Center or Entra unavailable, throttling, an operator's sign-in. */
    private static boolean waitable(Throwable e) {
        return e instanceof ReferralsApi.Unavailable || e instanceof CircuitBreakerOpenException
                || e instanceof NotAuthorized || e instanceof ReferralWriter.Busy;
    }

    private Uni<Void> report(Message<byte[]> message, InboundEvent event, PartnerCenterCommand payload,
            ReferralWriter.Result result) {
        TenantId tenant = event.envelope().tenant();
        String opportunityId = result.opportunityId() != null ? result.opportunityId() : payload.opportunityId();
        String kind = !(payload instanceof UpdateReferralCommand update) ? "create"
                : update.restoreSalesforceOwned() ? "restore" : "update";
        registry.counter("cosell.partnercenter.commands", "tenant", tenant.value(), "command", kind, "result",
                result.status().name().toLowerCase()).increment();
        if (result.status() == SyncOutcome.Status.FAILED) {
            Log.warnf("tenant %s: opportunity %s: %s", tenant.value(), opportunityId, result.message());
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        if (result.deadLetter()) {
            String reason = result.message() + (result.errorBody() == null || result.errorBody().isBlank() ? ""
                    : " — Partner Center said: " + result.errorBody());
            registry.counter("cosell.dead.letters", "service", SERVICE, "reason", result.reasonCode()).increment();
            chain = chain.chain(() -> deadLetterTopic.sendMessage(deadLetters.of(message, result.reasonCode(),
                    reason, 1)));
        }
        SyncOutcome outcome = new SyncOutcome(SyncDirection.SALESFORCE_TO_PARTNER_CENTER, result.status(),
                result.referralId(), opportunityId, event.envelope().id(), result.reasonCode(), result.message(),
                Instant.now());
        // keyed by the opportunity; a restore of a referral linked to none by the referral
        String key = opportunityId != null ? opportunityId : result.referralId();
        chain = chain.chain(() -> outcomes.sendMessage(OutboundEvents.message(event.envelope().follow(
                EventType.SYNC_OUTCOME, SOURCE, key, event.envelope().sourceVersion()), outcome)));
        // a dead letter reaches the opportunity through the dead-letter index (salesforce-writer): its Audit line
        // and ✖ come from there, once, whichever way it was reported
        if (!result.deadLetter() && (!result.writeBack().isEmpty() || result.mark() != null)) {
            TenantMapping mapping = mappers.of(tenant).tenant();
            UpdateOpportunityCommand writeBack = new UpdateOpportunityCommand(opportunityId, result.writeBack(),
                    result.message(), mapping.fieldName(TenantMapping.AUDIT),
                    mapping.checkMark() ? result.mark() : null, result.expected());
            chain = chain.chain(() -> salesforceCommands.sendMessage(OutboundEvents.message(event.envelope()
                    .follow(EventType.UPDATE_OPPORTUNITY, SOURCE, opportunityId, event.envelope().sourceVersion()),
                    writeBack)));
        }
        return chain;
    }
}
