package io.cosellsync.salesforcewriter.writer;

import io.cosellsync.events.TenantId;
import io.cosellsync.events.command.ChildRecords;
import io.cosellsync.events.command.SalesforceCommand;
import io.cosellsync.events.command.UpdateOpportunityCommand;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.salesforce.client.SalesforceClient;
import io.cosellsync.salesforce.client.SalesforceRejected;
import io.cosellsync.salesforce.client.SalesforceUnavailable;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fields only some orgs have — {@code CurrencyIsoCode} exists only with multi-currency — are left out of a tenant's
 * writes and reads when its org lacks them, as preflight reports ("left out"); a field of the package that is
 * missing is an error there and holds the tenant instead. What the org has is read from describe and kept for
 * {@link #REFRESH} (an org that turns multi-currency on is written with currencies after that, or after a restart).
 */
@ApplicationScoped
public class OptionalFields {

    /** The optional fields by object. */
    static final Map<String, String> OPTIONAL = Map.of("Opportunity", "CurrencyIsoCode",
            "Microsoft_Solution__c", "CurrencyIsoCode");
    static final Duration REFRESH = Duration.ofMinutes(10);

    private record Known(Set<String> missing, Instant at) {
    }

    private final SalesforceClient salesforce;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    public OptionalFields(SalesforceClient salesforce) {
        this.salesforce = salesforce;
    }

    /** The tenant's org's missing optional fields, as {@code Object.Field}. */
    public Uni<Set<String>> missing(TenantId tenant) {
        Known k = known.get(tenant.value());
        if (k != null && Instant.now().isBefore(k.at().plus(REFRESH))) {
            return Uni.createFrom().item(k.missing());
        }
        Set<String> missing = ConcurrentHashMap.newKeySet();
        Uni<Void> all = Uni.createFrom().voidItem();
        for (Map.Entry<String, String> e : OPTIONAL.entrySet()) {
            all = all.chain(() -> salesforce.fieldNames(tenant, e.getKey())
                    .onFailure(f -> f instanceof SalesforceRejected r && r.status() == 404).recoverWithItem(Set.of())
                    .invoke(names -> {
                        if (names.stream().noneMatch(n -> n.equalsIgnoreCase(e.getValue()))) {
                            missing.add(e.getKey() + "." + e.getValue());
                        }
                    }).replaceWithVoid());
        }
        return all.map(x -> {
            Set<String> found = Set.copyOf(missing);
            known.put(tenant.value(), new Known(found, Instant.now()));
            return found;
        }).onFailure(e -> !(e instanceof SalesforceUnavailable)).recoverWithItem(e -> {
            // not known now (e.g. describe refused): written as today, and read again at the next batch
            Log.warnf("tenant %s: could not read which optional fields the org has: %s", tenant.value(),
                    e.getMessage());
            return Set.of();
        });
    }

    /** Forgets what is known of the tenant's org: the next batch reads its describe again. */
    public void forget(TenantId tenant) {
        known.remove(tenant.value());
    }

    /** The command without the fields the org lacks (the same command when it lacks none). */
    public static SalesforceCommand strip(SalesforceCommand command, Set<String> missing) {
        if (missing.isEmpty()) {
            return command;
        }
        return command.either(upsert -> new UpsertOpportunityCommand(upsert.referralId(), upsert.externalIdField(),
                upsert.sourceUpdatedAt(), upsert.checkMark(), without(upsert.opportunityFields(), "Opportunity",
                        missing), without(upsert.createOnlyFields(), "Opportunity", missing),
                upsert.latestFields().stream().filter(f -> !missing.contains("Opportunity." + f)).toList(),
                upsert.stageMove(), upsert.account(), upsert.children().stream().map(c -> new ChildRecords(c.object(),
                        c.link(), c.matchField(), c.records().stream().map(r -> without(r, c.object(), missing))
                                .toList())).toList(), upsert.opportunityId(), upsert.referralETag()),
                update -> new UpdateOpportunityCommand(update.opportunityId(), without(update.fields(), "Opportunity",
                        missing), update.reason(), update.auditField(), update.mark(), update.expected()));
    }

    private static Map<String, Object> without(Map<String, Object> fields, String object, Set<String> missing) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((field, value) -> {
            if (!missing.contains(object + "." + field)) {
                out.put(field, value);
            }
        });
        return out;
    }
}
