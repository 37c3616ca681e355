package io.cosellsync.ingress.salesforce.cdc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** {@code salesforce_replay}: where each tenant's subscription resumes, and owed reconciliations. */
@ApplicationScoped
public class ReplayPositions {

    /** A reconciliation owed "since the beginning": the initial one, of every synced open opportunity. */
    public static final Instant FROM_THE_BEGINNING = Instant.EPOCH;

    private final Pool pool;

    public ReplayPositions(Pool pool) {
        this.pool = pool;
    }

    /** The replay id to resume after; empty before the first event or after Salesforce forgot it. */
    public Uni<Optional<byte[]>> find(String tenant, String topic) {
        return pool.preparedQuery("SELECT replay_id FROM salesforce_replay WHERE tenant_id = $1"
                + " AND topic = $2").execute(Tuple.of(tenant, topic)).map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Optional.empty();
                    }
                    Buffer id = rows.iterator().next().getBuffer(0);
                    return Optional.ofNullable(id == null ? null : id.getBytes());
                });
    }

    /** Records that everything up to this replay id reached Kafka. */
    public Uni<Void> save(String tenant, String topic, byte[] replayId) {
        return pool.preparedQuery("""
                INSERT INTO salesforce_replay (tenant_id, topic, replay_id, updated_at)
                VALUES ($1, $2, $3, now())
                ON CONFLICT (tenant_id, topic) DO UPDATE SET replay_id = EXCLUDED.replay_id, updated_at = now()""")
                .execute(Tuple.of(tenant, topic, io.vertx.core.buffer.Buffer.buffer(replayId))).replaceWithVoid();
    }

    /**
     * Salesforce no longer knows the stored replay id: it is dropped (the subscription starts from the oldest event
     * kept) and a reconciliation is owed from when the position was last saved (kept if one is owed already).
     */
    public Uni<Void> forget(String tenant, String topic) {
        return pool.preparedQuery("""
                UPDATE salesforce_replay
                   SET replay_id = NULL, reconcile_since = COALESCE(reconcile_since, updated_at), updated_at = now()
                 WHERE tenant_id = $1 AND topic = $2""").execute(Tuple.of(tenant, topic)).replaceWithVoid();
    }

    /** Since when a reconciliation is owed, if one is. */
    public Uni<Optional<Instant>> reconcileSince(String tenant, String topic) {
        return pool.preparedQuery("SELECT reconcile_since FROM salesforce_replay WHERE tenant_id = $1"
                + " AND topic = $2").execute(Tuple.of(tenant, topic)).map(rows -> rows.iterator().hasNext()
                        ? Optional.ofNullable(rows.iterator().next().getOffsetDateTime(0)).map(t -> t.toInstant())
                        : Optional.empty());
    }

    /**
     * On the very first subscription of a tenant's channel (no row yet): the stream starts at the newest event, so
     * the initial reconciliation ({@link #FROM_THE_BEGINNING}) is owed: every synced open opportunity read once.
     */
    public Uni<Void> firstStart(String tenant, String topic) {
        return pool.preparedQuery("INSERT INTO salesforce_replay (tenant_id, topic, updated_at,"
                + " reconcile_since) VALUES ($1, $2, now(), $3) ON CONFLICT (tenant_id, topic) DO NOTHING")
                .execute(Tuple.of(tenant, topic, FROM_THE_BEGINNING.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    /** The reconciliation owed since {@code since} is done (unless an earlier one was recorded meanwhile). */
    public Uni<Void> settled(String tenant, String topic, Instant since) {
        return pool.preparedQuery("UPDATE salesforce_replay SET reconcile_since = NULL WHERE tenant_id = $1"
                + " AND topic = $2 AND reconcile_since >= $3")
                .execute(Tuple.of(tenant, topic, since.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    /** Records that events may have been missed since {@code since} (kept if an earlier one is owed). */
    public Uni<Void> owe(String tenant, String topic, Instant since) {
        return pool.preparedQuery("""
                INSERT INTO salesforce_replay (tenant_id, topic, updated_at, reconcile_since)
                VALUES ($1, $2, now(), $3)
                ON CONFLICT (tenant_id, topic) DO UPDATE
                   SET reconcile_since = LEAST(COALESCE(salesforce_replay.reconcile_since, EXCLUDED.reconcile_since),
                                               EXCLUDED.reconcile_since)""")
                .execute(Tuple.of(tenant, topic, since.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }
}
