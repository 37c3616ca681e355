package io.cosellsync.ingress.salesforce.hydration;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The opportunity snapshots last published ({@code published_version}, source {@code salesforce}): the
 * content digest and when the state it shows was read. A snapshot is published only when its digest differs from
 * the last one and it was read later than the last one — so a repeated or redelivered change publishes nothing, and
 * a read that raced a newer one (the same opportunity hydrated from two partitions) never lands on top of it.
 */
@ApplicationScoped
public class SnapshotVersions {

    static final String SOURCE = "salesforce";

    /** What was last published of one opportunity. */
    public record Last(String version, Instant readAt) {

        /** Whether a snapshot with this version, read at this time, is news. */
        public boolean supersededBy(String otherVersion, Instant otherReadAt) {
            return !version.equals(otherVersion) && (readAt == null || !readAt.isAfter(otherReadAt));
        }
    }

    /** A snapshot just published. */
    public record Published(String opportunityId, String version, String eventId, Instant readAt) {
    }

    private final Pool pool;

    public SnapshotVersions(Pool pool) {
        this.pool = pool;
    }

    /** The database's clock: when a read starts, comparable across replicas. */
    public Uni<Instant> now() {
        return pool.query("SELECT clock_timestamp()").execute()
                .map(rows -> rows.iterator().next().getOffsetDateTime(0).toInstant());
    }

    public Uni<Map<String, Last>> last(String tenant, Collection<String> opportunityIds) {
        return pool.preparedQuery("SELECT record_id, source_version, source_updated_at FROM published_version"
                + " WHERE tenant_id = $1 AND source = $2 AND record_id = ANY($3)")
                .execute(Tuple.of(tenant, SOURCE, opportunityIds.toArray(new String[0])))
                .map(rows -> {
                    Map<String, Last> last = new HashMap<>();
                    for (Row row : rows) {
                        OffsetDateTime at = row.getOffsetDateTime(2);
                        last.put(row.getString(0), new Last(row.getString(1), at == null ? null : at.toInstant()));
                    }
                    return last;
                });
    }

    /** Remembers what was published, never replacing a version read later. */
    public Uni<Void> remember(String tenant, List<Published> published) {
        if (published.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = published.stream().map(p -> Tuple.tuple(List.of(tenant, SOURCE, p.opportunityId(),
                p.version(), p.eventId(), OffsetDateTime.now(ZoneOffset.UTC), p.readAt().atOffset(ZoneOffset.UTC))))
                .toList();
        return pool.preparedQuery("""
                INSERT INTO published_version
                    (tenant_id, source, record_id, source_version, event_id, published_at, source_updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (tenant_id, source, record_id) DO UPDATE
                    SET source_version = EXCLUDED.source_version, event_id = EXCLUDED.event_id,
                        published_at = EXCLUDED.published_at, source_updated_at = EXCLUDED.source_updated_at
                  WHERE published_version.source_updated_at IS NULL
                     OR published_version.source_updated_at <= EXCLUDED.source_updated_at""")
                .executeBatch(rows).replaceWithVoid();
    }
}
