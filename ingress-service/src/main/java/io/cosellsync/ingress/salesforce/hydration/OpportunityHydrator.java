package io.cosellsync.ingress.salesforce.hydration;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.Accepted;
import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventType;
import io.cosellsync.events.MalformedEventException;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.salesforce.ChangeNotification;
import io.cosellsync.events.salesforce.OpportunitySnapshot;
import io.cosellsync.ingress.salesforce.SalesforceConfig;
import io.cosellsync.ingress.preflight.Preflight;
import io.cosellsync.ingress.salesforce.SalesforceOrgs;
import io.cosellsync.mapping.FieldMap;
import io.cosellsync.support.kafka.DeadLetters;
import io.cosellsync.support.kafka.EventIntake;
import io.cosellsync.support.kafka.InboundEvent;
import io.cosellsync.support.kafka.OutboundEvents;
import io.cosellsync.support.kafka.TenantGate;
import io.cosellsync.salesforce.client.SalesforceClient;
import io.cosellsync.salesforce.client.SalesforceRejected;
import io.cosellsync.salesforce.client.SalesforceUnavailable;
import io.cosellsync.salesforce.client.Soql;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Turns Salesforce change notifications into opportunity snapshots, in batches (what one Kafka poll brings within
 * {@code ingress.salesforce.linger-ms}). Per tenant the records named are resolved to the opportunities they belong
 * to — an opportunity itself; a contact role, solution or team member through its lookup (or, once deleted, through
 * {@link OpportunityLinks}); a contact or account through the synced opportunities that use it — with one query per
 * object, and those opportunities are read whole, {@value SnapshotQuery#IDS_PER_QUERY} per query. Each snapshot is
 * published when its content differs from the last one published ({@link SnapshotVersions}); the batch is
 * acknowledged after Kafka acknowledged them all. A snapshot's clock is its {@code SystemModstamp}, to the
 * millisecond where a change event of that second says when ({@link CommitClock}). Salesforce unavailable (or the
 * database, or the broker): the batch waits and is tried again (nothing dead-lettered); Salesforce refusing the
 * query for good: the tenant's notifications go to the dead-letter topic with Salesforce's error, to be replayed
 * once fixed.
 */
@ApplicationScoped
public class OpportunityHydrator {

    private static final Logger LOG = Logger.getLogger(OpportunityHydrator.class);
    private static final String SERVICE = "ingress-service";
    private static final URI SOURCE = EventIntake.source(SERVICE);
    private static final Accepted<ChangeNotification> ACCEPTED = Accepted.of(ChangeNotification.class,
            EventType.CHANGE_NOTIFICATION);

    private final SalesforceOrgs orgs;
    private final Preflight preflight;
    private final SalesforceConfig config;
    private final OpportunityLinks links;
    private final SnapshotVersions versions;
    private final CommitHistories histories;
    private final TenantGate tenants;
    private final MeterRegistry registry;
    private final MutinyEmitter<byte[]> snapshots;
    private final MutinyEmitter<byte[]> deadLetterTopic;
    private final DeadLetters deadLetters = new DeadLetters(SERVICE, SOURCE);
    private final Map<String, Uni<SnapshotQuery>> queries = new ConcurrentHashMap<>();
    private final Set<String> paused = ConcurrentHashMap.newKeySet();

    public OpportunityHydrator(SalesforceOrgs orgs, SalesforceConfig config, OpportunityLinks links,
            SnapshotVersions versions, CommitHistories histories, TenantGate tenants, MeterRegistry registry, Preflight preflight,
            @Channel("opportunity-snapshots") MutinyEmitter<byte[]> snapshots,
            @Channel("dead-letters") MutinyEmitter<byte[]> deadLetterTopic) {
        this.preflight = preflight;
        this.orgs = orgs;
        this.config = config;
        this.links = links;
        this.versions = versions;
        this.histories = histories;
        this.tenants = tenants;
        this.registry = registry;
        this.snapshots = snapshots;
        this.deadLetterTopic = deadLetterTopic;
    }

    private record Item(KafkaRecord<String, byte[]> record, Envelope envelope, ChangeNotification change) {
    }

    /** What one hydration of a tenant's notifications did. */
    public record Result(int queries, int published, int unchanged, int notFound, int held) {
    }

    @Incoming("change-notifications-in")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        Map<TenantId, List<Item>> byTenant = new LinkedHashMap<>();
        Uni<Void> work = Uni.createFrom().voidItem();
        for (KafkaRecord<String, byte[]> record : batch) {
            try {
                InboundEvent event = InboundEvent.of(record);
                ChangeNotification change = event.payload(ACCEPTED);
                if (!tenants.admits(event)) {
                    continue;
                }
                if (!orgs.configured(event.envelope().tenant())) {
                    work = work.chain(() -> deadLetter(record, "NO_SALESFORCE_ORG", "no Salesforce org is configured"
                            + " for tenant " + event.envelope().tenant().value() + " (ingress.salesforce.tenants)"));
                    continue;
                }
                byTenant.computeIfAbsent(event.envelope().tenant(), t -> new ArrayList<>())
                        .add(new Item(record, event.envelope(), change));
            } catch (MalformedEventException e) {
                work = work.chain(() -> deadLetter(record, "MALFORMED_EVENT", e.getMessage()));
            }
        }
        for (Map.Entry<TenantId, List<Item>> e : byTenant.entrySet()) {
            work = work.chain(() -> tenant(e.getKey(), e.getValue()));
        }
        return work.chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    private Uni<Void> tenant(TenantId tenant, List<Item> items) {
        List<ChangeNotification> changes = items.stream().map(Item::change).toList();
        Map<String, Envelope> causes = new HashMap<>();
        items.stream().filter(i -> "Opportunity".equals(i.change().entity()) && i.change().recordId() != null)
                .forEach(i -> causes.putIfAbsent(i.change().recordId(), i.envelope()));
        return hydrate(tenant, changes, causes).invoke(() -> {
            if (paused.remove(tenant.value())) {
                LOG.infof("tenant %s: hydration goes on", tenant.value());
            }
        }).replaceWithVoid().onFailure(SalesforceRejected.class).recoverWithUni(e -> {
            Uni<Void> letters = Uni.createFrom().voidItem();
            for (Item item : items) {
                letters = letters.chain(() -> deadLetter(item.record(), ((SalesforceRejected) e).errorCode(),
                        e.getMessage()));
            }
            return letters;
        }).onFailure(e -> !(e instanceof SalesforceRejected)).recoverWithUni(e -> {
            // Salesforce unavailable, or the database or the broker: wait and read the same changes again, never
            // dropping them or stopping the channel
            if (paused.add(tenant.value())) {
                LOG.warnf("tenant %s: %s (%s); %d change notifications wait and are read again in %d s",
                        tenant.value(), e instanceof SalesforceUnavailable ? "Salesforce cannot answer queries"
                                : "hydration failed", e.getMessage(), items.size(), config.pause().toSeconds());
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(config.pause())
                    .chain(() -> tenant(tenant, items));
        });
    }

    /**
     * Reads the opportunities these changes touch and publishes those whose content is new. Used by the consumer
     * and by reconciliation, which passes the records it found modified.
     *
     * @param causes for an opportunity, the event its snapshot follows (same correlation id); others originate one
     */
    public Uni<Result> hydrate(TenantId tenant, List<ChangeNotification> changes, Map<String, Envelope> causes) {
        int[] calls = {0};
        // a tenant failing its preflight waits here (the consumer reads the same changes again later)
        return preflight.gate(tenant).chain(() -> query(tenant)).chain(query -> versions.now().chain(readAt -> resolve(tenant, query, changes, calls)
                .chain(ids -> read(tenant, query, ids, calls))
                .chain(found -> dated(tenant, found, changes, readAt))
                .chain(found -> publish(tenant, found, causes, readAt)
                        .map(published -> new Result(calls[0], published, found.snapshots().size() - published,
                                found.missing(), found.held()))))
        ).invoke(r -> {
            registry.counter("cosell.salesforce.hydrations", "tenant", tenant.value(), "outcome", "published")
                    .increment(r.published());
            registry.counter("cosell.salesforce.hydrations", "tenant", tenant.value(), "outcome", "unchanged")
                    .increment(r.unchanged());
            registry.counter("cosell.salesforce.hydrations", "tenant", tenant.value(), "outcome", "not_found")
                    .increment(r.notFound());
            registry.counter("cosell.salesforce.hydrations", "tenant", tenant.value(), "outcome", "held")
                    .increment(r.held());
            LOG.debugf("tenant %s: %d changes → %d queries, %d snapshots published, %d unchanged, %d not found",
                    tenant.value(), changes.size(), r.queries(), r.published(), r.unchanged(), r.notFound());
        });
    }

    /**
     * The tenant's snapshot query: the field map's fields by the tenant's names, less those the org lacks (one
     * describe of each object per process; a failed one is asked again next time).
     */
    private Uni<SnapshotQuery> query(TenantId tenant) {
        return queries.computeIfAbsent(tenant.value(), t -> {
            Map<String, Set<String>> available = new ConcurrentHashMap<>();
            Uni<Void> describes = Uni.createFrom().voidItem();
            for (String object : List.of("Opportunity", "Account", "Contact", "User")) {
                describes = describes.chain(() -> orgs.client().fieldNames(tenant, object))
                        .invoke(names -> available.put(object, names)).replaceWithVoid();
            }
            return describes.map(x -> {
                SnapshotQuery query = new SnapshotQuery(orgs.mapping(tenant), FieldMap.standard(), available);
                if (!query.missing().isEmpty()) {
                    LOG.warnf("tenant %s: the org has no field %s; snapshots leave them out (name the org's own"
                            + " fields in the tenant's mapping file)", t, query.missing());
                }
                return query;
            }).memoize().indefinitely().onFailure().invoke(() -> queries.remove(t));
        });
    }

    /** The opportunities the changed records belong to. */
    private Uni<Set<String>> resolve(TenantId tenant, SnapshotQuery query, List<ChangeNotification> changes,
            int[] calls) {
        Map<String, Set<String>> byEntity = new LinkedHashMap<>();
        for (ChangeNotification c : changes) {
            if (c.recordId() != null && Soql.isRecordId(c.recordId())) {
                byEntity.computeIfAbsent(c.entity(), e -> new LinkedHashSet<>()).add(c.recordId());
            }
        }
        Set<String> opportunities = new LinkedHashSet<>(byEntity.getOrDefault("Opportunity", Set.of()));
        Set<String> unresolved = new LinkedHashSet<>();
        Uni<Void> work = Uni.createFrom().voidItem();
        for (Map.Entry<String, Set<String>> e : byEntity.entrySet()) {
            Set<String> ids = e.getValue();
            String sync = query.syncField();
            switch (e.getKey()) {
                case "OpportunityContactRole" -> work = work.chain(() -> lookup(tenant, "OpportunityContactRole",
                        "Id, OpportunityId", "Id", ids, "OpportunityId", "", opportunities, unresolved, calls));
                case "OpportunityTeamMember" -> work = work.chain(() -> lookup(tenant, "OpportunityTeamMember",
                        "Id, OpportunityId", "Id", ids, "OpportunityId", "", opportunities, unresolved, calls));
                case "Microsoft_Solution__c" -> work = work.chain(() -> lookup(tenant, "Microsoft_Solution__c",
                        "Id, " + query.solutionParent(), "Id", ids, query.solutionParent(), "", opportunities,
                        unresolved, calls));
                case "Contact" -> work = work.chain(() -> {
                    // a contact is in the synced opportunities whose roles name it (and in those it was in: removed)
                    unresolved.addAll(ids);
                    return lookup(tenant, "OpportunityContactRole", "OpportunityId", "ContactId", ids,
                            "OpportunityId", " AND Opportunity." + sync + " = true", opportunities, null, calls);
                });
                case "Account" -> work = work.chain(() -> lookup(tenant, "Opportunity", "Id", "AccountId", ids, "Id",
                        " AND " + sync + " = true", opportunities, null, calls));
                case "Opportunity" -> {
                }
                default -> LOG.debugf("tenant %s: changes of %s are not hydrated", tenant.value(), e.getKey());
            }
        }
        return work.chain(() -> links.opportunitiesOf(tenant.value(), unresolved))
                .map(linked -> {
                    opportunities.addAll(linked);
                    return opportunities;
                });
    }

    /**
     * One query per 200 ids: {@code SELECT <select> FROM <object> WHERE <by> IN (…)<filter>}; the value of
     * {@code parent} of each row is an opportunity. With {@code unresolved}, ids not found are added to it.
     */
    private Uni<Void> lookup(TenantId tenant, String object, String select, String by, Set<String> ids,
            String parent, String filter, Set<String> opportunities, Set<String> unresolved, int[] calls) {
        Uni<Void> work = Uni.createFrom().voidItem();
        SalesforceClient client = orgs.client();
        for (List<String> chunk : Soql.chunks(ids, SnapshotQuery.IDS_PER_QUERY)) {
            work = work.chain(() -> {
                calls[0]++;
                return client.query(tenant, object, "SELECT " + select + " FROM " + object + " WHERE " + by + " IN "
                        + Soql.idList(chunk) + filter);
            }).invoke(rows -> {
                Set<String> found = new LinkedHashSet<>();
                for (JsonNode row : rows) {
                    found.add(row.path("Id").asText());
                    if (row.hasNonNull(parent)) {
                        opportunities.add(row.get(parent).asText());
                    }
                }
                if (unresolved != null) {
                    chunk.stream().filter(id -> !found.contains(id)).forEach(unresolved::add);
                }
            }).replaceWithVoid();
        }
        return work;
    }

    private record Found(List<OpportunitySnapshot> snapshots, int missing, int held) {

        Found(List<OpportunitySnapshot> snapshots, int missing) {
            this(snapshots, missing, 0);
        }
    }

    /** The snapshots dated by the opportunities' change events, less those held back for an event on its way. */
    private Uni<Found> dated(TenantId tenant, Found found, List<ChangeNotification> changes, Instant readAt) {
        List<String> ids = found.snapshots().stream().map(OpportunitySnapshot::opportunityId).toList();
        return histories.learn(tenant.value(), changes, ids).map(history -> {
            List<OpportunitySnapshot> dated = new ArrayList<>();
            int held = 0;
            for (OpportunitySnapshot snapshot : found.snapshots()) {
                CommitClock.Dated d = CommitClock.date(snapshot, changes, history.get(snapshot.opportunityId()),
                        readAt);
                if (d.held()) {
                    held++;
                    LOG.debugf("tenant %s: opportunity %s held back: it shows a save of %s whose change event has"
                            + " not come yet", tenant.value(), snapshot.opportunityId(), snapshot.systemModstamp());
                } else {
                    dated.add(d.snapshot());
                }
            }
            return new Found(dated, found.missing(), held);
        });
    }

    private Uni<Found> read(TenantId tenant, SnapshotQuery query, Set<String> ids, int[] calls) {
        List<OpportunitySnapshot> found = new ArrayList<>();
        Uni<Void> work = Uni.createFrom().voidItem();
        for (List<String> chunk : Soql.chunks(ids, SnapshotQuery.IDS_PER_QUERY)) {
            work = work.chain(() -> {
                calls[0]++;
                return orgs.client().query(tenant, "Opportunity", query.soql(chunk));
            }).invoke(rows -> rows.forEach(row -> found.add(query.snapshot(row)))).replaceWithVoid();
        }
        // an opportunity not found was deleted (or is not visible to the integration user)
        return work.map(x -> new Found(found, ids.size() - found.size()));
    }

    private Uni<Integer> publish(TenantId tenant, Found found, Map<String, Envelope> causes, Instant readAt) {
        if (found.snapshots().isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<String> ids = found.snapshots().stream().map(OpportunitySnapshot::opportunityId).toList();
        return versions.last(tenant.value(), ids).chain(last -> {
            List<Uni<SnapshotVersions.Published>> sends = new ArrayList<>();
            for (OpportunitySnapshot snapshot : found.snapshots()) {
                String version = SnapshotQuery.version(snapshot);
                SnapshotVersions.Last before = last.get(snapshot.opportunityId());
                if (before != null && !before.supersededBy(version, readAt)) {
                    continue;
                }
                Envelope cause = causes.get(snapshot.opportunityId());
                Envelope envelope = cause != null
                        ? cause.follow(EventType.OPPORTUNITY_SNAPSHOT, SOURCE, snapshot.opportunityId(), version)
                        : Envelope.originating(EventType.OPPORTUNITY_SNAPSHOT, SOURCE, snapshot.opportunityId(),
                                tenant, version);
                sends.add(snapshots.sendMessage(OutboundEvents.message(envelope, snapshot)).replaceWith(
                        new SnapshotVersions.Published(snapshot.opportunityId(), version, envelope.id(), readAt)));
            }
            if (sends.isEmpty()) {
                return Uni.createFrom().item(List.<SnapshotVersions.Published>of());
            }
            return Uni.join().all(sends).andFailFast();
        }).chain(published -> versions.remember(tenant.value(), published)
                .chain(() -> links.replace(tenant.value(), found.snapshots()))
                .replaceWith(published.size()));
    }

    private Uni<Void> deadLetter(KafkaRecord<String, byte[]> record, String code, String reason) {
        LOG.warnf("%s dead-letters a change notification: %s %s", SERVICE, code, reason);
        registry.counter("cosell.dead.letters", "service", SERVICE, "reason", code).increment();
        return deadLetterTopic.sendMessage(deadLetters.of(record, code, reason, 1));
    }
}
