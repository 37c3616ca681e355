package io.cosellsync.simulator.salesforce.cdc;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.ProducerEvent;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import io.cosellsync.simulator.salesforce.cdc.ChangeEventBus.StoredEvent;
import io.cosellsync.simulator.salesforce.cdc.PubSubCaller.Caller;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One {@code Subscribe} stream (salesforce-api.md §3.8): the first request names the topic and where to start;
 * every request adds to the events owed (at most 100 outstanding); events go out as they are owed and available;
 * an idle stream gets a keepalive with the latest replay id; a stream owed nothing and asked nothing is closed.
 * Only {@link Deliveries}' thread calls it, so its state needs no locks.
 */
final class Subscription {

    static final int MAX_OUTSTANDING = 100;

    private final Caller caller;
    private final StreamObserver<FetchResponse> out;
    private final ChangeEventBus bus;
    private final CdcSettings settings;
    private String topic;
    private ChangeEventBus.Channel channel;
    private long position;
    private int outstanding;
    private Instant lastResponse;
    private Instant lastRequest;
    private boolean closed;

    Subscription(Caller caller, StreamObserver<FetchResponse> out, ChangeEventBus bus, CdcSettings settings,
            Instant now) {
        this.caller = caller;
        this.out = out;
        this.bus = bus;
        this.settings = settings;
        this.lastResponse = now;
        this.lastRequest = now;
    }

    Caller caller() {
        return caller;
    }

    boolean closed() {
        return closed;
    }

    /** Whether its first request has been taken (it has a topic and a position). */
    boolean subscribed() {
        return topic != null && !closed;
    }

    void request(FetchRequest request, Instant now) {
        if (closed) {
            return;
        }
        lastRequest = now;
        if (request.getNumRequested() <= 0) {
            fail(PubSubErrors.error(Status.Code.INVALID_ARGUMENT, "subscription.fetch.requested.events.invalid",
                    "The number of requested events must be greater than zero."));
            return;
        }
        if (topic == null) {
            Optional<ChangeEventBus.Channel> found = bus.channel(caller.tenant(), request.getTopicName());
            if (found.isEmpty()) {
                fail(PubSubErrors.topicNotFound(request.getTopicName()));
                return;
            }
            Optional<Long> start = start(request);
            if (start.isEmpty()) {
                return;
            }
            topic = request.getTopicName();
            channel = found.get();
            position = start.get();
        } else if (!request.getTopicName().isEmpty() && !request.getTopicName().equals(topic)) {
            fail(PubSubErrors.error(Status.Code.INVALID_ARGUMENT, "subscription.fetch.topic.mismatch",
                    "The topic in the fetch request doesn't match the topic of the subscription: "
                            + request.getTopicName() + "."));
            return;
        }
        outstanding = Math.min(MAX_OUTSTANDING, outstanding + request.getNumRequested());
        deliver(now);
    }

    private Optional<Long> start(FetchRequest request) {
        ReplayPreset preset = request.getReplayPreset();
        if (preset == ReplayPreset.EARLIEST) {
            return Optional.of(bus.beforeOldest(caller.tenant()));
        }
        if (preset == ReplayPreset.CUSTOM) {
            if (request.getReplayId().isEmpty()) {
                fail(PubSubErrors.error(Status.Code.INVALID_ARGUMENT, "subscription.fetch.replayid.validation.failed",
                        "A replay ID is required with the CUSTOM replay preset."));
                return Optional.empty();
            }
            Optional<Long> after = bus.position(caller.tenant(), request.getReplayId().toByteArray());
            if (after.isEmpty()) {
                fail(PubSubErrors.error(Status.Code.INVALID_ARGUMENT, "subscription.fetch.replayid.corrupted",
                        "The replay ID validation failed. Ensure that the replay ID is valid and that the event it"
                                + " refers to is still retained."));
            }
            return after;
        }
        return Optional.of(bus.tip(caller.tenant()));
    }

    /** Sends what is owed and available; a keepalive when the stream has been quiet; closes an idle stream. */
    void deliver(Instant now) {
        if (closed || topic == null) {
            return;
        }
        while (outstanding > 0) {
            List<StoredEvent> events = bus.after(caller.tenant(), position, channel, outstanding);
            if (events.isEmpty()) {
                break;
            }
            if (!bus.deliver(caller.tenant(), events.size())) {
                fail(PubSubErrors.error(Status.Code.RESOURCE_EXHAUSTED, "subscription.limit.exceeded",
                        "You have exceeded the event delivery limit for your org."));
                return;
            }
            StoredEvent last = events.get(events.size() - 1);
            position = last.position();
            outstanding -= events.size();
            FetchResponse.Builder response = FetchResponse.newBuilder()
                    .setLatestReplayId(ByteString.copyFrom(last.replayId()))
                    .setRpcId(UUID.randomUUID().toString()).setPendingNumRequested(outstanding);
            for (StoredEvent e : events) {
                response.addEvents(ConsumerEvent.newBuilder().setReplayId(ByteString.copyFrom(e.replayId()))
                        .setEvent(ProducerEvent.newBuilder().setId(e.eventId()).setSchemaId(e.schemaId())
                                .setPayload(ByteString.copyFrom(e.payload()))));
            }
            send(response.build(), now);
        }
        if (closed) {
            return;
        }
        if (!now.isBefore(lastResponse.plus(settings.keepalive()))) {
            // the newest position this subscriber may resume after without missing an event of its topic
            long latest = bus.after(caller.tenant(), position, channel, 1).isEmpty()
                    ? Math.max(position, bus.tip(caller.tenant())) : position;
            send(FetchResponse.newBuilder().setLatestReplayId(ByteString.copyFrom(bus.replayId(caller.tenant(),
                    latest))).setRpcId(UUID.randomUUID().toString()).setPendingNumRequested(outstanding).build(),
                    now);
        }
        if (outstanding == 0 && !now.isBefore(lastRequest.plus(settings.idleClose()))) {
            closed = true;
            out.onCompleted();
        }
    }

    void fail(StatusRuntimeException error) {
        if (!closed) {
            closed = true;
            out.onError(error);
        }
    }

    /** The client went away (cancelled, or half-closed its side). */
    void cancelled() {
        closed = true;
    }

    private void send(FetchResponse response, Instant now) {
        try {
            out.onNext(response);
            lastResponse = now;
        } catch (RuntimeException e) {
            closed = true; // the call was cancelled under us
        }
    }
}
