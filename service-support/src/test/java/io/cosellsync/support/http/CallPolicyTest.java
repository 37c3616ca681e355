package io.cosellsync.support.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CallPolicy} against a real HTTP server that answers as planned and notes when each request arrived on its
 * own clock: Retry-After honoured, a create not repeated after an ambiguous failure, a 503 burst opening the breaker
 * (reported by the gauge and readiness) and its closing again.
 */
class CallPolicyTest {

    private static final Queue<String> PLAN = new ConcurrentLinkedQueue<>();
    private static final List<Long> ARRIVALS = new CopyOnWriteArrayList<>();
    private static HttpServer server;
    private static Vertx vertx;
    private static OutboundHttp http;
    private static URI uri;

    /** The API's unavailability, as a client classifies it; {@code throttled}: 429, which the breaker skips. */
    static final class Down extends RuntimeException {
        final Duration retryAfter;
        final boolean throttled;

        Down(int status, Duration retryAfter) {
            super("answered " + status, null, false, false);
            this.retryAfter = retryAfter;
            this.throttled = status == 429;
        }
    }

    static final CallPolicy.Failures FAILURES = new CallPolicy.Failures() {
        @Override
        public boolean againstApi(Throwable failure) {
            return failure instanceof Down d && !d.throttled;
        }

        @Override
        public boolean retryable(Throwable failure, boolean repeatable) {
            return failure instanceof Down d && (repeatable || d.throttled);
        }

        @Override
        public Duration retryAfter(Throwable failure) {
            return failure instanceof Down d ? d.retryAfter : null;
        }
    };

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/api", exchange -> {
            ARRIVALS.add(System.nanoTime());
            String planned = PLAN.poll();
            String[] answer = (planned == null ? "200" : planned).split(" ");
            if (answer.length > 1) {
                exchange.getResponseHeaders().add("Retry-After", answer[1]);
            }
            exchange.sendResponseHeaders(Integer.parseInt(answer[0]), -1);
            exchange.close();
        });
        server.start();
        uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api");
        vertx = Vertx.vertx();
        http = new OutboundHttp(vertx);
    }

    @AfterAll
    static void stop() {
        http.close();
        vertx.closeAndAwait();
        server.stop(0);
    }

    @BeforeEach
    void clear() {
        PLAN.clear();
        ARRIVALS.clear();
    }

    private static Uni<Integer> attempt() {
        return http.send("GET", uri, Map.of(), null, Duration.ofSeconds(5)).map(answer -> {
            if (answer.status() == 429 || answer.status() >= 500) {
                throw new Down(answer.status(), RetryAfter.of(answer));
            }
            return answer.status();
        });
    }

    private static int call(CallPolicy policy, String tenant, boolean repeatable) {
        return policy.call(tenant, repeatable, CallPolicyTest::attempt).await().atMost(Duration.ofSeconds(30));
    }

    private static long millisBetweenArrivals(int first, int second) {
        return (ARRIVALS.get(second) - ARRIVALS.get(first)) / 1_000_000;
    }

    @Test
    void aThrottledCallIsSentAgainOnlyAfterWhatRetryAfterAsks() {
        CallPolicy policy = new CallPolicy("test-throttle", CallPolicy.Settings.of(6, Duration.ofMillis(10),
                Duration.ofMillis(50)), FAILURES, new SimpleMeterRegistry());
        PLAN.add("429 2");
        assertEquals(200, call(policy, "t1", true));
        assertEquals(2, ARRIVALS.size());
        // the exponential backoff alone would wait at most 10 ms: the server's two seconds rule (its own clock)
        assertTrue(millisBetweenArrivals(0, 1) >= 1_900, "waited " + millisBetweenArrivals(0, 1) + " ms");
    }

    @Test
    void failuresAreRetriedWithGrowingWaitsUpToTheAttempts() {
        CallPolicy policy = new CallPolicy("test-attempts", CallPolicy.Settings.of(3, Duration.ofMillis(200),
                Duration.ofSeconds(5)), FAILURES, new SimpleMeterRegistry());
        PLAN.addAll(List.of("503", "503", "503", "200"));
        Throwable failure = assertThrows(RuntimeException.class, () -> call(policy, "t1", true));
        assertInstanceOf(Down.class, failure, "the last failure, as the client classified it");
        assertEquals(3, ARRIVALS.size(), "three attempts in all");
        assertTrue(millisBetweenArrivals(0, 1) >= 100, "first wait: half to all of 200 ms");
        assertTrue(millisBetweenArrivals(1, 2) >= 200, "second wait: half to all of 400 ms");
    }

    @Test
    void aCreateIsNotSentAgainAfterAnAmbiguousFailureButIsAfterThrottling() {
        CallPolicy policy = new CallPolicy("test-create", CallPolicy.Settings.of(6, Duration.ofMillis(10),
                Duration.ofMillis(50)), FAILURES, new SimpleMeterRegistry());
        PLAN.add("503");
        assertThrows(Down.class, () -> call(policy, "t1", false));
        assertEquals(1, ARRIVALS.size(), "a 503 may have been taken: not sent again");

        ARRIVALS.clear();
        PLAN.add("429 0");
        assertEquals(200, call(policy, "t1", false));
        assertEquals(2, ARRIVALS.size(), "a 429 was certainly not taken: sent again");
    }

    @Test
    void aBurstOf503sOpensTheTenantsBreakerWhichIsReportedAndClosesAgain() {
        MeterRegistry registry = new SimpleMeterRegistry();
        CallPolicy policy = new CallPolicy("test-burst", new CallPolicy.Settings(1, Duration.ofMillis(10),
                Duration.ofMillis(50), 4, 0.5, Duration.ofMillis(500)), FAILURES, registry);
        for (int i = 0; i < 4; i++) {
            PLAN.add("503");
            assertThrows(Down.class, () -> call(policy, "t1", true));
        }
        assertEquals("open", CallPolicy.states().get("test-burst-t1"));
        assertEquals(1.0, registry.get("cosell.circuit.breaker.open").tags("api", "test-burst", "tenant", "t1")
                .gauge().value());
        assertEquals("open", new CircuitBreakersCheck().call().getData().orElseThrow().get("test-burst-t1"));
        assertThrows(CircuitBreakerOpenException.class, () -> call(policy, "t1", true));
        assertEquals(4, ARRIVALS.size(), "an open breaker rests the API: nothing was sent");
        assertEquals(200, call(policy, "t2", true), "another tenant's breaker is its own");

        // after its delay one call goes through; it succeeds, and the breaker closes
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> call(policy, "t1", true) == 200);
        assertEquals("closed", CallPolicy.states().get("test-burst-t1"));
        assertEquals(0.0, registry.get("cosell.circuit.breaker.open").tags("api", "test-burst", "tenant", "t1")
                .gauge().value());
    }
}
