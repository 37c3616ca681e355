package io.cosellsync.ingress.partnercenter.polling;

import io.cosellsync.events.TenantId;
import io.cosellsync.ingress.partnercenter.registration.WebhookRegistrar;
import io.cosellsync.support.config.TenancyConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps leadership fresh and, on the leader, checks each tenant's webhook registration and polls it every
 * {@code ingress.poller.interval} (both at once on gaining leadership). A run or registration that fails (Partner
 * Center down, nobody signed in yet) is tried again at the next tick; the watermark has not moved, so nothing is
 * skipped.
 */
@ApplicationScoped
public class PollerSchedule {

    private static final Logger LOG = Logger.getLogger(PollerSchedule.class);

    private final Poller poller;
    private final Leadership leadership;
    private final PollerConfig config;
    private final TenancyConfig tenancy;
    private final List<Cancellable> ticks = new ArrayList<>();
    private final Map<String, Instant> lastRun = new ConcurrentHashMap<>();
    private final Map<String, String> warned = new ConcurrentHashMap<>();
    private final WebhookRegistrar registrar;

    public PollerSchedule(Poller poller, Leadership leadership, PollerConfig config, TenancyConfig tenancy,
            WebhookRegistrar registrar) {
        this.registrar = registrar;
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
                .onItem().transformToUniAndConcatenate(tick -> tick())
                .subscribe().with(x -> { }, e -> LOG.error("the poller schedule stopped", e)));
    }

    void stop(@Observes ShutdownEvent event) {
        ticks.forEach(Cancellable::cancel);
        tenancy.tenants().forEach(leadership::release);
    }

    private Uni<Void> tick() {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (TenantId tenant : tenancy.tenants()) {
            all = all.chain(() -> leadership.refresh(tenant).chain(leads -> {
                if (!leads) {
                    registrar.forget(tenant);
                    lastRun.remove(tenant.value());
                    return Uni.createFrom().voidItem();
                }
                return register(tenant).chain(() -> due(tenant) ? poll(tenant) : Uni.createFrom().voidItem());
            }));
        }
        return all;
    }

    /**
     * The tenant's webhook registration: on gaining leadership, then once per poll interval. When it first takes
     * (after failing, or before anyone signed in) the tenant is polled in the same tick: a referral shared before
     * Partner Center knew where to send its webhook is read now, not an interval later.
     */
    private Uni<Void> register(TenantId tenant) {
        Optional<Instant> checked = registrar.checkedAt(tenant);
        if (checked.isPresent() && Instant.now().isBefore(checked.get().plus(config.interval()))) {
            return Uni.createFrom().voidItem();
        }
        return registrar.ensure(tenant).invoke(state -> {
            if (pollOnRegistration(checked.isPresent(), state)) {
                lastRun.remove(tenant.value());
            }
        }).replaceWithVoid().onFailure().recoverWithUni(e -> {
            warnOnce(tenant, "registration", "the webhook registration could not be checked, retried every "
                    + config.leaderCheck().toSeconds() + " s: " + e.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    /** Whether a registration check that just succeeded makes the tenant's poll due now. */
    static boolean pollOnRegistration(boolean checkedBefore, WebhookRegistrar.State state) {
        return !checkedBefore && (state == WebhookRegistrar.State.REGISTERED
                || state == WebhookRegistrar.State.TAKEN_OVER);
    }

    private Uni<Void> poll(TenantId tenant) {
        return poller.run(tenant).invoke(run -> {
            lastRun.put(tenant.value(), Instant.now());
            warned.remove(tenant.value() + "/poll");
        }).replaceWithVoid().onFailure().recoverWithUni(e -> {
            // the watermark did not move; tried again at the next tick
            warnOnce(tenant, "poll", "reconciliation failed, retried every " + config.leaderCheck().toSeconds()
                    + " s: " + e.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    /** A failure that repeats every tick is logged when it first happens and when it changes. */
    private void warnOnce(TenantId tenant, String what, String message) {
        if (!message.equals(warned.put(tenant.value() + "/" + what, message))) {
            LOG.warnf("tenant %s: %s", tenant.value(), message);
        }
    }

    private boolean due(TenantId tenant) {
        Instant last = lastRun.get(tenant.value());
        return last == null || !Instant.now().isBefore(last.plus(config.interval()));
    }
}
