package io.cosellsync.support.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.util.TypeLiteral;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * How the services call an outside API (Salesforce, Partner Center): one policy, built on SmallRye Fault Tolerance.
 *
 * <ul>
 * <li>A <b>circuit breaker per tenant</b>: it opens when at least half of the last {@code breakerVolume} (20) calls
 * failed in a way that counts against the API (the client says which: no answer, 5xx — not throttling), rests the
 * API for {@code breakerDelay} (10 s), then lets one call through and closes when it succeeds. Its state is the
 * gauge {@code cosell_circuit_breaker_open{api,tenant}} (1 while open or half-open) and a readiness detail
 * ({@link #states()}).</li>
 * <li><b>Retries</b>, around the breaker: up to {@code attempts} (6) in all, waiting {@code firstBackoff} (500 ms)
 * doubled per attempt up to {@code maxBackoff} (30 s), each wait drawn between half and all of that (jitter), and
 * never shorter than the server's {@code Retry-After}. An open breaker is retried like a failure, so a call
 * outlasts a short rest. Which failures are retried is the client's classification ({@link Failures}): after any
 * retryable failure for a call that may be repeated, only after one that proves the request was not taken (429, an
 * open breaker) for a create.</li>
 * </ul>
 * Renewing a refused token is the client's (it sends the request once more with a fresh one), as is what an
 * exhausted call finally fails with.
 */
public final class CallPolicy {

    private static final Logger LOG = Logger.getLogger(CallPolicy.class);
    /** Every breaker of this process, by name: what the readiness check reports. */
    private static final Map<String, CircuitBreakerState> STATES = new ConcurrentHashMap<>();

    /** The numbers of the policy; {@link #of} takes the breaker's defaults. */
    public record Settings(int attempts, Duration firstBackoff, Duration maxBackoff, int breakerVolume,
            double breakerRatio, Duration breakerDelay) {

        public static Settings of(int attempts, Duration firstBackoff, Duration maxBackoff) {
            return new Settings(attempts, firstBackoff, maxBackoff, 20, 0.5, Duration.ofSeconds(10));
        }
    }

    /** The client's classification of its failures, made once. */
    public interface Failures {

        /** Whether the failure counts against the API in its circuit breaker. */
        boolean againstApi(Throwable failure);

        /**
         * Whether the call is tried again after this failure (an open breaker aside, always retried);
         * {@code repeatable}: sending the request twice cannot apply it twice.
         */
        boolean retryable(Throwable failure, boolean repeatable);

        /** The wait the server asked for ({@code Retry-After}), or null. */
        Duration retryAfter(Throwable failure);
    }

    private final String api;
    private final Settings settings;
    private final Failures failures;
    private final MeterRegistry registry;
    private final Map<String, Guard> breakers = new ConcurrentHashMap<>();
    /** Retries of calls that may be sent twice, and of creates (only after an unambiguous refusal). */
    private final Guard retryingCalls;
    private final Guard retryingCreates;

    /** @param api the API's name in breaker names, metrics and logs ({@code salesforce}, {@code partner-center}) */
    public CallPolicy(String api, Settings settings, Failures failures, MeterRegistry registry) {
        this.api = api;
        this.settings = settings;
        this.failures = failures;
        this.registry = registry;
        this.retryingCalls = retries(true);
        this.retryingCreates = retries(false);
    }

    /**
     * The call under the policy: {@code attempt} makes one attempt (it is called again for each retry).
     *
     * @param repeatable whether sending the request twice cannot apply it twice (reads, PATCH with If-Match,
     *                   upserts); false for a create
     */
    public <T> Uni<T> call(String tenant, boolean repeatable, Supplier<Uni<T>> attempt) {
        Guard breaker = breakers.computeIfAbsent(tenant, this::breaker);
        Supplier<Uni<T>> guarded = () -> breaker.get(attempt, new TypeLiteral<Uni<T>>() { });
        return (repeatable ? retryingCalls : retryingCreates).get(guarded, new TypeLiteral<Uni<T>>() { });
    }

    /** Each circuit breaker of this process by name ({@code <api>-<tenant>}): closed, open or half-open. */
    public static Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        STATES.forEach((name, state) -> states.put(name, state.name().toLowerCase().replace('_', '-')));
        return states;
    }

    private Guard retries(boolean repeatable) {
        return Guard.create()
                .withDescription(api + (repeatable ? " calls" : " creates"))
                .withRetry().maxRetries(Math.max(0, settings.attempts() - 1))
                .delay(settings.firstBackoff().toMillis(), ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .maxDuration(0, ChronoUnit.MILLIS)
                .whenException(e -> e instanceof CircuitBreakerOpenException || failures.retryable(e, repeatable))
                .withCustomBackoff().strategy(Backoff::new).done()
                .done().build();
    }

    private Guard breaker(String tenant) {
        String name = api + "-" + tenant;
        STATES.put(name, CircuitBreakerState.CLOSED);
        Gauge.builder("cosell.circuit.breaker.open", () -> STATES.get(name) == CircuitBreakerState.CLOSED ? 0 : 1)
                .description("1 while the tenant's circuit breaker for the API is open or half-open")
                .tags("api", api, "tenant", tenant).register(registry);
        return Guard.create()
                .withDescription(api + " API of " + tenant)
                .withCircuitBreaker().name(name)
                .requestVolumeThreshold(settings.breakerVolume()).failureRatio(settings.breakerRatio())
                .delay(settings.breakerDelay().toMillis(), ChronoUnit.MILLIS)
                .when(failures::againstApi)
                .onStateChange(state -> {
                    STATES.put(name, state);
                    LOG.infof("circuit breaker %s is %s", name, state.name().toLowerCase());
                })
                .done().build();
    }

    /** Exponential with jitter, at least what the server asked for; one per call (it counts that call's attempts). */
    private final class Backoff implements CustomBackoffStrategy {

        private int attempt;

        @Override
        public long nextDelayInMillis(Throwable failure) {
            attempt++;
            long wait = CallPolicy.delay(settings, attempt, failures.retryAfter(failure));
            LOG.debugf("%s call failed (%s), attempt %d, retrying in %d ms", api, failure.getMessage(), attempt,
                    wait);
            return wait;
        }
    }

    /**
     * The wait after failed attempt {@code attempt} (1 = the first): {@code firstBackoff · 2^(attempt−1)}, capped at
     * {@code maxBackoff}, drawn between half and all of it, and at least {@code retryAfter}.
     */
    static long delay(Settings settings, int attempt, Duration retryAfter) {
        long exponential = Math.min(settings.maxBackoff().toMillis(),
                settings.firstBackoff().toMillis() << Math.min(20, attempt - 1));
        long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        long hinted = retryAfter == null ? 0 : retryAfter.toMillis();
        return Math.max(hinted, jittered);
    }
}
