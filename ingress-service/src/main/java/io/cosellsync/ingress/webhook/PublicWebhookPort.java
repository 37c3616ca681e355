package io.cosellsync.ingress.webhook;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The public port ({@code ingress.webhooks.public-port}, default 8088): a listener of its own whose router knows one
 * route, {@code POST /webhooks/partner-center/{tenant}}, handed to {@link WebhookIntake}, and answers every other
 * method and path 404 (problem details). So nothing else — the admin surface, health, metrics — exists on the port
 * the Ingress routes to, by construction rather than by a filter. Bodies are read up to {@code max-body-bytes}
 * (Vert.x Web's {@link BodyHandler}); a larger one is 413.
 */
@ApplicationScoped
public class PublicWebhookPort {

    private static final Logger LOG = Logger.getLogger(PublicWebhookPort.class);

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
        Router router = Router.router(vertx);
        router.post("/webhooks/partner-center/:tenant")
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(this::receive)
                .failureHandler(this::failed);
        router.route().handler(ctx -> reply(ctx, WebhookAnswer.problem(404, "Not found",
                "this port serves Partner Center's webhooks only (POST /webhooks/partner-center/{tenant})", null)));
        // HTTP/1.1 only, as Partner Center and Ingress controllers call: no cleartext HTTP/2 upgrade
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(config.publicPort())
                .setMaxInitialLineLength(2048).setMaxHeaderSize(16 * 1024).setHttp2ClearTextEnabled(false);
        server = vertx.createHttpServer(options).requestHandler(router).listen()
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

    /** The intake may fetch a certificate: it runs on a worker thread. */
    private void receive(RoutingContext ctx) {
        String tenant = ctx.pathParam("tenant");
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        Uni.createFrom().deferred(() -> intake.receive(tenant, ctx.request()::getHeader, body))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .subscribe().with(answer -> reply(ctx, answer), ctx::fail);
    }

    /** The body handler's 413 (a body over the limit), or a failure of the intake, as problem details. */
    private void failed(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            reply(ctx, WebhookAnswer.problem(413, "Webhook body too large", "at most " + config.maxBodyBytes()
                    + " bytes are accepted", ctx.normalizedPath()));
        } else {
            LOG.warnf("public webhook port: %s: %s", ctx.normalizedPath(), String.valueOf(ctx.failure()));
            reply(ctx, WebhookAnswer.problem(500, "Internal error", "the call could not be handled", null));
        }
    }

    private static void reply(RoutingContext ctx, WebhookAnswer answer) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(answer.status());
        Map<String, Object> body = answer.body();
        if (body == null) {
            ctx.response().end();
            return;
        }
        if (answer.retryAfterSeconds() > 0) {
            ctx.response().putHeader("Retry-After", Long.toString(answer.retryAfterSeconds()));
        }
        ctx.response().putHeader("Content-Type", "application/problem+json").end(new JsonObject(body).encode());
    }
}
