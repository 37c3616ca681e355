package io.cosellsync.ingress.salesforce.hydration;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.salesforce.ChangeNotification;
import io.cosellsync.ingress.partnercenter.polling.Leadership;
import io.cosellsync.ingress.salesforce.SalesforceConfig;
import io.cosellsync.ingress.salesforce.SalesforceOrgs;
import io.cosellsync.ingress.salesforce.cdc.ChangeEventSubscriber;
import io.cosellsync.ingress.salesforce.cdc.ReplayPositions;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * What change events cannot deliver, read by SOQL on the tenant's leader and handed to the
 * {@link OpportunityHydrator} as if they were change notifications:
 * <ul>
 * <li><b>owed reconciliations</b> (a replay id Salesforce forgot, gap and overflow events, the first start): every
 * record of the five objects modified since the time owed, and the children deleted since (the replication API's
 * {@code getDeleted}); the initial one reads every synced open opportunity;</li>
 * <li><b>team members</b>, which have no change events: polled every {@code poll-interval};</li>
 * <li><b>orgs without change events</b> ({@code mode=polling}): all six objects polled every {@code poll-interval}.
 * </li>
 * </ul>
 * Polls read from the last poll's start minus {@code poll-overlap} (clock skew, long transactions), and move their
 * position only after the snapshots were published: a failed run is repeated, never skipped.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    /** The objects a snapshot is made of, in the order they are read. */
    static final List<String> ALL = List.of("Opportunity", "Account", "Contact", "OpportunityContactRole",
            "Microsoft_Solution__c", "OpportunityTeamMember");
    static final List<String> TEAM = List.of("OpportunityTeamMember");
    /** The objects whose change events ingress subscribes to (team members have none: they are polled). */
    public static final List<String> CHANGE_EVENTS = ALL.stream().filter(o -> !TEAM.contains(o)).toList();
    /** Objects whose deletions matter: the children (an opportunity's own deletion is for the mapper's policy). */
    private static final Set<String> DELETED_CHILDREN = Set.of("OpportunityContactRole", "Microsoft_Solution__c",
            "OpportunityTeamMember");
    /**
     * The longest one run may take before the next tick tries again (the other tenants wait meanwhile: one thread
     * reconciles them all).
     */
    private static final Duration RUN_LIMIT = Duration.ofMinutes(15);
    /** How far back Salesforce lists deletions. */
    private static final Duration DELETIONS_KEPT = Duration.ofDays(15);

    private final SalesforceConfig config;
    private final SalesforceOrgs orgs;
    private final Leadership leadership;
    private final ChangeEventSubscriber subscriber;
    private final ReplayPositions positions;
    private final OpportunityHydrator hydrator;
    private final Pool pool;
    private final MeterRegistry registry;
    private final Map<String, Instant> nextPoll = new ConcurrentHashMap<>();
    private final Map<String, Integer> completed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "salesforce-reconciler");
        t.setDaemon(true);
        return t;
    });

    public Reconciler(SalesforceConfig config, SalesforceOrgs orgs, Leadership leadership,
            ChangeEventSubscriber subscriber, ReplayPositions positions, OpportunityHydrator hydrator, Pool pool,
            MeterRegistry registry) {
        this.config = config;
        this.orgs = orgs;
        this.leadership = leadership;
        this.subscriber = subscriber;
        this.positions = positions;
        this.hydrator = hydrator;
        this.pool = pool;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        if (!config.tenants().isEmpty()) {
            thread.scheduleWithFixedDelay(this::tick, config.check().toMillis(), config.check().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        thread.shutdownNow();
    }

    /** How many reconciliations for this reason ({@code owed}, {@code poll}) completed for the tenant here. */
    public int completed(String tenant, String reason) {
        return completed.getOrDefault(tenant + " " + reason, 0);
    }

    private void tick() {
        for (Map.Entry<String, SalesforceConfig.Org> org : config.tenants().entrySet()) {
            String tenant = org.getKey();
            try {
                if (!leadership.leads(TenantId.of(tenant))) {
                    continue;
                }
                boolean polling = org.getValue().mode() == SalesforceConfig.Mode.POLLING;
                if (!polling && subscriber.subscribed(tenant)) {
                    // with the stream open, nothing changed since it started can be missed by what is read now
                    Optional<Instant> owed = positions.reconcileSince(tenant, org.getValue().channel()).await()
                            .atMost(Duration.ofSeconds(30));
                    if (owed.isPresent()) {
                        reconcile(TenantId.of(tenant), ALL, owed.get(), "owed").await().atMost(RUN_LIMIT);
                        positions.settled(tenant, org.getValue().channel(), owed.get()).await()
                                .atMost(Duration.ofSeconds(30));
                    }
                }
                Instant now = Instant.now();
                if (!now.isBefore(nextPoll.getOrDefault(tenant, Instant.MIN))) {
                    poll(TenantId.of(tenant), polling);
                    nextPoll.put(tenant, now.plus(config.pollInterval()));
                }
            } catch (RuntimeException e) {
                LOG.warnf("tenant %s: Salesforce reconciliation failed, tried again in %d s: %s", tenant,
                        config.check().toSeconds(), e.getMessage());
            }
        }
    }

    /** One poll: team members alongside change events, or everything for an org without them. */
    private void poll(TenantId tenant, boolean everything) {
        String scope = everything ? "all" : "team-members";
        Instant start = Instant.now();
        Optional<Instant> polledTo = polledTo(tenant.value(), scope).await().atMost(Duration.ofSeconds(30));
        if (polledTo.isEmpty() && !everything) {
            // the first start's reconciliation reads every opportunity whole, team included
            savePolledTo(tenant.value(), scope, start).await().atMost(Duration.ofSeconds(30));
            return;
        }
        Instant since = polledTo.map(t -> t.minus(config.pollOverlap())).orElse(ReplayPositions.FROM_THE_BEGINNING);
        reconcile(tenant, everything ? ALL : TEAM, since, "poll").await().atMost(RUN_LIMIT);
        savePolledTo(tenant.value(), scope, start).await().atMost(Duration.ofSeconds(30));
    }

    /**
     * Hydrates every record of these objects modified since {@code since}, and the children deleted since; since
     * {@link ReplayPositions#FROM_THE_BEGINNING}: every synced open opportunity.
     */
    public Uni<OpportunityHydrator.Result> reconcile(TenantId tenant, List<String> objects, Instant since,
            String reason) {
        Instant until = Instant.now();
        List<ChangeNotification> changes = new ArrayList<>();
        Uni<Void> reads = Uni.createFrom().voidItem();
        boolean initial = since.equals(ReplayPositions.FROM_THE_BEGINNING);
        String syncField = orgs.mapping(tenant).fieldName("Opportunity.Sync_with_Partner_Center__c");
        for (String object : objects) {
            if (initial && !object.equals("Opportunity")) {
                continue;
            }
            String soql = initial
                    ? "SELECT Id FROM Opportunity WHERE " + syncField + " = true AND IsClosed = false"
                    : "SELECT Id FROM " + object + " WHERE SystemModstamp > "
                            + since.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC).toInstant();
            reads = reads.chain(() -> orgs.client().query(tenant, object, soql)).invoke(rows -> {
                for (JsonNode row : rows) {
                    changes.add(change(object, row.path("Id").asText(), "UPDATE", until));
                }
            }).replaceWithVoid();
            if (!initial && DELETED_CHILDREN.contains(object) && since.isAfter(until.minus(DELETIONS_KEPT))) {
                reads = reads.chain(() -> orgs.client().deleted(tenant, object, since,
                        until.plus(Duration.ofMinutes(1)))).invoke(ids -> ids.forEach(id ->
                                changes.add(change(object, id, "DELETE", until)))).replaceWithVoid();
            }
        }
        return reads.chain(() -> hydrator.hydrate(tenant, changes, Map.of())).invoke(result -> {
            completed.merge(tenant.value() + " " + reason, 1, Integer::sum);
            registry.counter("cosell.salesforce.reconciliations", "tenant", tenant.value(), "reason", reason)
                    .increment();
            if (!reason.equals("poll") || result.published() > 0) {
                LOG.infof("tenant %s: Salesforce reconciliation (%s, since %s): %d records, %d snapshots published",
                        tenant.value(), reason, initial ? "the beginning" : since, changes.size(),
                        result.published());
            }
        });
    }

    private static ChangeNotification change(String object, String id, String type, Instant at) {
        return new ChangeNotification(object, id, type, "reconciliation-" + UUID.randomUUID(), 1, at, null, null,
                List.of(), List.of(), false, "none", at);
    }

    private Uni<Optional<Instant>> polledTo(String tenant, String scope) {
        return pool.preparedQuery("SELECT polled_to FROM salesforce_poll WHERE tenant_id = $1 AND scope = $2")
                .execute(Tuple.of(tenant, scope)).map(rows -> rows.iterator().hasNext()
                        ? Optional.of(rows.iterator().next().getOffsetDateTime(0).toInstant()) : Optional.empty());
    }

    private Uni<Void> savePolledTo(String tenant, String scope, Instant at) {
        return pool.preparedQuery("""
                INSERT INTO salesforce_poll (tenant_id, scope, polled_to) VALUES ($1, $2, $3)
                ON CONFLICT (tenant_id, scope) DO UPDATE SET polled_to = EXCLUDED.polled_to""")
                .execute(Tuple.of(tenant, scope, at.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }
}
