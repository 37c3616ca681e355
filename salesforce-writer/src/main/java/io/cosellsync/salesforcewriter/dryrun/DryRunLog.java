package io.cosellsync.salesforcewriter.dryrun;

import io.cosellsync.events.TenantId;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The release's record of what its writers would have written for tenants in dry run ({@code dry_run_write}): this
 * writer's own lines and the partnercenter-writer's, which arrive as {@code DRY_RUN} outcomes. Each line is also
 * logged and counted ({@code cosell_dry_run_writes_total{tenant,writer}}). A tenant's lines are cleared when it goes
 * live.
 */
@ApplicationScoped
public class DryRunLog {

    /** One line: which writer, about what (a referral or opportunity id), what it would have written, when. */
    public record Line(String writer, String subject, String would, Instant recordedAt) {
    }

    private final Pool pool;
    private final MeterRegistry registry;

    public DryRunLog(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        this.registry = registry;
    }

    /** This writer's line: logged, counted and kept. */
    public Uni<Void> record(TenantId tenant, String writer, String subject, String would) {
        Log.infof("tenant %s: dry run: %s %s", tenant.value(), writer, would);
        registry.counter("cosell.dry.run.writes", "tenant", tenant.value(), "writer", writer).increment();
        return store(tenant, writer, subject, would);
    }

    /** Another writer's line (it logged and counted it): kept. */
    public Uni<Void> store(TenantId tenant, String writer, String subject, String would) {
        return pool.preparedQuery("INSERT INTO dry_run_write (tenant_id, writer, subject, would, recorded_at)"
                + " VALUES ($1, $2, $3, $4, $5)").execute(Tuple.of(tenant.value(), writer, subject, would,
                        OffsetDateTime.now(ZoneOffset.UTC))).replaceWithVoid();
    }

    /** The tenant's lines, newest first. */
    public Uni<List<Line>> lines(TenantId tenant, int limit) {
        return pool.preparedQuery("SELECT writer, subject, would, recorded_at FROM dry_run_write WHERE tenant_id = $1"
                + " ORDER BY seq DESC LIMIT $2").execute(Tuple.of(tenant.value(), limit)).map(rows -> {
                    List<Line> out = new ArrayList<>();
                    for (Row row : rows) {
                        out.add(new Line(row.getString("writer"), row.getString("subject"), row.getString("would"),
                                row.getOffsetDateTime("recorded_at").toInstant()));
                    }
                    return out;
                });
    }

    public Uni<Void> clear(TenantId tenant) {
        return pool.preparedQuery("DELETE FROM dry_run_write WHERE tenant_id = $1").execute(Tuple.of(tenant.value()))
                .replaceWithVoid();
    }
}
