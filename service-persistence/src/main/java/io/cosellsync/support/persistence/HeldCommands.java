package io.cosellsync.support.persistence;

import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.support.config.TenancyConfig;
import io.cosellsync.support.kafka.OutboundEvents;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The commands a writer held while their tenant was in dry run ({@code held_command}, in the writer's schema): each
 * as it was consumed — its envelope and body — in the order it came, so that it can be sent again, unchanged, once
 * the tenant syncs for real. Every row is the tenant's.
 */
@ApplicationScoped
public class HeldCommands {

    /** A held command: its row number (the order it came in), envelope and body. */
    public record Held(long seq, Envelope envelope, byte[] body) {
    }

    private final Pool pool;
    private final TenancyConfig tenancy;
    private final DatabaseSchema schema;

    public HeldCommands(Pool pool, TenancyConfig tenancy,
            @org.eclipse.microprofile.health.Readiness DatabaseSchema schema) {
        this.pool = pool;
        this.tenancy = tenancy;
        this.schema = schema;
    }

    /**
     * Once the schema is migrated, sends again (to {@code topic}, the writer's own input) the held commands of every
     * served tenant that is no longer in dry run, in the background; a failure is retried with backoff.
     *
     * @param onLive called for each such tenant after its commands went out (e.g. to clear its dry-run lines)
     */
    public void releaseLiveTenants(String writer, MutinyEmitter<byte[]> topic,
            java.util.function.Function<TenantId, Uni<Void>> onLive) {
        for (TenantId tenant : tenancy.dryRun().orElse(List.of())) {
            if (tenancy.serves(tenant)) {
                Log.infof("tenant %s is in dry run: %s records what it would write and writes nothing",
                        tenant.value(), writer);
            } else {
                Log.warnf("cosell.dry-run names %s, which this process does not serve (cosell.tenants)",
                        tenant.value());
            }
        }
        Uni<Void> all = Uni.createFrom().completionStage(schema::migrated).replaceWithVoid();
        for (TenantId tenant : tenancy.tenants()) {
            if (!tenancy.dryRun(tenant)) {
                all = all.chain(() -> release(tenant, h -> topic.sendMessage(OutboundEvents.again(h.envelope(),
                        h.body()))).invoke(n -> {
                            if (n > 0) {
                                Log.infof("tenant %s: dry run over: %s sent its %d held commands again", tenant.value(),
                                        writer, n);
                            }
                        }).chain(n -> onLive.apply(tenant)));
            }
        }
        all.onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely()
                .subscribe().with(x -> { }, e -> Log.errorf("%s could not send its held commands: %s", writer, e));
    }

    public Uni<Void> hold(Envelope envelope, byte[] body) {
        return pool.preparedQuery("""
                INSERT INTO held_command (tenant_id, event_id, event_type, source, occurred_at, subject,
                    correlation_id, source_version, body, held_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""")
                .execute(Tuple.tuple(Arrays.asList(envelope.tenant().value(), envelope.id(),
                        envelope.type().ceType(), envelope.source().toString(),
                        envelope.time().atOffset(ZoneOffset.UTC), envelope.subject(), envelope.correlationId(),
                        envelope.sourceVersion(), Buffer.buffer(body), OffsetDateTime.now(ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    /** The tenant's held commands, oldest first, at most {@code limit}. */
    public Uni<List<Held>> held(TenantId tenant, int limit) {
        return pool.preparedQuery("""
                SELECT seq, event_id, event_type, source, occurred_at, subject, correlation_id, source_version, body
                FROM held_command WHERE tenant_id = $1 ORDER BY seq LIMIT $2""")
                .execute(Tuple.of(tenant.value(), limit)).map(rows -> {
                    List<Held> out = new ArrayList<>();
                    for (Row row : rows) {
                        Envelope envelope = new Envelope(row.getString("event_id"),
                                EventType.fromCeType(row.getString("event_type")).orElseThrow(),
                                URI.create(row.getString("source")), row.getOffsetDateTime("occurred_at").toInstant(),
                                row.getString("subject"), tenant, row.getString("correlation_id"),
                                row.getString("source_version"));
                        out.add(new Held(row.getLong("seq"), envelope, row.getBuffer("body").getBytes()));
                    }
                    return out;
                });
    }

    /**
     * Sends each of the tenant's held commands again, oldest first, a page at a time, forgetting each page once it is
     * sent: a crash in between sends a page twice, which the writers' idempotence absorbs. Emits how many were sent.
     */
    public Uni<Integer> release(TenantId tenant, java.util.function.Function<Held, Uni<Void>> send) {
        return held(tenant, 500).chain(page -> {
            if (page.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            Uni<Void> sent = Uni.createFrom().voidItem();
            for (Held h : page) {
                sent = sent.chain(() -> send.apply(h));
            }
            return sent.chain(() -> forget(tenant, page.get(page.size() - 1).seq()))
                    .chain(() -> release(tenant, send)).map(more -> page.size() + more);
        });
    }

    /** Forgets the tenant's held commands up to and including {@code seq} (sent again). */
    public Uni<Void> forget(TenantId tenant, long seq) {
        return pool.preparedQuery("DELETE FROM held_command WHERE tenant_id = $1 AND seq <= $2")
                .execute(Tuple.of(tenant.value(), seq)).replaceWithVoid();
    }
}
