package io.cosellsync.support.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link OutboundHttp} against a real HTTP server (the JDK's): what goes out, what comes back, and where. */
class OutboundHttpTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final CountDownLatch NEVER_ANSWERED = new CountDownLatch(1);
    private static final Map<String, String> SEEN = new ConcurrentHashMap<>();
    private static HttpServer server;
    private static Vertx vertx;
    private static OutboundHttp http;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/echo", OutboundHttpTest::echo);
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/echo");
            answer(exchange, 302, "");
        });
        server.createContext("/silent", exchange -> {
            try {
                NEVER_ANSWERED.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, "too late");
        });
        server.start();
        vertx = Vertx.vertx();
        http = new OutboundHttp(vertx);
    }

    @AfterAll
    static void stop() {
        NEVER_ANSWERED.countDown();
        http.close();
        vertx.closeAndAwait();
        server.stop(0);
    }

    private static void echo(HttpExchange exchange) throws IOException {
        SEEN.put("method", exchange.getRequestMethod());
        SEEN.put("uri", exchange.getRequestURI().getRawPath() + "?" + exchange.getRequestURI().getRawQuery());
        SEEN.put("if-match", String.valueOf(exchange.getRequestHeaders().getFirst("If-Match")));
        SEEN.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        exchange.getResponseHeaders().add("ETag", "\"e-7\"");
        exchange.getResponseHeaders().add("Retry-After", "3");
        answer(exchange, 201, "{\"id\":\"r-1\"}");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    @Test
    void sendsTheRequestAsGivenAndReadsStatusBodyAndHeaders() {
        String query = "/echo?q=SELECT%20Id%20FROM%20X%20WHERE%20Id%20IN%20(%27a%27)";
        OutboundHttp.Answer answer = http.send("PATCH", uri(query),
                Map.of("If-Match", "\"e-6\"", "Content-Type", "application/json"), "[{\"op\":\"replace\"}]", WAIT)
                .await().atMost(WAIT);

        assertEquals("PATCH", SEEN.get("method"));
        assertEquals(query, SEEN.get("uri"),
                "the query goes out encoded exactly as given");
        assertEquals("\"e-6\"", SEEN.get("if-match"));
        assertEquals("[{\"op\":\"replace\"}]", SEEN.get("body"));
        assertEquals(201, answer.status());
        assertEquals("{\"id\":\"r-1\"}", answer.body());
        assertEquals("\"e-7\"", answer.header("etag").orElseThrow(), "header names are case-insensitive");
        assertEquals(Duration.ofSeconds(3), RetryAfter.of(answer));
    }

    @Test
    void theAnswerArrivesOnAnEventLoopNotOnAThreadStartedForIt() {
        boolean onEventLoop = http.send("GET", uri("/echo?x=1"), Map.of(), null, WAIT)
                .map(answer -> Context.isOnEventLoopThread()).await().atMost(WAIT);

        assertTrue(onEventLoop, "completed on " + Thread.currentThread().getName());
    }

    @Test
    void aRedirectIsReturnedNotFollowed() {
        OutboundHttp.Answer answer = http.send("GET", uri("/moved"), Map.of(), null, WAIT).await().atMost(WAIT);

        assertEquals(302, answer.status());
        assertEquals("", answer.body());
        assertEquals("/echo", answer.header("Location").orElseThrow());
    }

    @Test
    void noAnswerWithinTheTimeoutIsAFailure() {
        long started = System.nanoTime();
        assertThrows(RuntimeException.class, () -> http.send("GET", uri("/silent"), Map.of(), null,
                Duration.ofMillis(300)).await().atMost(WAIT));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0,
                "failed at the timeout, not when the server finally answered");
    }
}
