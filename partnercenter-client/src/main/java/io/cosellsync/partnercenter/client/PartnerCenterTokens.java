package io.cosellsync.partnercenter.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.events.TenantId;
import io.cosellsync.support.http.OutboundHttp;
import io.cosellsync.support.config.TenancyConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientConfigBuilder;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Delegated (App+User) Partner Center tokens per tenant, as production requires. An operator signs in once with the
 * device code flow; the refresh token is kept encrypted in PostgreSQL and every rotated one is stored before the
 * access token it came with is used. Access tokens are cached per tenant and {@link Audience} and replaced
 * {@code refresh-before} their expiry, or at once after a 401 ({@link #refused}). The state of each tenant's
 * credential is a readiness check and the gauge {@code cosell.partnercenter.auth.healthy}. Tokens never reach a log.
 */
public class PartnerCenterTokens {

    private static final Logger LOG = Logger.getLogger(PartnerCenterTokens.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Key(String tenant, Audience audience) {
    }

    private record Cached(String token, Instant expiresAt) {
    }

    /** The last device-code sign-in started for a tenant, for the admin API. */
    public record SignIn(String userCode, String verificationUri, String message, Instant expiresAt, String status,
            String detail) {
    }

    private final PartnerCenterSettings config;
    private final String configPrefix;
    private final Credentials store;
    private final OidcClients oidcClients;
    private final Optional<CredentialCipher> cipher;
    private final DeviceCodeFlow deviceCodes;
    private final Clock clock = Clock.systemUTC();
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();
    private final Map<Key, Uni<Cached>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Uni<OidcClient>> clients = new ConcurrentHashMap<>();
    private final Map<String, CredentialState> states = new ConcurrentHashMap<>();
    private final Map<String, SignIn> signIns = new ConcurrentHashMap<>();

    /**
     * @param configPrefix where the service reads {@code config} from, named in messages to operators (e.g.
     *                     {@code ingress.partner-center})
     */
    public PartnerCenterTokens(PartnerCenterSettings config, String configPrefix, Credentials store,
            OidcClients oidcClients, TenancyConfig tenancy, MeterRegistry registry, OutboundHttp http) {
        this.config = config;
        this.configPrefix = configPrefix;
        this.store = store;
        this.oidcClients = oidcClients;
        this.cipher = config.credentialKey().map(CredentialCipher::fromBase64);
        this.deviceCodes = new DeviceCodeFlow(config.authority(), http);
        for (TenantId tenant : tenancy.tenants()) {
            Gauge.builder("cosell.partnercenter.auth.healthy", states,
                    s -> s.getOrDefault(tenant.value(), CredentialState.NOT_SIGNED_IN).healthy() ? 1 : 0)
                    .tag("tenant", tenant.value())
                    .description("1 when the tenant's Partner Center credential works, 0 when an operator must act")
                    .register(registry);
        }
    }

    /** A valid access token for the tenant and audience; fails with {@link NotAuthorized}. */
    public Uni<String> accessToken(TenantId tenant, Audience audience) {
        Key key = new Key(tenant.value(), audience);
        Cached cached = cache.get(key);
        if (cached != null && clock.instant().plus(config.refreshBefore()).isBefore(cached.expiresAt())) {
            return Uni.createFrom().item(cached.token());
        }
        // one refresh at a time per tenant and audience: concurrent callers share it
        return inFlight.computeIfAbsent(key, k -> refresh(k).eventually(() -> {
            inFlight.remove(k);
        }).memoize().indefinitely()).map(Cached::token);
    }

    /**
     * The API refused the tenant's tokens for lack of multi-factor authentication (900421): the credential is marked
     * {@link CredentialState#MFA_REQUIRED} (stored, so every replica stops asking), cached tokens are dropped, and
     * no refresh is tried until an operator signs in again. Fails with {@link NotAuthorized}.
     */
    public <T> Uni<T> mfaRequired(TenantId tenant) {
        cache.keySet().removeIf(k -> k.tenant().equals(tenant.value()));
        String reason = "Partner Center requires multi-factor authentication (error 900421) and the sign-in of "
                + "tenant " + tenant.value() + " did none; an operator must sign in again with MFA";
        return store.find(tenant.value())
                .chain(stored -> stored.isEmpty() ? Uni.createFrom().voidItem()
                        : store.failed(tenant.value(), stored.get().version(), CredentialState.MFA_REQUIRED, reason))
                .chain(() -> Uni.createFrom().failure(fail(tenant.value(), CredentialState.MFA_REQUIRED, reason)));
    }

    /** The API answered 401 with this token: it is dropped, and the next call gets a fresh one. */
    public void refused(TenantId tenant, Audience audience, String token) {
        cache.computeIfPresent(new Key(tenant.value(), audience), (k, c) -> c.token().equals(token) ? null : c);
    }

    /**
     * The credential state: as this process last saw it while healthy; otherwise as stored, so that a sign-in
     * handled by another replica turns this one green too.
     */
    public Uni<CredentialState> state(TenantId tenant) {
        CredentialState known = states.get(tenant.value());
        if (known != null && known.healthy()) {
            return Uni.createFrom().item(known);
        }
        return store.find(tenant.value()).map(stored -> stored.map(Credentials.Stored::state)
                .orElse(CredentialState.NOT_SIGNED_IN)).invoke(s -> states.put(tenant.value(), s));
    }

    /** What the admin API shows about a tenant's credential (no secret). */
    public Uni<Map<String, Object>> describe(TenantId tenant) {
        return Uni.combine().all().unis(state(tenant), store.find(tenant.value())).asTuple().map(t -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tenant", tenant.value());
            out.put("state", t.getItem1().name());
            out.put("healthy", t.getItem1().healthy());
            t.getItem2().ifPresent(stored -> {
                out.put("signedInAs", stored.signedInAs());
                out.put("signedInAt", stored.signedInAt().toString());
                out.put("rotatedAt", stored.rotatedAt().toString());
                out.put("lastError", stored.lastError());
            });
            SignIn signIn = signIns.get(tenant.value());
            if (signIn != null) {
                out.put("signIn", signIn);
            }
            return out;
        });
    }

    private PartnerCenterSettings.App app(String tenant) {
        PartnerCenterSettings.App app = config.tenants().get(tenant);
        if (app == null) {
            throw new NotAuthorized(CredentialState.NOT_SIGNED_IN, "no app registration is configured for tenant "
                    + tenant + " (" + configPrefix + ".tenants." + tenant + ".*)");
        }
        return app;
    }

    private CredentialCipher cipher() {
        return cipher.orElseThrow(() -> new NotAuthorized(CredentialState.UNREADABLE, "no credential key is "
                + "configured (" + configPrefix + ".credential-key)"));
    }

    // --- refreshing -------------------------------------------------------------------------------------------

    private Uni<Cached> refresh(Key key) {
        return Uni.createFrom().deferred(() -> store.find(key.tenant()).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().failure(fail(key.tenant(), CredentialState.NOT_SIGNED_IN,
                        "nobody has signed in to Partner Center for tenant " + key.tenant()));
            }
            Credentials.Stored stored = found.get();
            if (stored.state() == CredentialState.MFA_REQUIRED) {
                // a refresh keeps the sign-in's authentication methods: only a new sign-in with MFA helps
                return Uni.createFrom().failure(fail(key.tenant(), CredentialState.MFA_REQUIRED, stored.lastError()));
            }
            if (stored.state() == CredentialState.REJECTED) {
                // Entra will not honour it again: no call until an operator signs in anew
                return Uni.createFrom().failure(fail(key.tenant(), CredentialState.REJECTED, "the Partner Center "
                        + "refresh token of tenant " + key.tenant() + " was refused (" + stored.lastError() + ")"));
            }
            return redeem(key, stored, true);
        }));
    }

    private Uni<Cached> redeem(Key key, Credentials.Stored stored, boolean mayRetry) {
        String refreshToken;
        try {
            if (!cipher().keyId().equals(stored.keyId())) {
                throw new IllegalStateException("stored under key " + stored.keyId() + ", configured key is "
                        + cipher().keyId());
            }
            refreshToken = cipher().decrypt(key.tenant(), stored.encryptedRefreshToken());
        } catch (IllegalStateException e) {
            return store.failed(key.tenant(), stored.version(), CredentialState.UNREADABLE, e.getMessage())
                    .chain(() -> Uni.createFrom().failure(fail(key.tenant(), CredentialState.UNREADABLE,
                            "the stored Partner Center credential of tenant " + key.tenant() + " is unreadable: "
                                    + e.getMessage())));
        }
        return client(key.tenant())
                .chain(client -> client.refreshTokens(refreshToken, Map.of("scope", key.audience().scope())))
                .onItemOrFailure().transformToUni((tokens, failure) -> {
                    if (failure == null) {
                        return rotated(key, stored, refreshToken, tokens);
                    }
                    if (!rejected(failure)) {
                        states.put(key.tenant(), CredentialState.UNREACHABLE);
                        LOG.warnf("tenant %s: Entra could not refresh the Partner Center token (%s); will retry",
                                key.tenant(), failure.getClass().getSimpleName());
                        return Uni.createFrom().failure(new NotAuthorized(CredentialState.UNREACHABLE,
                                "Entra could not be reached to refresh the token of tenant " + key.tenant()));
                    }
                    // another replica may have rotated the token meanwhile: use what is stored now, once
                    return store.find(key.tenant()).chain(now -> {
                        if (mayRetry && now.isPresent() && now.get().version() != stored.version()) {
                            return redeem(key, now.get(), false);
                        }
                        return store.failed(key.tenant(), stored.version(), CredentialState.REJECTED,
                                "Entra refused the refresh token at " + clock.instant()
                                        + "; an operator must sign in again")
                                .chain(() -> Uni.createFrom().failure(fail(key.tenant(), CredentialState.REJECTED,
                                        "Entra refused the Partner Center refresh token of tenant " + key.tenant()
                                                + "; sign in again")));
                    });
                });
    }

    private Uni<Cached> rotated(Key key, Credentials.Stored stored, String used, Tokens tokens) {
        Instant expiresAt = tokens.getAccessTokenExpiresAt() != null
                ? Instant.ofEpochSecond(tokens.getAccessTokenExpiresAt())
                : clock.instant().plus(Duration.ofMinutes(30));
        Cached cached = new Cached(tokens.getAccessToken(), expiresAt);
        String next = tokens.getRefreshToken();
        Uni<Boolean> saved = next == null || next.equals(used) ? Uni.createFrom().item(true)
                : store.rotated(key.tenant(), stored.version(), cipher().encrypt(key.tenant(), next),
                        cipher().keyId(), clock.instant());
        return saved.map(won -> {
            if (!won) {
                LOG.debugf("tenant %s: another replica stored a rotated refresh token first", key.tenant());
            }
            states.put(key.tenant(), CredentialState.SIGNED_IN);
            cache.put(key, cached);
            return cached;
        });
    }

    /** Entra's answer for a refresh token it will not honour again (RFC 6749 §5.2 invalid_grant). */
    private static boolean rejected(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        return message.contains("invalid_grant") || message.contains("AADSTS700082")
                || message.contains("AADSTS50173");
    }

    private NotAuthorized fail(String tenant, CredentialState state, String message) {
        states.put(tenant, state);
        if (!state.healthy()) {
            LOG.errorf("tenant %s: %s", tenant, message);
        }
        return new NotAuthorized(state, message);
    }

    private Uni<OidcClient> client(String tenant) {
        return clients.computeIfAbsent(tenant, t -> {
            PartnerCenterSettings.App app = app(t);
            OidcClientConfigBuilder builder = new OidcClientConfigBuilder().id("partner-center-" + t)
                    .authServerUrl(config.authority().resolve("/" + app.directory()).toString())
                    .discoveryEnabled(false).tokenPath("oauth2/v2.0/token").clientId(app.clientId())
                    .grant(io.quarkus.oidc.client.runtime.OidcClientConfig.Grant.Type.REFRESH);
            app.clientSecret().ifPresent(builder::credentials);
            return oidcClients.newClient(builder.build()).memoize().indefinitely();
        });
    }

    // --- signing in -------------------------------------------------------------------------------------------

    /** Starts a device-code sign-in; a background poll stores the credential once the operator has signed in. */
    public Uni<SignIn> startSignIn(TenantId tenant) {
        PartnerCenterSettings.App app = app(tenant.value());
        cipher();
        return deviceCodes.start(app, Audience.REFERRALS).map(code -> {
            Instant expiresAt = clock.instant().plus(min(code.expiresIn(), config.signInTimeout()));
            SignIn signIn = new SignIn(code.userCode(), code.verificationUri(), code.message(), expiresAt, "PENDING",
                    null);
            signIns.put(tenant.value(), signIn);
            LOG.infof("tenant %s: Partner Center sign-in started; waiting for an operator to enter the code at %s",
                    tenant.value(), code.verificationUri());
            poll(tenant.value(), app, code, code.interval(), expiresAt).subscribe().with(done -> {
            }, failure -> LOG.errorf("tenant %s: sign-in polling failed: %s", tenant.value(), failure.toString()));
            return signIn;
        });
    }

    private Uni<Void> poll(String tenant, PartnerCenterSettings.App app, DeviceCodeFlow.DeviceCode code,
            Duration interval, Instant expiresAt) {
        if (clock.instant().isAfter(expiresAt)) {
            signIns.computeIfPresent(tenant, (t, s) -> finished(s, "EXPIRED", "nobody signed in in time"));
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(interval)
                .chain(() -> deviceCodes.redeem(app, code.deviceCode()))
                .onFailure().recoverWithItem(e -> new DeviceCodeFlow.Pending(false))
                .chain(redemption -> {
                    if (redemption instanceof DeviceCodeFlow.Pending pending) {
                        return poll(tenant, app, code, pending.slowDown() ? interval.plusSeconds(5) : interval,
                                expiresAt);
                    }
                    if (redemption instanceof DeviceCodeFlow.Failed failed) {
                        signIns.computeIfPresent(tenant, (t, s) -> finished(s, "FAILED", failed.error() + ": "
                                + failed.description()));
                        LOG.warnf("tenant %s: Partner Center sign-in failed: %s", tenant, failed.error());
                        return Uni.createFrom().voidItem();
                    }
                    return signedIn(tenant, (DeviceCodeFlow.Issued) redemption);
                });
    }

    private Uni<Void> signedIn(String tenant, DeviceCodeFlow.Issued issued) {
        if (issued.refreshToken() == null) {
            signIns.computeIfPresent(tenant, (t, s) -> finished(s, "FAILED", "Entra issued no refresh token "
                    + "(the scope must include offline_access)"));
            return Uni.createFrom().voidItem();
        }
        String user = claim(issued.accessToken(), "upn");
        return store.signedIn(tenant, cipher().encrypt(tenant, issued.refreshToken()), cipher().keyId(), user,
                clock.instant()).invoke(() -> {
                    cache.keySet().removeIf(k -> k.tenant().equals(tenant));
                    cache.put(new Key(tenant, Audience.REFERRALS), new Cached(issued.accessToken(),
                            clock.instant().plusSeconds(issued.expiresInSeconds())));
                    states.put(tenant, CredentialState.SIGNED_IN);
                    signIns.computeIfPresent(tenant, (t, s) -> finished(s, "COMPLETED", "signed in as " + user));
                    LOG.infof("tenant %s: signed in to Partner Center as %s", tenant, user);
                });
    }

    private static SignIn finished(SignIn signIn, String status, String detail) {
        return new SignIn(signIn.userCode(), signIn.verificationUri(), signIn.message(), signIn.expiresAt(), status,
                detail);
    }

    /** A claim of a JWT's payload, read for display only (the token was just received from Entra over TLS). */
    private static String claim(String jwt, String name) {
        try {
            String[] parts = jwt.split("\\.");
            JsonNode payload = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]),
                    StandardCharsets.UTF_8));
            return payload.path(name).asText(payload.path("preferred_username").asText("unknown"));
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
