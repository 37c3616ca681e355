package io.cosellsync.ingress.partnercenter.polling;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.TenantId;
import io.cosellsync.partnercenter.client.ReferralWire;
import io.cosellsync.partnercenter.client.ReferralsApi;
import io.cosellsync.ingress.partnercenter.hydration.Hydrator;
import io.cosellsync.ingress.partnercenter.hydration.Hydrator.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Reconciliation: lists a tenant's referrals changed since the watermark and publishes every version not yet
 * published, so a webhook Partner Center dropped is made good within one interval. The first run for a tenant is a
 * backfill of all open referrals (New or Active; closed ones are skipped), with progress in the log. The watermark
 * moves only after everything up to it was published.
 */
@ApplicationScoped
public class Poller {

    private static final Logger LOG = Logger.getLogger(Poller.class);
    static final String OPEN = "status eq 'New' or status eq 'Active'";
    private static final int PROGRESS_EVERY = 100;
    private static final int CONCURRENCY = 8;

    /** What one run did. */
    public record Run(boolean backfill, long read, long published, Instant watermark) {
    }

    private final ReferralsApi api;
    private final Hydrator hydrator;
    private final Watermarks watermarks;
    private final PollerConfig config;
    private final MeterRegistry registry;
    private final Map<String, Uni<Run>> running = new ConcurrentHashMap<>();

    public Poller(ReferralsApi api, Hydrator hydrator, Watermarks watermarks, PollerConfig config,
            MeterRegistry registry) {
        this.api = api;
        this.hydrator = hydrator;
        this.watermarks = watermarks;
        this.config = config;
        this.registry = registry;
    }

    /** Runs the tenant's reconciliation now (joining a run already going). */
    public Uni<Run> run(TenantId tenant) {
        return running.computeIfAbsent(tenant.value(), t -> once(tenant).eventually(() -> {
            running.remove(t);
        }).memoize().indefinitely());
    }

    private Uni<Run> once(TenantId tenant) {
        Instant started = Instant.now();
        return watermarks.find(tenant.value()).chain(watermark -> {
            boolean backfill = watermark.isEmpty();
            String filter = backfill ? OPEN : "updatedDateTime gt " + DateTimeFormatter.ISO_INSTANT.format(
                    watermark.get().updatedSince().minus(config.overlap()));
            Instant backfillStarted = watermark.map(Watermarks.Watermark::backfilledAt).orElse(started);
            if (backfill) {
                LOG.infof("tenant %s: first run, backfilling every open referral from Partner Center", tenant.value());
            }
            AtomicLong read = new AtomicLong();
            AtomicLong published = new AtomicLong();
            AtomicReference<Instant> newest = new AtomicReference<>(watermark.map(Watermarks.Watermark::updatedSince)
                    .orElse(Instant.EPOCH));
            return api.list(tenant, filter, "updatedDateTime asc")
                    .filter(referral -> !closedBeforeBackfill(referral, backfillStarted))
                    // referrals are independent of each other: several at a time
                    .onItem().transformToUni(referral -> hydrator.publish(tenant, referral, null)
                            .invoke(outcome -> {
                                long n = read.incrementAndGet();
                                if (outcome == Outcome.PUBLISHED) {
                                    published.incrementAndGet();
                                }
                                Instant at = ReferralWire.updatedAt(referral);
                                if (at != null) {
                                    newest.accumulateAndGet(at, (a, b) -> a.isAfter(b) ? a : b);
                                }
                                if (backfill && n % PROGRESS_EVERY == 0) {
                                    LOG.infof("tenant %s: backfill read %d referrals, published %d", tenant.value(),
                                            n, published.get());
                                }
                            })).merge(CONCURRENCY)
                    .collect().last()
                    .chain(() -> {
                        // a backfill saw only open referrals: what changed before it started is covered
                        Instant upTo = backfill && started.isAfter(newest.get()) ? started : newest.get();
                        return watermarks.advance(tenant.value(), upTo, backfillStarted, published.get())
                                .replaceWith(new Run(backfill, read.get(), published.get(), upTo));
                    });
        }).invoke(run -> {
            registry.counter("cosell.poller.published", "tenant", tenant.value()).increment(run.published());
            if (run.backfill() || run.published() > 0) {
                LOG.infof("tenant %s: %s read %d referrals, published %d (webhooks missed or first sight)",
                        tenant.value(), run.backfill() ? "backfill" : "reconciliation", run.read(), run.published());
            }
        });
    }

    /** A referral closed before the backfill began is history, not a change: the backfill skipped it on purpose. */
    private static boolean closedBeforeBackfill(JsonNode referral, Instant backfillStarted) {
        Instant updated = ReferralWire.updatedAt(referral);
        return "Closed".equalsIgnoreCase(ReferralWire.text(referral, "status")) && updated != null
                && updated.isBefore(backfillStarted);
    }
}
