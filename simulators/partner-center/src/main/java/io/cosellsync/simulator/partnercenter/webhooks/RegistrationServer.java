package io.cosellsync.simulator.partnercenter.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.simulator.support.SimulatorClock;
import io.cosellsync.simulator.partnercenter.auth.Directory;
import io.cosellsync.simulator.partnercenter.auth.Tokens;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Partner Center's webhook registration API, {@code /webhooks/v1/registration}, on its own port: in production it
 * lives on another host ({@code api.partnercenter.microsoft.com}) with another token audience, and a client must
 * keep the two apart. One registration per tenant (GET/PUT take no id, a PUT replaces it); no DELETE.
 */
@ApplicationScoped
public class RegistrationServer {

    /** The events Partner Center lists (the referral ones and the test event first). */
    static final List<String> EVENTS = List.of("referral-created", "referral-updated", "related-referral-created",
            "related-referral-updated", "test-created", "subscription-updated", "usagerecords-thresholdExceeded",
            "invoice-ready", "azure-fraud-event-detected");
    static final int TEST_EVENTS_PER_MINUTE = 2;
    /** Served here, as Microsoft serves it from its own storage host (X-MS-Certificate-Url). */
    static final String CERTIFICATE_PATH = "/cert/pcnotifications-dispatch.microsoft.com.cer";

    private final WebhookDispatcher dispatcher;
    private final WebhookSettings settings;
    private final Tokens tokens;
    private final Directory directory;
    private final SimulatorClock clock;
    private final Vertx vertx;
    private final SigningCertificates certificates;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Deque<Instant>> testEvents = new ConcurrentHashMap<>();
    private HttpServer server;
    private volatile int port = -1;

    public RegistrationServer(WebhookDispatcher dispatcher, WebhookSettings settings, Tokens tokens,
            Directory directory, SimulatorClock clock, Vertx vertx, SigningCertificates certificates) {
        this.certificates = certificates;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.tokens = tokens;
        this.directory = directory;
        this.clock = clock;
        this.vertx = vertx;
    }

    /** The actual port (useful when configured as 0). */
    public int port() {
        return port;
    }

    void start(@Observes StartupEvent event) {
        Router router = Router.router(vertx);
        router.route("/webhooks/v1/*").handler(BodyHandler.create().setBodyLimit(64 * 1024));
        router.get("/webhooks/v1/registration/events").handler(this::events);
        router.post("/webhooks/v1/registration/validationEvents").handler(this::sendTestEvent);
        router.get("/webhooks/v1/registration/validationEvents/:correlationId").handler(this::testEventStatus);
        router.get(CERTIFICATE_PATH).handler(ctx -> ctx.response().putHeader("Content-Type", "application/pkix-cert")
                .end(io.vertx.core.buffer.Buffer.buffer(certificates.leafDer())));
        router.post("/webhooks/v1/registration").handler(this::register);
        router.put("/webhooks/v1/registration").handler(this::register);
        router.get("/webhooks/v1/registration").handler(this::view);
        router.route("/webhooks/v1/registration").handler(ctx -> error(ctx, 405, "MethodNotAllowed",
                "the registration supports POST, GET and PUT"));
        server = vertx.createHttpServer().requestHandler(router);
        server.listen(settings.port(), "0.0.0.0").toCompletionStage().toCompletableFuture()
                .thenAccept(s -> {
                    port = s.actualPort();
                    dispatcher.certificateUrl(settings.certificateUrl()
                            .orElse("http://127.0.0.1:" + port + CERTIFICATE_PATH));
                    Log.infof("webhook registration API (api.partnercenter.microsoft.com) on port %d", port);
                }).join();
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
    }

    public void resetThrottle() {
        testEvents.clear();
    }

