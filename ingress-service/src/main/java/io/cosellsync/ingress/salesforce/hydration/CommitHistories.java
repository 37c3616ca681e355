package io.cosellsync.ingress.salesforce.hydration;

import io.cosellsync.events.salesforce.ChangeNotification;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The opportunities' {@link CommitHistory}, kept in {@code salesforce_commit_history} so that it outlives a batch, a
 * restart and a partition moving to another replica. Only the consumer of an opportunity's own partition writes its
 * row (its events are keyed by its id); hydrations of its children elsewhere only read it.
 */
@ApplicationScoped
public class CommitHistories {

    private final Pool pool;

    public CommitHistories(Pool pool) {
        this.pool = pool;
    }

    /**
     * Learns these changes and returns the histories of the opportunities named, these changes included.
     *
     * @param opportunityIds the opportunities whose histories are wanted (those of the snapshots read)
     */
    public Uni<Map<String, CommitHistory>> learn(String tenant, List<ChangeNotification> changes,
            Collection<String> opportunityIds) {
        Set<String> ids = new LinkedHashSet<>(opportunityIds);
        changes.stream().filter(c -> "Opportunity".equals(c.entity()) && c.recordId() != null)
                .forEach(c -> ids.add(c.recordId()));
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return read(tenant, ids).chain(before -> {
            Map<String, CommitHistory> learnt = CommitHistory.after(before, changes);
            Map<String, CommitHistory> now = new HashMap<>(before);
            learnt.forEach((id, history) -> {
                if (history == null) {
                    now.remove(id);
                } else {
                    now.put(id, history);
                }
            });
            return write(tenant, learnt).replaceWith(now);
        });
    }

    private Uni<Map<String, CommitHistory>> read(String tenant, Set<String> ids) {
        return pool.preparedQuery("SELECT opportunity_id, created_at, last_commit, field_commits, our_fields, last_user"
                + " FROM salesforce_commit_history WHERE tenant_id = $1 AND opportunity_id = ANY($2)")
                .execute(Tuple.of(tenant, ids.toArray(new String[0])))
                .map(rows -> {
                    Map<String, CommitHistory> found = new HashMap<>();
                    for (Row row : rows) {
                        Map<String, Instant> fields = new HashMap<>();
                        JsonObject json = (JsonObject) row.getValue(3);
                        json.forEach(e -> fields.put(e.getKey(), Instant.parse((String) e.getValue())));
                        OffsetDateTime created = row.getOffsetDateTime(1);
                        found.put(row.getString(0), new CommitHistory(created == null ? null : created.toInstant(),
                                row.getOffsetDateTime(2).toInstant(), row.getString(5), fields,
                                Set.of(row.getArrayOfStrings(4))));
                    }
                    return found;
                });
    }

    private Uni<Void> write(String tenant, Map<String, CommitHistory> learnt) {
        List<Tuple> kept = new ArrayList<>();
        List<String> forgotten = new ArrayList<>();
        learnt.forEach((id, history) -> {
            if (history == null) {
                forgotten.add(id);
                return;
            }
            JsonObject fields = new JsonObject();
            history.fields().forEach((field, at) -> fields.put(field, at.toString()));
            kept.add(Tuple.tuple(List.of(tenant, id, fields, history.lastCommit().atOffset(ZoneOffset.UTC)))
                    .addOffsetDateTime(history.createdAt() == null ? null
                            : history.createdAt().atOffset(ZoneOffset.UTC))
                    .addArrayOfString(history.ours().stream().sorted().toArray(String[]::new))
                    .addString(history.lastUser()));
        });
        Uni<Void> work = Uni.createFrom().voidItem();
        if (!forgotten.isEmpty()) {
            work = work.chain(() -> pool.preparedQuery("DELETE FROM salesforce_commit_history"
                    + " WHERE tenant_id = $1 AND opportunity_id = ANY($2)")
                    .execute(Tuple.of(tenant, forgotten.toArray(new String[0]))).replaceWithVoid());
        }
        if (!kept.isEmpty()) {
            work = work.chain(() -> pool.preparedQuery("""
                    INSERT INTO salesforce_commit_history
                        (tenant_id, opportunity_id, field_commits, last_commit, created_at, our_fields, last_user)
                    VALUES ($1, $2, $3, $4, $5, $6, $7)
                    ON CONFLICT (tenant_id, opportunity_id) DO UPDATE
                        SET field_commits = EXCLUDED.field_commits, last_commit = EXCLUDED.last_commit,
                            created_at = EXCLUDED.created_at, our_fields = EXCLUDED.our_fields,
                            last_user = EXCLUDED.last_user""").executeBatch(kept).replaceWithVoid());
        }
        return work;
    }
}
