package io.cosellsync.ingress.salesforce.cdc;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import io.cosellsync.events.Envelope;
import io.cosellsync.events.EventType;
import io.cosellsync.events.TenantId;
import io.cosellsync.events.salesforce.ChangeNotification;
import io.cosellsync.ingress.partnercenter.polling.Leadership;
import io.cosellsync.ingress.salesforce.SalesforceConfig;
import io.cosellsync.ingress.salesforce.SalesforceOrgs;
import io.cosellsync.support.kafka.DeadLetters;
import io.cosellsync.support.kafka.EventIntake;
import io.cosellsync.support.kafka.OutboundEvents;
import io.cosellsync.salesforce.client.SalesforceSessions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.File;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Per configured tenant, on the replica that leads it (the Partner Center poller's lock), one Pub/Sub
 * {@code Subscribe} stream on the tenant's channel: events are decoded with the schema each names, fanned out to one
 * {@link ChangeNotification} per record, published to {@code salesforce.change.notifications}, and only once Kafka
 * acknowledged them all is the last replay id stored — a restart resumes after it with {@code CUSTOM}, so nothing is
 * lost and little is repeated. Flow control: 100 events asked at a time, the next 100 once they are handled. A replay
 * id Salesforce no longer knows is dropped (resubscribe from the oldest event kept) and a reconciliation recorded as
 * owed; so is a gap or overflow event. Other failures resubscribe with backoff (5 s after
 * {@code service.unavailable}); a refused session is renewed.
 */
@ApplicationScoped
public class ChangeEventSubscriber {

    private static final Logger LOG = Logger.getLogger(ChangeEventSubscriber.class);
    private static final String SERVICE = "ingress-service";
    private static final URI SOURCE = EventIntake.source(SERVICE);
    private static final int BATCH = 100;
    private static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code",
            Metadata.ASCII_STRING_MARSHALLER);

    private final SalesforceConfig config;
    private final Leadership leadership;
    private final ReplayPositions positions;
    private final MutinyEmitter<byte[]> notifications;
    private final MutinyEmitter<byte[]> deadLetterTopic;
    private final DeadLetters deadLetters = new DeadLetters(SERVICE, SOURCE);
    private final MeterRegistry registry;
    private final SalesforceSessions sessions;
    private final Map<String, Subscription> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "salesforce-cdc-supervisor");
        t.setDaemon(true);
        return t;
    });

    public ChangeEventSubscriber(SalesforceConfig config, Leadership leadership, ReplayPositions positions,
            @Channel("change-notifications") MutinyEmitter<byte[]> notifications, MeterRegistry registry,
            SalesforceOrgs orgs, @Channel("dead-letters") MutinyEmitter<byte[]> deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
        this.config = config;
        this.leadership = leadership;
        this.positions = positions;
        this.notifications = notifications;
        this.registry = registry;
        this.sessions = orgs.sessions();
    }

    void start(@Observes StartupEvent event) {
        if (config.tenants().isEmpty()) {
            LOG.info("no Salesforce org configured (ingress.salesforce.tenants.*): no change event subscription");
            return;
        }
        for (String tenant : config.tenants().keySet()) {
            Gauge.builder("cosell.salesforce.cdc.subscribed", running, r -> r.containsKey(tenant)
                    && r.get(tenant).subscribed ? 1 : 0).tag("tenant", tenant)
                    .description("1 while this replica's change event stream for the tenant is open")
                    .register(registry);
        }
        supervisor.scheduleWithFixedDelay(this::supervise, 0, config.check().toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        supervisor.shutdownNow();
        running.values().forEach(Subscription::close);
    }

    /** Whether this replica's stream for the tenant is open (tests, health). */
    public boolean subscribed(String tenant) {
        Subscription s = running.get(tenant);
        return s != null && s.subscribed;
    }

    /** Starts the streams of the tenants this replica leads, stops those it no longer leads. */
    private void supervise() {
        for (String tenant : config.tenants().keySet()) {
            try {
                boolean leads = leadership.refresh(TenantId.of(tenant)).await().atMost(Duration.ofSeconds(30));
                Subscription current = running.get(tenant);
                if (!leads) {
                    if (current != null) {
                        running.remove(tenant).close();
                        LOG.infof("tenant %s: no longer the leader; change event stream closed", tenant);
                    }
                } else if (current == null
                        && config.tenants().get(tenant).mode() == SalesforceConfig.Mode.CDC) {
                    Subscription s = new Subscription(tenant, config.tenants().get(tenant));
                    running.put(tenant, s);
                    s.open(Duration.ZERO);
                }
            } catch (RuntimeException e) {
                LOG.warnf("tenant %s: the change event subscription could not be checked: %s", tenant,
                        e.getMessage());
            }
        }
    }

    /** One tenant's stream and what it needs: its own thread, channel, decoder and backoff. */
    private final class Subscription {

        private final String tenant;
        private final SalesforceConfig.Org org;
        private final String topic;
        /** The commit of the last event read (its thread only): where a reconciliation for a bad one starts. */
        private Instant lastCommit;
        private final ScheduledExecutorService thread;
        private final ManagedChannel channel;
        private volatile boolean closed;
        private volatile boolean subscribed;
        private ClientCallStreamObserver<FetchRequest> requests;
        private PubSubGrpc.PubSubBlockingStub blocking;
        private ChangeEventDecoder decoder;
        private SalesforceSessions.Session session;
        private Duration backoff = Duration.ZERO;
        private long generation;

        Subscription(String tenant, SalesforceConfig.Org org) {
            this.tenant = tenant;
            this.org = org;
            this.topic = org.channel();
            this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "salesforce-cdc-" + tenant);
                t.setDaemon(true);
                return t;
            });
            this.channel = channel(org);
        }

        void open(Duration after) {
            if (!closed) {
                thread.schedule(this::subscribe, after.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        /** Runs on the subscription's thread, unless it was closed meanwhile (then there is nothing to do). */
        private void later(Runnable work) {
            try {
                thread.execute(work);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed
            }
        }

        void close() {
            closed = true;
            subscribed = false;
            if (requests != null) {
                requests.cancel("closed", null);
            }
            thread.shutdownNow();
            channel.shutdownNow();
        }

        /** Opens a stream after the stored position (or the newest event on a first start). Its thread only. */
        private void subscribe() {
            if (closed) {
                return;
            }
            long stream = ++generation;
            try {
                SalesforceSessions.Session session = sessions.session(tenant).await().atMost(Duration.ofSeconds(60));
                this.session = session;
                Metadata auth = new Metadata();
                auth.put(Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER), session.accessToken());
                auth.put(Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER),
                        session.instanceUrl().toString());
                auth.put(Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER), session.orgId());
                var headers = MetadataUtils.newAttachHeadersInterceptor(auth);
                blocking = PubSubGrpc.newBlockingStub(channel).withInterceptors(headers)
                        .withDeadlineAfter(30, TimeUnit.SECONDS);
                PubSubGrpc.PubSubBlockingStub schemas = PubSubGrpc.newBlockingStub(channel).withInterceptors(headers);
                decoder = new ChangeEventDecoder(id -> schemas.withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getSchema(SchemaRequest.newBuilder().setSchemaId(id).build()).getSchemaJson());
                positions.firstStart(tenant, topic).await().atMost(Duration.ofSeconds(30));
                Optional<byte[]> after = positions.find(tenant, topic).await().atMost(Duration.ofSeconds(30));
                FetchRequest.Builder first = FetchRequest.newBuilder().setTopicName(topic).setNumRequested(BATCH);
                if (after.isPresent()) {
                    first.setReplayPreset(ReplayPreset.CUSTOM).setReplayId(ByteString.copyFrom(after.get()));
                } else {
                    // first start: from now on (what happened before is the initial reconciliation's); after a
                    // forgotten id: from the oldest event kept
                    boolean forgotten = positions.reconcileSince(tenant, topic).await()
                            .atMost(Duration.ofSeconds(30)).filter(since -> !since.equals(
                                    ReplayPositions.FROM_THE_BEGINNING)).isPresent();
                    first.setReplayPreset(forgotten ? ReplayPreset.EARLIEST : ReplayPreset.LATEST);
                }
                PubSubGrpc.newStub(channel).withInterceptors(headers).subscribe(new ClientResponseObserver<
                        FetchRequest, FetchResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<FetchRequest> call) {
                        requests = call;
                    }

                    @Override
                    public void onNext(FetchResponse response) {
                        later(() -> handle(stream, response));
                    }

                    @Override
                    public void onError(Throwable t) {
                        later(() -> failed(stream, t, session));
                    }

                    @Override
                    public void onCompleted() {
                        later(() -> failed(stream, Status.UNAVAILABLE.withDescription(
                                "the stream was closed by Salesforce").asRuntimeException(), session));
                    }
                });
                requests.onNext(first.build());
                subscribed = true;
                LOG.infof("tenant %s: subscribed to %s (%s)", tenant, topic, first.getReplayPreset());
            } catch (RuntimeException e) {
                failed(stream, e, null);
            }
        }

        /**
         * An event that cannot be read: dead-lettered once with the reason (the stream goes on past it, never
         * stuck on it), and a reconciliation owed from the last readable event's commit (or an hour back), which
         * reads again whatever record it was about.
         */
        private Uni<Void> malformed(ConsumerEvent event, String replay, String reason) {
            LOG.warnf("tenant %s: a change event on %s cannot be read (%s): dead-lettered, a reconciliation owed",
                    tenant, topic, reason);
            registry.counter("cosell.dead.letters", "service", SERVICE, "reason", "MALFORMED_CHANGE_EVENT")
                    .increment();
            Instant since = lastCommit != null ? lastCommit : Instant.now().minus(Duration.ofHours(1));
            return deadLetterTopic.sendMessage(deadLetters.ofPubSubEvent(tenant, topic, replay, event.getEvent()
                    .getId(), event.getEvent().getSchemaId(), event.getEvent().getPayload().toByteArray(),
                    "MALFORMED_CHANGE_EVENT", reason)).chain(() -> positions.owe(tenant, topic, since));
        }

        /** Publishes a response's events, then stores its position, then asks for more. Its thread only. */
        private void handle(long stream, FetchResponse response) {
            if (closed || stream != generation) {
                return;
            }
            try {
                if (response.getEventsCount() > 0) {
                    List<Uni<Void>> sent = new ArrayList<>();
                    Instant received = Instant.now();
                    for (ConsumerEvent event : response.getEventsList()) {
                        String replay = Base64.getEncoder().encodeToString(event.getReplayId().toByteArray());
                        ChangeEvent change;
                        try {
                            change = decoder.decode(event.getEvent().getSchemaId(),
                                    event.getEvent().getPayload().toByteArray());
                        } catch (ChangeEventDecoder.Malformed e) {
                            sent.add(malformed(event, replay, e.getMessage()));
                            continue;
                        }
                        lastCommit = change.commitTimestamp();
                        boolean ours = session.userId() != null
                                && change.probablyOurs(config.clientId(), session.userId());
                        for (ChangeNotification n : notifications(change, ours, replay, received)) {
                            Envelope envelope = Envelope.originating(EventType.CHANGE_NOTIFICATION, SOURCE, n.key(),
                                    TenantId.of(tenant), change.commitTimestamp().toString());
                            sent.add(notifications.sendMessage(OutboundEvents.message(envelope, n)));
                        }
                        if (change.isGap()) {
                            positions.owe(tenant, topic, change.commitTimestamp()).await()
                                    .atMost(Duration.ofSeconds(30));
                            LOG.warnf("tenant %s: %s event for %s: a reconciliation is owed", tenant,
                                    change.changeType(), change.entity());
                        }
                    }
                    Uni.join().all(sent).andFailFast().await().atMost(Duration.ofSeconds(60));
                    registry.counter("cosell.salesforce.cdc.events", "tenant", tenant)
                            .increment(response.getEventsCount());
                }
                if (!response.getLatestReplayId().isEmpty()) {
                    // everything up to here is on Kafka (or, for a keepalive, there was nothing for us)
                    positions.save(tenant, topic, response.getLatestReplayId().toByteArray()).await()
                            .atMost(Duration.ofSeconds(30));
                }
                backoff = Duration.ZERO;
                if (response.getPendingNumRequested() == 0) {
                    requests.onNext(FetchRequest.newBuilder().setNumRequested(BATCH).build());
                }
            } catch (Exception e) {
                // the position did not move: the stream starts again after what Kafka has
                LOG.warnf("tenant %s: change events could not be handed on (%s); subscribing again", tenant,
                        e.getMessage());
                requests.cancel("handing on failed", e);
                resubscribe(nextBackoff());
            }
        }

        private void failed(long stream, Throwable error, SalesforceSessions.Session session) {
            if (closed || stream != generation) {
                return;
            }
            subscribed = false;
            String code = error instanceof StatusRuntimeException e && e.getTrailers() != null
                    ? e.getTrailers().get(ERROR_CODE) : null;
            Status.Code status = error instanceof StatusRuntimeException e ? e.getStatus().getCode() : null;
            if (code != null && (code.endsWith("replayid.corrupted") || code.endsWith("replayid.validation.failed"))) {
                LOG.warnf("tenant %s: Salesforce no longer knows our replay id (%s): from the oldest event kept, and"
                        + " a reconciliation is owed", tenant, code);
                positions.forget(tenant, topic).await().atMost(Duration.ofSeconds(30));
                resubscribe(Duration.ZERO);
            } else if (status == Status.Code.UNAUTHENTICATED) {
                if (session != null) {
                    sessions.refused(tenant, session);
                }
                LOG.infof("tenant %s: the Salesforce session was refused; renewing it", tenant);
                resubscribe(nextBackoff());
            } else if (code != null && code.endsWith("service.unavailable")) {
                resubscribe(Duration.ofSeconds(5));
            } else {
                LOG.warnf("tenant %s: change event stream ended (%s%s); subscribing again", tenant,
                        error.getMessage(), code == null ? "" : ", " + code);
                resubscribe(nextBackoff());
            }
        }

        private void resubscribe(Duration after) {
            generation++;
            subscribed = false;
            open(after);
        }

        private Duration nextBackoff() {
            backoff = backoff.isZero() ? config.firstBackoff() : backoff.multipliedBy(2);
            if (backoff.compareTo(config.maxBackoff()) > 0) {
                backoff = config.maxBackoff();
            }
            return backoff;
        }
    }

    /** One notification per record (a merged event names several; an overflow none). */
    static List<ChangeNotification> notifications(ChangeEvent change, boolean probablyOurs, String replayId,
            Instant received) {
        List<String> ids = change.recordIds().isEmpty() ? java.util.Collections.singletonList(null)
                : change.recordIds();
        List<ChangeNotification> out = new ArrayList<>();
        for (String id : ids) {
            out.add(new ChangeNotification(change.entity(), id, change.changeType(), change.transactionKey(),
                    change.sequenceNumber(), change.commitTimestamp(), change.commitUser(), change.changeOrigin(),
                    List.copyOf(change.changedFields()), List.copyOf(change.nulledFields()),
                    probablyOurs, replayId, received));
        }
        return out;
    }

    private static ManagedChannel channel(SalesforceConfig.Org org) {
        String endpoint = org.pubsubEndpoint();
        int colon = endpoint.lastIndexOf(':');
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(endpoint.substring(0, colon),
                Integer.parseInt(endpoint.substring(colon + 1)));
        if (org.pubsubPlaintext()) {
            builder.usePlaintext();
        } else if (org.pubsubTrustAnchor().isPresent()) {
            try {
                builder.sslContext(GrpcSslContexts.forClient().trustManager(new File(org.pubsubTrustAnchor().get()))
                        .build());
            } catch (javax.net.ssl.SSLException e) {
                throw new IllegalStateException("cannot read the Pub/Sub trust anchor " + org.pubsubTrustAnchor()
                        .get(), e);
            }
        }
        return builder.build();
    }
}
