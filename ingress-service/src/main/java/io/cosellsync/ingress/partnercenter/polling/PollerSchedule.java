package io.cosellsync.ingress.partnercenter.polling;

import io.cosellsync.events.TenantId;
import io.cosellsync.ingress.support.FreshContext;
import io.cosellsync.support.config.TenancyConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps leadership fresh and, on the leader, polls each tenant every {@code ingress.poller.interval}. A run that
 * fails (Partner Center down, credential refused) is logged and tried again at the next tick; its watermark has not
 * moved, so nothing is skipped.
 */
@ApplicationScoped
public class PollerSchedule {

    private static final Logger LOG = Logger.getLogger(PollerSchedule.class);

    private final Poller poller;
    private final Leadership leadership;
    private final PollerConfig config;
    private final TenancyConfig tenancy;
    private final Vertx vertx;
    private final List<Cancellable> ticks = new ArrayList<>();
    private final Map<String, Instant> lastRun = new ConcurrentHashMap<>();

    public PollerSchedule(Poller poller, Leadership leadership, PollerConfig config, TenancyConfig tenancy,
            Vertx vertx) {
        this.vertx = vertx;
        this.poller = poller;
        this.leadership = leadership;
        this.config = config;
        this.tenancy = tenancy;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("the Partner Center reconciliation poller is off (ingress.poller.enabled=false)");
            return;
        }
        ticks.add(Multi.createFrom().ticks().every(config.leaderCheck()).onOverflow().drop()
                .onItem().transformToUniAndConcatenate(tick -> FreshContext.run(vertx, this::tick))
                .subscribe().with(x -> { }, e -> LOG.error("the poller schedule stopped", e)));
    }

    void stop(@Observes ShutdownEvent event) {
        ticks.forEach(Cancellable::cancel);
        tenancy.tenants().forEach(leadership::release);
    }

    private Uni<Void> tick() {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (TenantId tenant : tenancy.tenants()) {
            all = all.chain(() -> leadership.refresh(tenant).chain(leads -> leads && due(tenant)
                    ? poller.run(tenant).invoke(run -> lastRun.put(tenant.value(), Instant.now())).replaceWithVoid()
                            .onFailure().recoverWithUni(e -> {
                                LOG.warnf("tenant %s: reconciliation failed, retried next time: %s", tenant.value(),
                                        e.getMessage());
                                lastRun.put(tenant.value(), Instant.now());
                                return Uni.createFrom().voidItem();
                            })
                    : Uni.createFrom().voidItem()));
        }
        return all;
    }

    private boolean due(TenantId tenant) {
        Instant last = lastRun.get(tenant.value());
        return last == null || !Instant.now().isBefore(last.plus(config.interval()));
    }
}
