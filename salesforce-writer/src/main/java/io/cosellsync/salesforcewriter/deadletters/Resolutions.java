package io.cosellsync.salesforcewriter.deadletters;

import io.cosellsync.events.Accepted;
import io.cosellsync.events.EventType;
import io.cosellsync.events.MalformedEventException;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.outcome.SyncDirection;
import io.cosellsync.events.outcome.SyncOutcome;
import io.cosellsync.salesforcewriter.dryrun.DryRunLog;
import io.cosellsync.support.kafka.InboundEvent;
import io.cosellsync.support.kafka.TenantGate;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Dead letters end {@code resolved} when their record later syncs the same way: a referral the salesforce-writer
 * then writes (Partner Center → Salesforce, told by its command consumer), or an opportunity the
 * partnercenter-writer then syncs (Salesforce → Partner Center, read from its {@code SUCCEEDED} outcomes on
 * {@code sync.outcomes}). The opportunity then gets a ✔ line saying which failure is resolved, and ✔ replaces ✖ in
 * its name where the tenant shows marks. Nothing here holds up a sync: a failure is logged and counted. The same
 * consumer keeps the partnercenter-writer's {@code DRY_RUN} outcomes in the dry-run listing ({@link DryRunLog}).
 */
@ApplicationScoped
public class Resolutions {

    private static final Accepted<SyncOutcome> OUTCOMES = Accepted.of(SyncOutcome.class, EventType.SYNC_OUTCOME);

    private final DeadLetterIndex index;
    private final DeadLetterAudit audit;
    private final TenantGate tenants;
    private final MeterRegistry registry;
    private final DryRunLog dryRun;

    public Resolutions(DeadLetterIndex index, DeadLetterAudit audit, TenantGate tenants, MeterRegistry registry,
            DryRunLog dryRun) {
        this.dryRun = dryRun;
        this.index = index;
        this.audit = audit;
        this.tenants = tenants;
        this.registry = registry;
    }

    /**
     * Records of one tenant synced one way: their letters that carried that way are resolved.
     *
     * @param opportunities each synced record's key (referral id or opportunity Id) → its opportunity Id
     */
    public Uni<Void> synced(TenantId tenant, boolean toPartnerCenter, Map<String, String> opportunities,
            String detail) {
        if (opportunities.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Set<String> keys = new LinkedHashSet<>(opportunities.keySet());
        opportunities.values().stream().filter(v -> v != null).forEach(keys::add);
        return index.resolve(tenant.value(), keys, toPartnerCenter, detail).chain(resolved -> {
            Map<String, List<DeadLetterIndex.Resolved>> byOpportunity = new LinkedHashMap<>();
            for (DeadLetterIndex.Resolved letter : resolved) {
                String opportunity = letter.opportunityId() != null ? letter.opportunityId()
                        : opportunities.get(letter.originalKey());
                if (opportunity != null) {
                    byOpportunity.computeIfAbsent(opportunity, o -> new ArrayList<>()).add(letter);
                }
                registry.counter("cosell.dead.letters.resolved", "tenant", tenant.value()).increment();
                Log.infof("tenant %s: dead letter %s resolved (%s)", tenant.value(), letter.letterId(), detail);
            }
            Uni<Void> lines = Uni.createFrom().voidItem();
            for (Map.Entry<String, List<DeadLetterIndex.Resolved>> e : byOpportunity.entrySet()) {
                lines = lines.chain(() -> audit.resolved(tenant, e.getKey(), toPartnerCenter, e.getValue()));
            }
            return lines;
        }).onFailure().recoverWithUni(e -> {
            Log.warnf("tenant %s: resolving dead letters of %s failed: %s", tenant.value(), keys, e.toString());
            registry.counter("cosell.dead.letters.resolution.failures", "tenant", tenant.value()).increment();
            return Uni.createFrom().voidItem();
        });
    }

    /** The partnercenter-writer's successes (an opportunity's change reached Partner Center) and dry-run lines. */
    @Incoming("outcomes-in")
    public Uni<Void> outcome(Message<byte[]> message) {
        Uni<Void> work = Uni.createFrom().voidItem();
        try {
            InboundEvent event = InboundEvent.of(message);
            SyncOutcome outcome = event.payload(OUTCOMES);
            if (outcome.status() == SyncOutcome.Status.DRY_RUN && tenants.admits(event)) {
                // what the partnercenter-writer would have written: the listing of the admin API
                work = dryRun.store(event.envelope().tenant(), "partnercenter-writer", outcome.opportunityId() != null
                        ? outcome.opportunityId() : outcome.referralId(), outcome.message());
            } else if (outcome.status() == SyncOutcome.Status.SUCCEEDED
                    && outcome.direction() == SyncDirection.SALESFORCE_TO_PARTNER_CENTER && tenants.admits(event)) {
                Map<String, String> synced = new HashMap<>();
                if (outcome.opportunityId() != null) {
                    synced.put(outcome.opportunityId(), outcome.opportunityId());
                }
                if (outcome.referralId() != null) {
                    synced.put(outcome.referralId(), outcome.opportunityId());
                }
                work = synced(event.envelope().tenant(), true, synced, outcome.message() == null ? "synced"
                        : outcome.message());
            }
        } catch (MalformedEventException e) {
            Log.debugf("an outcome that cannot be read is not for us: %s", e.getMessage());
        }
        return work.chain(() -> Uni.createFrom().completionStage(message.ack()));
    }
}
