package io.cosellsync.partnercenter.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.events.TenantId;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.cosellsync.support.http.CallPolicy;
import io.cosellsync.support.http.OutboundHttp;
import io.cosellsync.support.http.RetryAfter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Partner Center Referrals API with the tenant's delegated token: read, list, create and patch referrals. Each
 * call has a timeout; throttling (429) and server errors (5xx) are retried under the services' {@link CallPolicy}
 * (6 attempts, exponential backoff from 0.5 s with jitter, waiting at least what {@code Retry-After} asks); a 401
 * with error 900421 (no multi-factor authentication in the sign-in) marks the credential {@code MFA_REQUIRED}; any other
 * drops the token and sends the request once more with a fresh one; a circuit breaker per tenant (half of 20 calls
 * failing with 5xx or no answer; throttling does not count) rests an API that keeps failing for 10 s, shorter than
 * the retries, so a call outlasts it. A failure that remains is thrown
 * ({@link Unavailable}), never turned into "no referral": callers keep the work and try again. Partner Center's
 * refusal of a request (400, 403, 409, …) is {@link Rejected} with its error body; a stale {@code If-Match} is
 * {@link PreconditionFailed}.
 *
 * <p>A create is retried only when Partner Center certainly did not take it (429, 401): after no answer or a 5xx
 * the referral may exist, and only the caller can find out (by {@code externalReferenceId}) before posting again.
 */
