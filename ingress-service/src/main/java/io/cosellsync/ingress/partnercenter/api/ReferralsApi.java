package io.cosellsync.ingress.partnercenter.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.events.TenantId;
import io.cosellsync.ingress.partnercenter.auth.Audience;
import io.cosellsync.ingress.partnercenter.auth.CredentialState;
import io.cosellsync.ingress.partnercenter.auth.NotAuthorized;
import io.cosellsync.ingress.partnercenter.auth.PartnerCenterConfig;
import io.cosellsync.ingress.partnercenter.auth.PartnerCenterTokens;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import io.cosellsync.support.http.RetryAfter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * Reads referrals from the Partner Center Referrals API with the tenant's delegated token. Each call has a timeout;
 * throttling (429) and server errors (5xx) are retried with exponential backoff and jitter, waiting at least what
 * {@code Retry-After} asks; a 401 drops the token and is retried once with a fresh one; a circuit breaker per tenant
 * (half of 20 calls failing with 5xx or no answer; throttling does not count) rests an API that keeps failing for
 * 10 s, shorter than the retries, so a call outlasts it. A failure that remains is thrown ({@link Unavailable}),
 * never turned into "no referral": callers keep the work and try again.
 */
@ApplicationScoped
public class ReferralsApi {

    private static final Logger LOG = Logger.getLogger(ReferralsApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int ATTEMPTS = 6;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A referral as read: its JSON and its {@code ETag}. */
    public record Fetched(JsonNode referral, String eTag) {
    }

    /** The API could not answer now; {@code retryAfter} is the server's hint, when it gave one. */
    public static class Unavailable extends RuntimeException {
        private final Duration retryAfter;

        public Unavailable(String message, Duration retryAfter) {
            super(message, null, false, false);
            this.retryAfter = retryAfter;
        }

        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    /** 429: Partner Center asks us to slow down. Retried after {@code Retry-After}; not a failure of the API. */
    public static class Throttled extends Unavailable {
        public Throttled(String message, Duration retryAfter) {
            super(message, retryAfter);
        }
    }

    private static final class Expired extends RuntimeException {
        Expired() {
            super("token refused", null, false, false);
        }
    }

    private final PartnerCenterConfig config;
    private final PartnerCenterTokens tokens;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, Guard> breakers = new ConcurrentHashMap<>();

    public ReferralsApi(PartnerCenterConfig config, PartnerCenterTokens tokens) {
        this.config = config;
        this.tokens = tokens;
    }

    /** One referral of the tenant, or empty when the API says it does not exist (404). */
    public Uni<Optional<Fetched>> get(TenantId tenant, String referralId) {
        URI uri = config.apiUrl().resolve("/v1.0/engagements/referrals/"
                + URLEncoder.encode(referralId, StandardCharsets.UTF_8));
        return call(tenant, uri).map(answer -> answer.status() == 404 ? Optional.empty()
                : Optional.of(new Fetched(answer.body(), answer.eTag())));
    }

    /** Every referral matching an OData {@code $filter}, following {@code @odata.nextLink} page by page. */
    public Multi<JsonNode> list(TenantId tenant, String filter, String orderBy) {
        String query = "?$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20")
                + (orderBy == null ? "" : "&$orderby=" + URLEncoder.encode(orderBy, StandardCharsets.UTF_8)
                        .replace("+", "%20"));
        URI first = config.apiUrl().resolve("/v1.0/engagements/referrals" + query);
        return Multi.createBy().repeating().uni(() -> new URI[] {first}, next -> next[0] == null
                ? Uni.createFrom().nullItem() : call(tenant, next[0]).invoke(answer -> {
                    JsonNode link = answer.body().path("@odata.nextLink");
                    next[0] = link.isTextual() ? URI.create(link.asText()) : null;
                }))
                .whilst(answer -> answer != null && answer.body().path("@odata.nextLink").isTextual())
                .onItem().transformToIterable(answer -> answer.body().path("value"));
    }

    private record Answer(int status, JsonNode body, String eTag) {
    }

    private Uni<Answer> call(TenantId tenant, URI uri) {
        Guard breaker = breakers.computeIfAbsent(tenant.value(), t -> Guard.create()
                .withDescription("Partner Center Referrals API of " + t)
                .withCircuitBreaker().name("partner-center-" + t).requestVolumeThreshold(20).failureRatio(0.5)
                .delay(10, ChronoUnit.SECONDS).failOn(Unavailable.class).skipOn(Throttled.class).done().build());
        return attempt(tenant, uri, breaker, 1, false);
    }

    private Uni<Answer> attempt(TenantId tenant, URI uri, Guard breaker, int attempt, boolean renewedToken) {
        Uni<Answer> once = tokens.accessToken(tenant, Audience.REFERRALS).chain(token -> breaker.get(
                () -> send(uri, token), new TypeLiteral<Uni<Answer>>() { })
                .onFailure(Expired.class).invoke(() -> tokens.refused(tenant, Audience.REFERRALS, token)));
        return once.onFailure(Expired.class).recoverWithUni(e -> {
            if (renewedToken) {
                return Uni.createFrom().failure(new NotAuthorized(CredentialState.REJECTED,
                        "Partner Center refused a freshly issued token of tenant " + tenant.value()));
            }
            return attempt(tenant, uri, breaker, attempt, true);
        }).onFailure(this::retryable).recoverWithUni(e -> {
            if (attempt >= ATTEMPTS) {
                return Uni.createFrom().failure(e);
            }
            Duration wait = backoff(attempt, e);
            LOG.debugf("tenant %s: Partner Center call failed (%s), attempt %d, retrying in %d ms", tenant.value(),
                    e.getMessage(), attempt, wait.toMillis());
            return Uni.createFrom().voidItem().onItem().delayIt().by(wait)
                    .chain(() -> attempt(tenant, uri, breaker, attempt + 1, renewedToken));
        });
    }

    private boolean retryable(Throwable e) {
        return e instanceof Unavailable
                || e instanceof CircuitBreakerOpenException
                || e instanceof NotAuthorized n && n.retryable();
    }

    static Duration backoff(int attempt, Throwable failure) {
        long exponential = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(20, attempt - 1));
        long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        Duration hinted = failure instanceof Unavailable u ? u.retryAfter().orElse(Duration.ZERO) : Duration.ZERO;
        return hinted.toMillis() > jittered ? hinted : Duration.ofMillis(jittered);
    }

    private Uni<Answer> send(URI uri, String token) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").GET().build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .onFailure(e -> !(e instanceof Unavailable)).transform(e -> new Unavailable(
                        "Partner Center did not answer: " + e.getClass().getSimpleName(), null))
                .map(response -> {
                    int status = response.statusCode();
                    if (status == 401) {
                        throw new Expired();
                    }
                    if (status == 429) {
                        throw new Throttled("Partner Center throttled the call (429)", RetryAfter.of(response));
                    }
                    if (status >= 500) {
                        throw new Unavailable("Partner Center answered " + status, RetryAfter.of(response));
                    }
                    if (status != 200 && status != 404) {
                        throw new IllegalStateException("Partner Center answered " + status + " for " + uri.getPath()
                                + ": " + abbreviate(response.body()));
                    }
                    return new Answer(status, parse(response.body()), response.headers().firstValue("ETag")
                            .orElse(null));
                });
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (Exception e) {
            throw new IllegalStateException("Partner Center answered something that is not JSON");
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
