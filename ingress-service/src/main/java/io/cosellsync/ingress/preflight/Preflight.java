package io.cosellsync.ingress.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import io.cosellsync.events.TenantId;
import io.cosellsync.ingress.salesforce.SalesforceConfig;
import io.cosellsync.ingress.salesforce.SalesforceOrgs;
import io.cosellsync.ingress.salesforce.hydration.Reconciler;
import io.cosellsync.mapping.FieldMap;
import io.cosellsync.partnercenter.client.NotAuthorized;
import io.cosellsync.partnercenter.client.PartnerCenterTokens;
import io.cosellsync.partnercenter.client.ReferralsApi;
import io.cosellsync.salesforce.client.SalesforceRejected;
import io.cosellsync.support.config.TenancyConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Each tenant's preflight: before its records flow, and whenever an operator asks, its Salesforce org is checked
 * against the tenant's mapping ({@link SalesforceChecks}) and, in cdc mode, its Change Data Capture selections; its
 * Partner Center sign-in against the Referrals role.
 * A tenant with an error does not sync — its hydration waits ({@link #gate}), its webhooks are still taken — until a
 * preflight passes; it is checked again every {@code ingress.preflight.recheck} while it fails or could not be
 * checked. Other tenants of the pod go on, and the pod stays ready: the state is in the admin API, the wellness
 * check {@code preflight} and the gauge {@code cosell_preflight_passed{tenant}}.
 */
@ApplicationScoped
public class Preflight {

    private static final Logger LOG = Logger.getLogger(Preflight.class);

    public enum State {
        /** Not checked yet, or the first check could not run (Salesforce unreachable): records are not held. */
        PENDING,
        PASSED,
        /** An error holds the tenant until a preflight passes. */
        FAILED
    }

    /** @param error why the check could not run (PENDING), else null */
    public record Report(String tenant, State state, Instant checkedAt, List<PreflightProblem> problems,
            String error) {
    }

    /** The tenant failed its preflight: what is held waits until one passes. */
    public static final class Failed extends RuntimeException {
        Failed(String tenant) {
            super("tenant " + tenant + " fails its preflight (GET /admin/tenants/" + tenant + "/preflight says why)",
                    null, false, false);
        }
    }

    private final SalesforceOrgs orgs;
    private final ReferralsApi referrals;
    private final PartnerCenterTokens tokens;
    private final TenancyConfig tenancy;
    private final Duration recheck;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Report> reports = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "preflight");
        t.setDaemon(true);
        return t;
    });

    public Preflight(SalesforceOrgs orgs, ReferralsApi referrals, PartnerCenterTokens tokens, TenancyConfig tenancy,
            MeterRegistry registry,
            @ConfigProperty(name = "ingress.preflight.recheck", defaultValue = "60s") Duration recheck) {
        this.orgs = orgs;
        this.referrals = referrals;
        this.tokens = tokens;
        this.tenancy = tenancy;
        this.recheck = recheck;
        for (TenantId tenant : tenancy.tenants()) {
            reports.put(tenant.value(), new Report(tenant.value(), State.PENDING, null, List.of(), "not checked yet"));
            Gauge.builder("cosell.preflight.passed", reports, r -> r.get(tenant.value()).state() == State.PASSED
                    ? 1 : 0).tag("tenant", tenant.value())
                    .description("1 when the tenant's last preflight passed, 0 when it failed or has not run")
                    .register(registry);
            Gauge.builder("cosell.preflight.errors", reports, r -> (double) r.get(tenant.value()).problems().stream()
                    .filter(p -> p.severity() == PreflightProblem.Severity.ERROR).count()).tag("tenant", tenant.value())
                    .description("the errors the tenant's last preflight found").register(registry);
        }
    }

    void start(@Observes StartupEvent event) {
        thread.scheduleWithFixedDelay(this::checkOutstanding, 0, recheck.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        thread.shutdownNow();
    }

    private void checkOutstanding() {
        for (TenantId tenant : tenancy.tenants()) {
            if (reports.get(tenant.value()).state() != State.PASSED) {
                try {
                    run(tenant).await().atMost(Duration.ofMinutes(2));
                } catch (RuntimeException e) {
                    LOG.warnf("tenant %s: preflight could not run: %s", tenant.value(), e.getMessage());
                }
            }
        }
    }

    /** The tenant's last report. */
    public Report report(TenantId tenant) {
        return reports.get(tenant.value());
    }

    /** Fails with {@link Failed} while the tenant's last preflight found an error. */
    public Uni<Void> gate(TenantId tenant) {
        Report report = reports.get(tenant.value());
        return report != null && report.state() == State.FAILED ? Uni.createFrom().failure(new Failed(tenant.value()))
                : Uni.createFrom().voidItem();
    }

    /** Checks the tenant now. */
    public Uni<Report> run(TenantId tenant) {
        Uni<List<PreflightProblem>> salesforce = orgs.configured(tenant) ? salesforce(tenant)
                : Uni.createFrom().item(List.of());
        return salesforce.chain(problems -> partnerCenter(tenant).map(more -> {
            List<PreflightProblem> all = new ArrayList<>(problems);
            all.addAll(more);
            boolean failed = all.stream().anyMatch(p -> p.severity() == PreflightProblem.Severity.ERROR);
            return new Report(tenant.value(), failed ? State.FAILED : State.PASSED, clock.instant(), List.copyOf(all),
                    null);
        })).onFailure().recoverWithItem(e -> {
            // a check that could not run changes nothing: a failed tenant stays held until a check passes
            Report before = reports.get(tenant.value());
            return new Report(tenant.value(), before == null ? State.PENDING : before.state(), clock.instant(),
                    before == null ? List.of() : before.problems(), "could not check: " + e.getMessage());
        }).invoke(report -> remember(tenant, report));
    }

    private void remember(TenantId tenant, Report report) {
        Report before = reports.put(tenant.value(), report);
        if (report.state() == State.FAILED) {
            if (before == null || before.state() != State.FAILED || !before.problems().equals(report.problems())) {
                StringBuilder text = new StringBuilder();
                report.problems().forEach(p -> text.append("\n  ").append(p.severity()).append(' ')
                        .append(p.subject()).append(": ").append(p.problem()).append(" — fix: ").append(p.fix()));
                LOG.errorf("tenant %s fails its preflight and does not sync until it passes:%s", tenant.value(),
                        text);
            }
        } else if (report.state() == State.PASSED && (before == null || before.state() != State.PASSED)) {
            LOG.infof("tenant %s passes its preflight%s", tenant.value(), report.problems().isEmpty() ? ""
                    : " with warnings: " + report.problems().stream().map(p -> p.subject() + " " + p.problem())
                            .toList());
        }
    }

    private Uni<List<PreflightProblem>> salesforce(TenantId tenant) {
        Map<String, JsonNode> describes = new LinkedHashMap<>();
        Uni<Void> all = Uni.createFrom().voidItem();
        for (String object : SalesforceChecks.OBJECTS) {
            all = all.chain(() -> orgs.client().describe(tenant, object)
                    .onFailure(e -> e instanceof SalesforceRejected r && r.status() == 404).recoverWithNull()
                    .invoke(d -> describes.put(object, d)).replaceWithVoid());
        }
        return all.map(x -> SalesforceChecks.check(orgs.mapping(tenant), FieldMap.standard(), describes,
                orgs.hasMappingFile(tenant))).chain(problems -> changeDataCapture(tenant).map(more -> {
                    List<PreflightProblem> both = new ArrayList<>(problems);
                    both.addAll(more);
                    return both;
                }));
    }

    /** In cdc mode, the org's Change Data Capture selections (Tooling API; reading them needs View Setup). */
    private Uni<List<PreflightProblem>> changeDataCapture(TenantId tenant) {
        SalesforceConfig.Org org = orgs.orgs().get(tenant.value());
        if (org.mode() != SalesforceConfig.Mode.CDC) {
            return Uni.createFrom().item(List.of());
        }
        return orgs.client().toolingQuery(tenant, "PlatformEventChannelMember",
                "SELECT DeveloperName, SelectedEntity FROM PlatformEventChannelMember")
                .map(members -> SalesforceChecks.changeDataCapture(members, org.channel(), Reconciler.CHANGE_EVENTS))
                .onFailure(e -> e instanceof SalesforceRejected r && (r.status() == 403 || r.status() == 400))
                .recoverWithItem(e -> List.of(PreflightProblem.warning("Change Data Capture", "its selections"
                        + " could not be read (" + e.getMessage() + "), so they are not checked", "grant the"
                        + " integration user View Setup and Configuration (the package's permission set does)")));
    }

    /** The signed-in user must hold a Referrals role; not signed in yet is the sign-in's own state, not checked. */
    private Uni<List<PreflightProblem>> partnerCenter(TenantId tenant) {
        return tokens.state(tenant).chain(state -> state.healthy() ? role(tenant)
                : Uni.createFrom().item(List.<PreflightProblem>of()));
    }

    private Uni<List<PreflightProblem>> role(TenantId tenant) {
        return referrals.get(tenant, UUID.randomUUID().toString()).map(x -> List.<PreflightProblem>of())
                .onFailure(NotAuthorized.class).recoverWithItem(List.of())
                .onFailure(e -> e instanceof ReferralsApi.Rejected r && r.status() == 403).recoverWithItem(
                        List.of(PreflightProblem.error("Partner Center", "the signed-in user holds no Referrals role",
                                "sign in again as a user with the Referrals admin role (Partner Center → Account"
                                        + " settings → User management)")));
    }
}