public class ReferralsApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REFERRALS = "/v1.0/engagements/referrals";
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

    /** Partner Center refused the request itself: trying it again unchanged will not help. */
    public static class Rejected extends RuntimeException {
        private final int status;
        private final String body;

        public Rejected(String operation, int status, String body) {
            super(operation + ": Partner Center answered " + status + " " + abbreviate(body), null, false, false);
            this.status = status;
            this.body = body == null ? "" : body;
        }

        public int status() {
            return status;
        }

        /** Partner Center's error body as it came. */
        public String body() {
            return body;
        }
    }

    /** 412: the referral changed since the eTag sent with {@code If-Match} was read. */
    public static class PreconditionFailed extends RuntimeException {
        public PreconditionFailed(String referralId) {
            super("referral " + referralId + " changed since it was read (412)", null, false, false);
        }
    }

    private static final class Expired extends RuntimeException {
        Expired() {
            super("token refused", null, false, false);
        }
    }

    /** 401 with error 900421: the token carries no MFA, and no fresh token of the same sign-in will. */
    private static final class MfaRequired extends RuntimeException {
        MfaRequired() {
            super("multi-factor authentication required (900421)", null, false, false);
        }
    }

    private record Call(String operation, String method, URI uri, String body, String ifMatch, boolean idempotent) {
    }

    private record Answer(int status, JsonNode body, String eTag) {
    }

    private final PartnerCenterSettings config;
    private final PartnerCenterTokens tokens;
    private final OutboundHttp http;
    private final MeterRegistry registry;
    private final CallPolicy policy;

    public ReferralsApi(PartnerCenterSettings config, PartnerCenterTokens tokens, MeterRegistry registry,
            OutboundHttp http) {
        this.config = config;
        this.tokens = tokens;
        this.registry = registry;
        this.http = http;
        this.policy = new CallPolicy("partner-center", CallPolicy.Settings.of(ATTEMPTS, FIRST_BACKOFF, MAX_BACKOFF),
                new Failures(), registry);
    }

    /** One referral of the tenant, or empty when the API says it does not exist (404). */
    public Uni<Optional<Fetched>> get(TenantId tenant, String referralId) {
        return call(tenant, new Call("GET referral", "GET", referral(referralId), null, null, true))
                .map(answer -> answer.status() == 404 ? Optional.empty()
                        : Optional.of(new Fetched(answer.body(), eTag(answer))));
    }

    /** Every referral matching an OData {@code $filter}, following {@code @odata.nextLink} page by page. */
    public Multi<JsonNode> list(TenantId tenant, String filter, String orderBy) {
        String query = "?$filter=" + encode(filter) + (orderBy == null ? "" : "&$orderby=" + encode(orderBy));
        URI first = config.apiUrl().resolve(REFERRALS + query);
        return Multi.createBy().repeating().uni(() -> new URI[] {first}, next -> next[0] == null
                ? Uni.createFrom().nullItem() : call(tenant, new Call("list referrals", "GET", next[0], null, null,
                        true)).invoke(answer -> {
                            JsonNode link = answer.body().path("@odata.nextLink");
                            next[0] = link.isTextual() ? URI.create(link.asText()) : null;
                        }))
                .whilst(answer -> answer != null && answer.body().path("@odata.nextLink").isTextual())
                .onItem().transformToIterable(answer -> answer.body().path("value"));
    }

    /**
     * Creates a referral; the answer is the created referral. Not retried after an ambiguous failure (see the class
     * comment): {@link Unavailable} then means "may or may not exist".
     */
    public Uni<Fetched> create(TenantId tenant, JsonNode referral) {
        return call(tenant, new Call("create referral", "POST", config.apiUrl().resolve(REFERRALS),
                referral.toString(), null, false)).map(answer -> new Fetched(answer.body(), eTag(answer)));
    }

    /**
     * Applies a JSON Patch ({@code add}/{@code replace} only) with {@code If-Match: eTag}; the answer is the referral
     * as it is afterwards ({@code Prefer: return=representation}).
     */
    public Uni<Fetched> patch(TenantId tenant, String referralId, JsonNode operations, String eTag) {
        return call(tenant, new Call("patch referral " + referralId, "PATCH", referral(referralId),
                operations.toString(), eTag, true)).map(answer -> new Fetched(answer.body(), eTag(answer)));
    }

    private URI referral(String referralId) {
        return config.apiUrl().resolve(REFERRALS + "/" + URLEncoder.encode(referralId, StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String eTag(Answer answer) {
        if (answer.eTag() != null) {
            return answer.eTag();
        }
        JsonNode inBody = answer.body().get("eTag");
        return inBody == null || inBody.isNull() ? null : inBody.asText();
    }

    private Uni<Answer> call(TenantId tenant, Call call) {
        AtomicBoolean renewed = new AtomicBoolean();
        return policy.call(tenant.value(), call.idempotent(), () -> attempt(tenant, call, renewed));
    }

    /**
     * One attempt. A refused token (401) is dropped and the request sent once more with a fresh one, once per call:
     * a freshly issued token refused too means the credential itself is refused ({@link NotAuthorized}).
     */
    private Uni<Answer> attempt(TenantId tenant, Call call, AtomicBoolean renewed) {
        return tokens.accessToken(tenant, Audience.REFERRALS).chain(token -> send(tenant, call, token)
                // never the renew-and-retry path: a refreshed token of the same sign-in lacks MFA just the same
                .onFailure(MfaRequired.class).recoverWithUni(e -> tokens.mfaRequired(tenant))
                .onFailure(Expired.class).recoverWithUni(e -> {
                    tokens.refused(tenant, Audience.REFERRALS, token);
                    if (renewed.getAndSet(true)) {
                        return Uni.createFrom().failure(new NotAuthorized(CredentialState.REJECTED,
                                "Partner Center refused a freshly issued token of tenant " + tenant.value()));
                    }
                    return attempt(tenant, call, renewed);
                }));
    }

    /** Partner Center's failures, classified once: what the circuit breaker counts and what is tried again. */
    private static final class Failures implements CallPolicy.Failures {

        @Override
        public boolean againstApi(Throwable failure) {
            return failure instanceof Unavailable && !(failure instanceof Throttled);
        }

        @Override
        public boolean retryable(Throwable failure, boolean repeatable) {
            if (failure instanceof NotAuthorized n && n.retryable()) {
                return true;
            }
            // a create may have been taken after no answer or a 5xx: only a refusal before any work is repeated
            return repeatable ? failure instanceof Unavailable : failure instanceof Throttled;
        }

        @Override
        public Duration retryAfter(Throwable failure) {
            return failure instanceof Unavailable u ? u.retryAfter().orElse(null) : null;
        }
    }

    private Uni<Answer> send(TenantId tenant, Call call, String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token);
        headers.put("Accept", "application/json");
        headers.put("client-request-id", UUID.randomUUID().toString());
        if (call.body() != null) {
            headers.put("Content-Type", "application/json");
        }
        if (call.ifMatch() != null) {
            headers.put("If-Match", call.ifMatch());
        }
        if (call.method().equals("PATCH")) {
            headers.put("Prefer", "return=representation");
        }
        // every request sent, retries included: what the API's quota sees
        registry.counter("cosell.partnercenter.calls", "tenant", tenant.value(), "method", call.method()).increment();
        return Uni.createFrom().deferred(() -> http.send(call.method(), call.uri(), headers, call.body(), TIMEOUT))
                .onFailure().transform(e -> new Unavailable(
                        "Partner Center did not answer: " + e.getClass().getSimpleName(), null))
                .map(response -> answer(call, response));
    }

    private static Answer answer(Call call, OutboundHttp.Answer response) {
        int status = response.status();
        if (status == 401) {
            if (response.body() != null && response.body().contains("900421")) {
                throw new MfaRequired();
            }
            throw new Expired();
        }
        if (status == 429) {
            throw new Throttled("Partner Center throttled the call (429)", RetryAfter.of(response));
        }
        if (status >= 500) {
            throw new Unavailable("Partner Center answered " + status + " to " + call.operation(),
                    RetryAfter.of(response));
        }
        if (status == 412) {
            throw new PreconditionFailed(call.uri().getPath().substring(call.uri().getPath().lastIndexOf('/') + 1));
        }
        boolean found = status / 100 == 2 || status == 404 && call.method().equals("GET");
        if (!found) {
            throw new Rejected(call.operation(), status, response.body());
        }
        return new Answer(status, parse(response.body()), response.header("ETag").orElse(null));
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
