package io.cosellsync.ingress.webhook;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The public port ({@code ingress.webhooks.public-port}, default 8088): a listener of its own that serves
 * {@code POST /webhooks/partner-center/{tenant}} through {@link WebhookIntake} and answers every other method and path
 * 404 (problem details). So nothing else — the admin surface, health, metrics — exists on the port the Ingress
 * routes to, by construction rather than by a filter. A body is read up to {@code max-body-bytes}; a larger one is
 * 413 without reading on.
 */
@ApplicationScoped
public class PublicWebhookPort {

    private static final Logger LOG = Logger.getLogger(PublicWebhookPort.class);
    private static final Pattern PATH = Pattern.compile("/webhooks/partner-center/([^/?#]+)");

    private final WebhookIntake intake;
    private final WebhookConfig config;
    private final String host;
    private volatile HttpServer server;

    public PublicWebhookPort(WebhookIntake intake, WebhookConfig config,
            @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0") String host) {
        this.intake = intake;
        this.config = config;
        this.host = host;
    }

    void start(@Observes StartupEvent event, Vertx vertx) throws Exception {
        if (config.publicPort() < 0) {
            return;
        }
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(config.publicPort())
                .setMaxInitialLineLength(2048).setMaxHeaderSize(16 * 1024);
        server = vertx.createHttpServer(options).requestHandler(this::handle).listen()
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.infof("public webhook port %d: POST /webhooks/partner-center/{tenant} only", server.actualPort());
    }

    void stop(@Observes ShutdownEvent event) {
        HttpServer running = server;
        if (running != null) {
            running.close();
        }
    }

    /** The port bound (the configured one, or the free port chosen for 0); -1 when there is none. */
    public int port() {
        HttpServer running = server;
        return running == null ? -1 : running.actualPort();
    }

    private void handle(HttpServerRequest request) {
        Matcher path = PATH.matcher(request.path());
        if (request.method() != HttpMethod.POST || !path.matches()) {
            request.resume();
            reply(request, WebhookAnswer.problem(404, "Not found", "this port serves Partner Center's webhooks only"
                    + " (POST /webhooks/partner-center/{tenant})", null));
            return;
        }
        String tenant = path.group(1);
        int limit = config.maxBodyBytes();
        String declared = request.getHeader("Content-Length");
        if (declared != null && declared.chars().allMatch(Character::isDigit) && declared.length() < 19
                && Long.parseLong(declared) > limit) {
            tooLarge(request, tenant);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                refused[0] = true;
                tooLarge(request, tenant);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> LOG.debugf("public webhook port: a request failed: %s", e.toString()));
        request.endHandler(end -> {
            if (refused[0]) {
                return;
            }
            Uni.createFrom().deferred(() -> intake.receive(tenant, request::getHeader, body.getBytes()))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .subscribe().with(answer -> reply(request, answer), failure -> {
                        LOG.warnf("public webhook port: tenant %s: %s", tenant, failure.toString());
                        reply(request, WebhookAnswer.problem(500, "Internal error", "the call could not be handled",
                                null));
                    });
        });
    }

    private void tooLarge(HttpServerRequest request, String tenant) {
        reply(request, WebhookAnswer.problem(413, "Webhook body too large", "at most " + config.maxBodyBytes()
                + " bytes are accepted", "/webhooks/partner-center/" + tenant));
        request.connection().close();
    }

    private static void reply(HttpServerRequest request, WebhookAnswer answer) {
        if (request.response().ended()) {
            return;
        }
        request.response().setStatusCode(answer.status());
        Map<String, Object> body = answer.body();
        if (body == null) {
            request.response().end();
            return;
        }
        if (answer.retryAfterSeconds() > 0) {
            request.response().putHeader("Retry-After", Long.toString(answer.retryAfterSeconds()));
        }
        request.response().putHeader("Content-Type", "application/problem+json")
                .end(new JsonObject(body).encode());
    }
}
