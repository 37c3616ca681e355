package io.cosellsync.ingress.partnercenter.polling;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** {@code poll_watermark}: how far each tenant's reconciliation poller has read. */
@ApplicationScoped
public class Watermarks {

    private final Pool pool;

    public Watermarks(Pool pool) {
        this.pool = pool;
    }

    /** How far a tenant was read: after {@code updatedSince}; the backfill (open referrals only) began then. */
    public record Watermark(Instant updatedSince, Instant backfilledAt) {
    }

    /** The tenant's watermark; empty before the first backfill. */
    public Uni<Optional<Watermark>> find(String tenant) {
        return pool.preparedQuery("SELECT updated_since, backfilled_at FROM poll_watermark"
                + " WHERE tenant_id = $1").execute(Tuple.of(tenant)).map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Optional.empty();
                    }
                    var row = rows.iterator().next();
                    return Optional.of(new Watermark(row.getOffsetDateTime(0).toInstant(),
                            row.getOffsetDateTime(1).toInstant()));
                });
    }

    /**
     * Moves the watermark (never backwards) after a run published everything up to {@code upTo};
     * {@code backfillStarted} is recorded by the first run only.
     */
    public Uni<Void> advance(String tenant, Instant upTo, Instant backfillStarted, long published) {
        return pool.preparedQuery("""
                INSERT INTO poll_watermark (tenant_id, updated_since, backfilled_at, last_run_at, published)
                VALUES ($1, $2, $4, now(), $3)
                ON CONFLICT (tenant_id) DO UPDATE
                   SET updated_since = GREATEST(poll_watermark.updated_since, EXCLUDED.updated_since),
                       last_run_at = now(), published = poll_watermark.published + EXCLUDED.published""")
                .execute(Tuple.of(tenant, upTo.atOffset(ZoneOffset.UTC), published,
                        backfillStarted.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }
}
