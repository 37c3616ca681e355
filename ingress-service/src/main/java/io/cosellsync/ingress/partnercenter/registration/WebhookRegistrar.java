package io.cosellsync.ingress.partnercenter.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.events.TenantId;
import io.cosellsync.partnercenter.client.ReferralWire;
import io.cosellsync.partnercenter.client.Audience;
import io.cosellsync.ingress.partnercenter.auth.PartnerCenterConfig;
import io.cosellsync.partnercenter.client.PartnerCenterTokens;
import io.cosellsync.ingress.webhook.WebhookConfig;
import io.cosellsync.support.http.OutboundHttp;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Owns each tenant's Partner Center webhook registration, carefully: it registers this service when there is no
 * registration, keeps its own up to date, and replaces another integration's URL only for tenants configured to
 * take over. Otherwise the foreign registration is left alone, logged and reported ({@code CONFLICT}): overwriting
 * it would silently break the other integration. Without a public URL nothing is registered (poller-only mode).
 * Counter {@code cosell.webhooks.registration.checks{tenant,state}} counts the checks (made on the leader only).
 */
@ApplicationScoped
public class WebhookRegistrar {

    private static final Logger LOG = Logger.getLogger(WebhookRegistrar.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** The events every registration of ours asks for. */
    public static final List<String> EVENTS = List.of("referral-created", "referral-updated",
            "related-referral-created", "related-referral-updated");

    /** Where a tenant's registration stands. */
    public enum State {
        /** Ours, with every event we need. */
        REGISTERED,
        /** Another integration's URL was replaced, as configured. */
        TAKEN_OVER,
        /** Another integration's URL is registered and was left alone: this tenant is served by polling. */
        CONFLICT,
        /** No public URL configured: polling only. */
        POLLER_ONLY
    }

    private final PartnerCenterConfig partnerCenter;
    private final WebhookConfig webhooks;
    private final PartnerCenterTokens tokens;
    private final OutboundHttp http;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Map<String, Instant> checked = new ConcurrentHashMap<>();
    private final MeterRegistry registry;

    public WebhookRegistrar(PartnerCenterConfig partnerCenter, WebhookConfig webhooks, PartnerCenterTokens tokens,
            MeterRegistry registry, OutboundHttp http) {
        this.http = http;
        this.partnerCenter = partnerCenter;
        this.webhooks = webhooks;
        this.tokens = tokens;
        this.registry = registry;
    }

    public Optional<State> state(TenantId tenant) {
        return Optional.ofNullable(states.get(tenant.value()));
    }

    /** When this process last brought the tenant's registration in line, if it did. */
    public Optional<Instant> checkedAt(TenantId tenant) {
        return Optional.ofNullable(checked.get(tenant.value()));
    }

    /** Forgets what this process knew (it lost the tenant's leadership). */
    public void forget(TenantId tenant) {
        states.remove(tenant.value());
        checked.remove(tenant.value());
    }

    /** Brings the tenant's registration in line with configuration (on the tenant's leader). */
    public Uni<State> ensure(TenantId tenant) {
        if (webhooks.publicUrl().isEmpty()) {
            return Uni.createFrom().item(State.POLLER_ONLY).invoke(state -> checked(tenant, state));
        }
        URI ours = webhooks.publicUrl().get().resolve("/webhooks/partner-center/" + tenant.value());
        boolean takeOver = webhooks.takeOverRegistration().orElse(Set.of()).contains(tenant.value());
        return ensure(tenant, ours, takeOver);
    }

    /** As {@link #ensure(TenantId)}, for a given URL and take-over choice. */
    public Uni<State> ensure(TenantId tenant, URI ours, boolean takeOver) {
        return tokens.accessToken(tenant, Audience.WEBHOOK_REGISTRATION).chain(token -> send(token, "GET", null)
                .chain(current -> {
                    if (current.status() == 404) {
                        LOG.infof("tenant %s: registering the Partner Center webhook %s", tenant.value(), ours);
                        return put(token, ours).replaceWith(State.REGISTERED);
                    }
                    if (current.status() != 200) {
                        return Uni.createFrom().failure(new IllegalStateException("reading the webhook registration "
                                + "answered " + current.status()));
                    }
                    JsonNode registration = parse(current.body());
                    String url = ReferralWire.text(registration, "WebhookUrl");
                    Set<String> events = new HashSet<>();
                    JsonNode list = ReferralWire.field(registration, "WebhookEvents");
                    if (list != null) {
                        list.forEach(e -> events.add(e.asText().toLowerCase()));
                    }
                    if (ours.toString().equalsIgnoreCase(url)) {
                        return events.containsAll(EVENTS) ? Uni.createFrom().item(State.REGISTERED)
                                : put(token, ours).replaceWith(State.REGISTERED);
                    }
                    if (takeOver) {
                        LOG.warnf("tenant %s: replacing the Partner Center webhook registration of %s with %s, as "
                                + "configured (ingress.webhooks.take-over-registration)", tenant.value(),
                                hostOf(url), ours);
                        return put(token, ours).replaceWith(State.TAKEN_OVER);
                    }
                    LOG.errorf("tenant %s: Partner Center's webhook is registered to another integration (%s); it is "
                            + "left alone and this tenant is kept in sync by polling. To use webhooks, remove that "
                            + "registration or list the tenant in ingress.webhooks.take-over-registration",
                            tenant.value(), hostOf(url));
                    return Uni.createFrom().item(State.CONFLICT);
                }))
                .invoke(state -> checked(tenant, state));
    }

    private void checked(TenantId tenant, State state) {
        states.put(tenant.value(), state);
        checked.put(tenant.value(), Instant.now());
        registry.counter("cosell.webhooks.registration.checks", "tenant", tenant.value(), "state",
                state.name().toLowerCase()).increment();
    }

    private Uni<Void> put(String token, URI ours) {
        Map<String, Object> body = Map.of("WebhookUrl", ours.toString(), "WebhookEvents", EVENTS,
                "signatureTokenToMsSignatureHeader", false);
        return send(token, "PUT", body).map(response -> {
            if (response.status() / 100 != 2) {
                throw new IllegalStateException("registering the webhook answered " + response.status());
            }
            return null;
        });
    }

    private Uni<OutboundHttp.Answer> send(String token, String method, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token);
        headers.put("Accept", "application/json");
        try {
            String json = null;
            if (body != null) {
                headers.put("Content-Type", "application/json");
                json = JSON.writeValueAsString(body);
            }
            return http.send(method, partnerCenter.registrationUrl().resolve("/webhooks/v1/registration"), headers,
                    json, TIMEOUT);
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException("the webhook registration is not JSON");
        }
    }

    /** Only the host of another integration's URL is logged (its path may hold a secret). */
    private static String hostOf(String url) {
        try {
            return URI.create(url).getHost();
        } catch (Exception e) {
            return "an unparsable URL";
        }
    }
}
