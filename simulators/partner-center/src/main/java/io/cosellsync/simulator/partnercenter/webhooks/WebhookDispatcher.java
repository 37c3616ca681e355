package io.cosellsync.simulator.partnercenter.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cosellsync.simulator.support.SimulatorClock;
import io.cosellsync.simulator.partnercenter.faults.Fault;
import io.cosellsync.simulator.partnercenter.faults.Faults;
import io.cosellsync.simulator.partnercenter.referrals.ReferralChanged;
import io.cosellsync.simulator.partnercenter.referrals.Referrals;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends Partner Center's change notifications: on every referral write, the documented payload (a pointer, not
 * the referral) to the tenant's registered URL if it registered for that event, signed RSA-SHA256, retried with
 * doubling delays up to the attempt limit, then dropped and counted.
 */
@ApplicationScoped
public class WebhookDispatcher {

    /** One delivery attempt's result, as the test-event status resource reports it. */
    public record Attempt(int responseCode, String responseMessage, boolean systemError, String dateTimeUtc) {
    }

    private static final DateTimeFormatter CHANGE_DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSxxx").withZone(ZoneOffset.UTC);

    static final Duration REORDER_DELAY = Duration.ofMillis(1500);

    private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, List<Attempt>> attemptsByCorrelation = new ConcurrentHashMap<>();
    private final SigningCertificates certificates;
    private final WebhookSettings settings;
    private final SimulatorClock clock;
    private final ObjectMapper json = new ObjectMapper();
    /** On the event loops: the JDK client's sendAsync would start a thread per notification on two cores. */
    private final WebClient http;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "webhook-retries");
        t.setDaemon(true);
        return t;
    });
    private volatile String certificateUrl;
    /** Bumped by {@link #reset()}: deliveries and retries of an earlier generation are abandoned. */
    private final java.util.concurrent.atomic.AtomicInteger generation = new java.util.concurrent.atomic.AtomicInteger();

    private final Faults faults;

    public WebhookDispatcher(SigningCertificates certificates, WebhookSettings settings, SimulatorClock clock,
            Faults faults, Vertx vertx) {
        this.http = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setMaxPoolSize(32)
                .setFollowRedirects(false).setUserAgent("partner-center-simulator"));
        this.faults = faults;
        this.certificates = certificates;
        this.settings = settings;
        this.clock = clock;
    }

    public Optional<Registration> registration(String tenant) {
        return Optional.ofNullable(registrations.get(tenant));
    }

    /** Register or update: one registration per tenant, replaced as a whole. */
    public Registration register(String tenant, Registration registration) {
        registrations.put(tenant, registration);
        return registration;
    }

    /** Where receivers fetch the signing certificate (set from the simulator's own base URL). */
    public void certificateUrl(String url) {
        this.certificateUrl = url;
    }

    void onReferralChanged(@Observes ReferralChanged change) {
        boolean microsofts = Referrals.MICROSOFT.equals(change.organizationId());
        String event = (microsofts ? "related-referral-" : "referral-") + (change.created() ? "created" : "updated");
        notify(change.tenant(), event, "referral",
                settings.resourceBaseUrl() + "/engagements/v1/referrals/" + change.referralId(), null);
    }

    /** Sends a test event ({@code test-created}) and returns its correlation id. */
    public String sendTestEvent(String tenant, String correlationId) {
        attemptsByCorrelation.put(correlationId, new java.util.concurrent.CopyOnWriteArrayList<>());
        notify(tenant, "test-created", "test", settings.resourceBaseUrl()
                + "/webhooks/v1/registration/validationEvents/" + correlationId, correlationId);
        return correlationId;
    }

    public Optional<List<Attempt>> attempts(String correlationId) {
        return Optional.ofNullable(attemptsByCorrelation.get(correlationId)).map(ArrayList::new);
    }

    private void notify(String tenant, String event, String resourceName, String resourceUri, String correlationId) {
        Registration registration = registrations.get(tenant);
        if (registration == null || !registration.webhookEvents().contains(event)) {
            return;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("EventName", event);
        payload.put("ResourceUri", resourceUri);
        payload.put("ResourceName", resourceName);
        payload.put("AuditUri", null);
        payload.put("ResourceChangeUtcDate", CHANGE_DATE.format(clock.now()));
        byte[] body;
        try {
            body = json.writeValueAsBytes(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        count("queued");
        if (faults.fires(tenant, Fault.WEBHOOK_DROP)) {
            return;
        }
        if (faults.fires(tenant, Fault.WEBHOOK_REORDER)) {
            // held back long enough for the next notification to overtake it
            retries.schedule(() -> deliver(registration, body, 1, correlationId), REORDER_DELAY.toMillis(),
                    TimeUnit.MILLISECONDS);
            return;
        }
        deliver(registration, body, 1, correlationId);
        if (faults.fires(tenant, Fault.WEBHOOK_DUPLICATE)) {
            deliver(registration, body, 1, correlationId);
        }
    }

    private void deliver(Registration registration, byte[] body, int attempt, String correlationId) {
        deliver(registration, body, attempt, correlationId, generation.get());
    }

    private void deliver(Registration registration, byte[] body, int attempt, String correlationId, int born) {
        if (born != generation.get()) {
            return;
        }
        String signature = "Signature " + certificates.sign(body);
        HttpRequest<Buffer> request = http.postAbs(registration.webhookUrl())
                .timeout(Duration.ofSeconds(10).toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("X-MS-Certificate-Url", certificateUrl)
                .putHeader("X-MS-Signature-Algorithm", "rsa-sha256")
                .putHeader(registration.signatureTokenToMsSignatureHeader() ? "x-ms-signature" : "Authorization",
                        signature);
        count("attempted");
        request.sendBuffer(Buffer.buffer(body)).onComplete(answer -> {
            Throwable error = answer.cause();
            int status = answer.succeeded() ? answer.result().statusCode() : 0;
            record(correlationId, new Attempt(status, error == null ? "" : error.getClass().getSimpleName(),
                    error != null, CHANGE_DATE.format(clock.now())));
            if (born != generation.get()) {
                return;
            }
            if (error == null && status / 100 == 2) {
                count("delivered");
                return;
            }
            if (attempt >= settings.maxAttempts()) {
                count("dropped");
                Log.infof("webhook to %s dropped after %d attempts", registration.webhookUrl(), attempt);
                return;
            }
            count("retried");
            long delay = settings.retryBase().toMillis() << Math.min(attempt - 1, 10);
            retries.schedule(() -> deliver(registration, body, attempt + 1, correlationId, born), delay,
                    TimeUnit.MILLISECONDS);
        });
    }

    private void record(String correlationId, Attempt attempt) {
        if (correlationId != null) {
            attemptsByCorrelation.computeIfAbsent(correlationId,
                    k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(attempt);
        }
    }

    private void count(String what) {
        counters.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    public Map<String, Long> counters() {
        Map<String, Long> out = new java.util.TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public void reset() {
        generation.incrementAndGet();
        registrations.clear();
        counters.clear();
        attemptsByCorrelation.clear();
    }
}