    private void register(RoutingContext ctx) {
        tenant(ctx).ifPresent(tenant -> {
            JsonNode body;
            try {
                body = json.readTree(ctx.body().asString());
            } catch (Exception e) {
                error(ctx, 400, "InvalidInput", "the body must be JSON");
                return;
            }
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            if (body != null && body.isObject()) {
                body.properties().forEach(e -> fields.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
            }
            String url = fields.getOrDefault("webhookurl", json.nullNode()).asText("");
            if (!isAbsoluteHttpUrl(url)) {
                error(ctx, 400, "InvalidInput", "'WebhookUrl' must be an absolute http(s) URL");
                return;
            }
            List<String> events = new ArrayList<>();
            fields.getOrDefault("webhookevents", json.createArrayNode()).forEach(e -> events.add(e.asText()));
            if (events.isEmpty() || !EVENTS.containsAll(events)) {
                error(ctx, 400, "InvalidInput", "'WebhookEvents' must list supported events: " + events);
                return;
            }
            boolean msHeader = fields.getOrDefault("signaturetokentomssignatureheader", com.fasterxml.jackson.databind.node.BooleanNode.FALSE)
                    .asBoolean();
            String subscriberId = dispatcher.registration(tenant).map(Registration::subscriberId)
                    .orElse(UUID.randomUUID().toString());
            Registration saved = dispatcher.register(tenant, new Registration(subscriberId, url, List.copyOf(events),
                    msHeader, clock.now()));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("SubscriberId", saved.subscriberId());
            answer.put("WebhookUrl", saved.webhookUrl());
            answer.put("WebhookEvents", saved.webhookEvents());
            ok(ctx, answer);
        });
    }

    private void view(RoutingContext ctx) {
        tenant(ctx).ifPresent(tenant -> dispatcher.registration(tenant).ifPresentOrElse(r -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("WebhookUrl", r.webhookUrl());
            answer.put("WebhookEvents", r.webhookEvents());
            ok(ctx, answer);
        }, () -> error(ctx, 404, "NotFound", "no webhook registration for this partner")));
    }

    private void events(RoutingContext ctx) {
        tenant(ctx).ifPresent(tenant -> ok(ctx, EVENTS));
    }

    private void sendTestEvent(RoutingContext ctx) {
        tenant(ctx).ifPresent(tenant -> {
            Optional<Registration> registration = dispatcher.registration(tenant);
            if (registration.isEmpty() || !registration.get().webhookEvents().contains("test-created")) {
                error(ctx, 400, "InvalidInput", "register for 'test-created' before sending test events");
                return;
            }
            Instant now = clock.now();
            Deque<Instant> recent = testEvents.computeIfAbsent(tenant, t -> new ConcurrentLinkedDeque<>());
            synchronized (recent) {
                recent.removeIf(at -> at.isBefore(now.minus(Duration.ofMinutes(1))));
                if (recent.size() >= TEST_EVENTS_PER_MINUTE) {
                    long wait = Duration.between(now, recent.peekFirst().plus(Duration.ofMinutes(1))).toSeconds() + 1;
                    ctx.response().putHeader("Retry-After", Long.toString(wait));
                    error(ctx, 429, "TooManyRequests", "test events are limited to 2 per minute");
                    return;
                }
                recent.addLast(now);
            }
            ok(ctx, Map.of("correlationId", dispatcher.sendTestEvent(tenant, UUID.randomUUID().toString())));
        });
    }

    private void testEventStatus(RoutingContext ctx) {
        tenant(ctx).ifPresent(tenant -> {
            String correlationId = ctx.pathParam("correlationId");
            dispatcher.attempts(correlationId).ifPresentOrElse(attempts -> {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("correlationId", correlationId);
                answer.put("partnerId", directory.tenant(tenant).orElseThrow().directoryId());
                answer.put("status", attempts.isEmpty() ? "pending" : "completed");
                answer.put("callbackUrl", dispatcher.registration(tenant).map(Registration::webhookUrl).orElse(null));
                answer.put("results", attempts);
                ok(ctx, answer);
            }, () -> error(ctx, 404, "NotFound", "no test event '" + correlationId + "'"));
        });
    }

    /** The tenant of a valid token for this API's audience, or a 401 already answered. */
    private Optional<String> tenant(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        Optional<String> tenant = authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? Optional.empty()
                : tokens.verify(authorization.substring(7).trim(), Tokens.PARTNER_CENTER_AUDIENCE, directory)
                        .map(p -> p.tenant().name());
        if (tenant.isEmpty()) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            error(ctx, 401, "Unauthorized",
                    "a valid token for https://api.partnercenter.microsoft.com is required");
        }
        return tenant;
    }

    private void ok(RoutingContext ctx, Object body) {
        write(ctx, 200, body);
    }

    private void error(RoutingContext ctx, int status, String code, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("description", description);
        write(ctx, status, body);
    }

    private void write(RoutingContext ctx, int status, Object body) {
        String correlation = Optional.ofNullable(ctx.request().getHeader("MS-CorrelationId"))
                .orElse(UUID.randomUUID().toString());
        String request = Optional.ofNullable(ctx.request().getHeader("MS-RequestId")).orElse(UUID.randomUUID()
                .toString());
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .putHeader("MS-CorrelationId", correlation).putHeader("MS-RequestId", request)
                    .end(json.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    private static boolean isAbsoluteHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
