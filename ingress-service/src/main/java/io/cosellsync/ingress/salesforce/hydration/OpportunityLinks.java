package io.cosellsync.ingress.salesforce.hydration;

import io.cosellsync.events.salesforce.OpportunitySnapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code salesforce_link}: the opportunities each child record belonged to when last hydrated. */
@ApplicationScoped
public class OpportunityLinks {

    private final Pool pool;

    public OpportunityLinks(Pool pool) {
        this.pool = pool;
    }

    /** The opportunities these children belonged to. */
    public Uni<Set<String>> opportunitiesOf(String tenant, Collection<String> childIds) {
        if (childIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return pool.preparedQuery("SELECT DISTINCT opportunity_id FROM salesforce_link"
                + " WHERE tenant_id = $1 AND child_id = ANY($2)")
                .execute(Tuple.of(tenant, childIds.toArray(new String[0])))
                .map(rows -> {
                    Set<String> ids = new LinkedHashSet<>();
                    for (Row row : rows) {
                        ids.add(row.getString(0));
                    }
                    return ids;
                });
    }

    /** Replaces the links of these opportunities with their children as read now. */
    public Uni<Void> replace(String tenant, Collection<OpportunitySnapshot> snapshots) {
        if (snapshots.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] opportunities = snapshots.stream().map(OpportunitySnapshot::opportunityId).toArray(String[]::new);
        List<Tuple> links = new ArrayList<>();
        for (OpportunitySnapshot s : snapshots) {
            Set<String> children = new LinkedHashSet<>();
            s.contactRoles().forEach(r -> {
                children.add(r.id());
                children.add(r.contact().id());
            });
            s.solutions().forEach(l -> children.add(l.id()));
            s.team().forEach(m -> children.add(m.id()));
            children.forEach(c -> links.add(Tuple.of(tenant, c, s.opportunityId())));
        }
        return pool.withTransaction(connection -> connection.preparedQuery("DELETE FROM salesforce_link"
                + " WHERE tenant_id = $1 AND opportunity_id = ANY($2)").execute(Tuple.of(tenant, opportunities))
                .chain(() -> links.isEmpty() ? Uni.createFrom().nullItem()
                        : connection.preparedQuery("INSERT INTO salesforce_link (tenant_id, child_id,"
                                + " opportunity_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                                .executeBatch(links))
                .replaceWithVoid());
    }
}
