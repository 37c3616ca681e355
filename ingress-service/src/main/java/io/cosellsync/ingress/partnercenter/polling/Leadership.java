package io.cosellsync.ingress.partnercenter.polling;

import io.cosellsync.events.TenantId;
import io.cosellsync.support.config.TenancyConfig;
import io.cosellsync.support.persistence.DatabaseConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Which replica polls and registers webhooks for a tenant: the one holding a PostgreSQL session advisory lock on
 * its own connection. The lock goes with the connection, so when the leader dies (or loses the database) another
 * replica gets it at its next try. Gauge {@code cosell.ingress.leader{tenant}} is 1 on the leader.
 */
@ApplicationScoped
public class Leadership {

    private static final Logger LOG = Logger.getLogger(Leadership.class);

    private final Pool pool;
    private final String schema;
    private final Map<String, SqlConnection> held = new ConcurrentHashMap<>();

    public Leadership(Pool pool, TenancyConfig tenancy, MeterRegistry registry, DatabaseConfig database) {
        this.pool = pool;
        this.schema = database.schema();
        for (TenantId tenant : tenancy.tenants()) {
            Gauge.builder("cosell.ingress.leader", held, h -> h.containsKey(tenant.value()) ? 1 : 0)
                    .tag("tenant", tenant.value()).description("1 on the replica that polls and registers webhooks")
                    .register(registry);
        }
    }

    public boolean leads(TenantId tenant) {
        return held.containsKey(tenant.value());
    }

    /** Keeps (checking its connection) or tries to take the tenant's lock; true when this replica leads. */
    public Uni<Boolean> refresh(TenantId tenant) {
        SqlConnection connection = held.get(tenant.value());
        if (connection != null) {
            return connection.query("SELECT 1").execute().map(rows -> true).onFailure().recoverWithUni(e -> {
                LOG.warnf("tenant %s: lost the poller lock's connection (%s)", tenant.value(), e.getMessage());
                release(tenant);
                return Uni.createFrom().item(false);
            });
        }
        return pool.getConnection().chain(c -> c.preparedQuery("SELECT pg_try_advisory_lock(hashtext($1))")
                // per release (its schema) and tenant: two releases sharing a database each have a leader
                .execute(Tuple.of("cosell-ingress-partner-center:" + schema + ":" + tenant.value()))
                .map(rows -> rows.iterator().next().getBoolean(0))
                .chain(got -> {
                    if (!got) {
                        return c.close().replaceWith(false);
                    }
                    held.put(tenant.value(), c);
                    LOG.infof("tenant %s: this replica now polls Partner Center and owns its webhook registration",
                            tenant.value());
                    return Uni.createFrom().item(true);
                })
                .onFailure().call(e -> c.close()))
                .onFailure().recoverWithItem(false);
    }

    /** Gives the lock up (shutdown, lost connection). */
    public void release(TenantId tenant) {
        SqlConnection connection = held.remove(tenant.value());
        if (connection != null) {
            connection.close().subscribe().with(x -> { }, x -> { });
        }
    }
}
