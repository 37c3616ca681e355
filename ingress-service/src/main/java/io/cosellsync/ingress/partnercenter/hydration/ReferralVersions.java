package io.cosellsync.ingress.partnercenter.hydration;

import io.cosellsync.events.Envelope;
import io.cosellsync.events.TenantId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;

/**
 * The referral snapshots last published ({@code published_version}, source {@code partner-center}): the version
 * (both eTags) and the referral's {@code updatedDateTime}, one row per tenant and referral. The peer of the
 * Salesforce side's {@code SnapshotVersions}.
 */
@ApplicationScoped
public class ReferralVersions {

    public static final String SOURCE = "partner-center";

    /** What was last published of one referral. */
    public record Last(String version, Instant updatedAt) {

        /**
         * Whether a snapshot of this version, made at {@code otherUpdatedAt}, adds nothing: the same version, or one
         * older than this (by the referral's {@code updatedDateTime}, where both are known).
         */
        public boolean covers(String otherVersion, Instant otherUpdatedAt) {
            return version.equals(otherVersion)
                    || otherUpdatedAt != null && updatedAt != null && updatedAt.isAfter(otherUpdatedAt);
        }
    }

    private final Pool pool;

    public ReferralVersions(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<Last>> last(TenantId tenant, String referralId) {
        return pool.preparedQuery("SELECT source_version, source_updated_at FROM published_version"
                + " WHERE tenant_id = $1 AND source = $2 AND record_id = $3")
                .execute(Tuple.of(tenant.value(), SOURCE, referralId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    OffsetDateTime at = row.getOffsetDateTime(1);
                    return Optional.of(new Last(row.getString(0), at == null ? null : at.toInstant()));
                });
    }

    /** Remembers the snapshot just published (insert or replace). */
    public Uni<Void> remember(Envelope envelope, Instant updatedAt) {
        return pool.preparedQuery("""
                INSERT INTO published_version
                    (tenant_id, source, record_id, source_version, event_id, published_at, source_updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (tenant_id, source, record_id) DO UPDATE
                    SET source_version = EXCLUDED.source_version, event_id = EXCLUDED.event_id,
                        published_at = EXCLUDED.published_at, source_updated_at = EXCLUDED.source_updated_at""")
                .execute(Tuple.tuple(Arrays.asList(envelope.tenant().value(), SOURCE, envelope.subject(),
                        envelope.sourceVersion(), envelope.id(), OffsetDateTime.now(ZoneOffset.UTC),
                        updatedAt == null ? null : updatedAt.atOffset(ZoneOffset.UTC))))
                .replaceWithVoid();
    }
}
