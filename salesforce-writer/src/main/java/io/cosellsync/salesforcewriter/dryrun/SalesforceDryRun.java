package io.cosellsync.salesforcewriter.dryrun;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.Envelope;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.command.SalesforceCommand;
import io.cosellsync.events.command.UpdateOpportunityCommand;
import io.cosellsync.events.command.UpsertOpportunityCommand;
import io.cosellsync.salesforce.client.SalesforceClient;
import io.cosellsync.salesforce.client.Soql;
import io.cosellsync.support.persistence.HeldCommands;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The salesforce-writer for a tenant in dry run: reads the opportunities its commands address (reading is allowed),
 * records what each command would write ({@link WouldWrite}, {@link DryRunLog}) and holds the command
 * ({@link HeldCommands}) instead of writing. Nothing is written to Salesforce and no sync state changes, so the held
 * commands apply as if new when the tenant goes live.
 */
@ApplicationScoped
public class SalesforceDryRun {

    public static final String WRITER = "salesforce-writer";
    private static final int IN_LIMIT = 100;

    /** A command as consumed. */
    public record Command(Envelope envelope, byte[] body, SalesforceCommand payload) {
    }

    private final SalesforceClient salesforce;
    private final DryRunLog log;
    private final HeldCommands held;

    public SalesforceDryRun(SalesforceClient salesforce, DryRunLog log, HeldCommands held) {
        this.salesforce = salesforce;
        this.log = log;
        this.held = held;
    }

    public Uni<Void> record(TenantId tenant, List<Command> commands) {
        Map<String, List<UpsertOpportunityCommand>> upsertsByKey = new HashMap<>();
        Set<String> ids = new LinkedHashSet<>();
        Set<String> fields = new LinkedHashSet<>(List.of("Id", "StageName"));
        for (Command c : commands) {
            c.payload().either(upsert -> {
                upsertsByKey.computeIfAbsent(upsert.externalIdField(), k -> new java.util.ArrayList<>()).add(upsert);
                if (upsert.opportunityId() != null) {
                    ids.add(upsert.opportunityId());
                }
                fields.add(upsert.externalIdField());
                fields.addAll(upsert.opportunityFields().keySet());
                return null;
            }, update -> {
                ids.add(update.opportunityId());
                fields.addAll(update.fields().keySet());
                return null;
            });
        }
        Map<String, JsonNode> byReferral = new HashMap<>();
        Map<String, JsonNode> byId = new HashMap<>();
        Uni<Void> reads = Uni.createFrom().voidItem();
        for (Map.Entry<String, List<UpsertOpportunityCommand>> e : upsertsByKey.entrySet()) {
            List<String> referrals = e.getValue().stream().map(UpsertOpportunityCommand::referralId).distinct()
                    .toList();
            reads = reads.chain(() -> read(tenant, fields, e.getKey(), referrals,
                    row -> byReferral.put(row.path(e.getKey()).asText(), row)));
        }
        reads = reads.chain(() -> read(tenant, fields, "Id", List.copyOf(ids), row -> byId.put(row.path("Id")
                .asText(), row)));
        return reads.onFailure().recoverWithUni(e -> {
            Log.warnf("tenant %s: dry run could not read the opportunities (%s); lines say so", tenant.value(),
                    e.getMessage());
            return Uni.createFrom().voidItem();
        }).chain(() -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Command c : commands) {
                String subject = c.envelope().subject();
                String would = c.payload().either(upsert -> WouldWrite.upsert(upsert, byReferral.getOrDefault(
                        upsert.referralId(), upsert.opportunityId() == null ? null : byId.get(upsert.opportunityId()))),
                        update -> WouldWrite.update(update, byId.get(update.opportunityId())));
                chain = chain.chain(() -> log.record(tenant, WRITER, subject, would))
                        .chain(() -> held.hold(c.envelope(), c.body()));
            }
            return chain;
        });
    }

    private Uni<Void> read(TenantId tenant, Set<String> fields, String keyField, List<String> keys,
            java.util.function.Consumer<JsonNode> found) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        Function<List<String>, String> soql = chunk -> "SELECT " + String.join(", ", fields) + " FROM Opportunity"
                + " WHERE " + keyField + " IN " + Soql.in(chunk);
        for (List<String> chunk : Soql.chunks(keys, IN_LIMIT)) {
            chain = chain.chain(() -> salesforce.query(tenant, "Opportunity", soql.apply(chunk)).invoke(rows -> rows
                    .forEach(found)).replaceWithVoid());
        }
        return chain;
    }
}
